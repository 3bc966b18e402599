using System.Runtime.ExceptionServices;
using Notifications.Api.Refusals;

namespace Notifications.Api.Connections;

/// <summary>
/// An upgrade the takeover (<see cref="Handshake.UpgradeTakeover"/>) admitted no further: a connection feature that
/// goes with the untouched request to the HTTP pipeline, where the <c>/ws</c> endpoint answers the refusal as it
/// answers any other (and a failure reaches the exception handler as it would have), instead of admitting it again.
/// </summary>
public sealed class HandedOverAdmission
{
    private readonly Refusal? _refusal;
    private readonly ExceptionDispatchInfo? _failure;
    private int _taken;

    public HandedOverAdmission(Refusal refusal) => _refusal = refusal;

    public HandedOverAdmission(Exception failure) => _failure = ExceptionDispatchInfo.Capture(failure);

    /// <summary>
    /// The refusal of the connection's first request, once (a later request on the same connection is admitted as
    /// usual); a failure is rethrown.
    /// </summary>
    public static Refusal? TakeFrom(HttpContext context) =>
        context.Features.Get<HandedOverAdmission>() is { } handedOver && Interlocked.Exchange(ref handedOver._taken, 1) == 0
            ? handedOver.Take()
            : null;

    private Refusal Take()
    {
        _failure?.Throw();
        return _refusal!;
    }
}
