using Notifications.Api.Telemetry;

namespace Notifications.Api.Refusals;

/// <summary>
/// One log line per refusal, throttled per reason (<see cref="LogThrottle"/>): a client error at Information, a
/// refusal the replica causes itself (Redis down, draining, full) at Warning.
/// </summary>
public sealed partial class RefusalLog(ILogger<RefusalLog> logger, LogThrottle throttle)
{
    public void Refused(RefusalArea area, Refusal refusal, string? client)
    {
        if (!throttle.TryEnter(refusal.Reason, out var suppressed))
        {
            return;
        }

        if (refusal.Status >= StatusCodes.Status500InternalServerError)
        {
            RefusedByReplica(logger, area.Name, refusal.Status, refusal.Reason, client ?? "unknown", refusal.Detail, suppressed);
        }
        else
        {
            RefusedClient(logger, area.Name, refusal.Status, refusal.Reason, client ?? "unknown", refusal.Detail, suppressed);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Refused a {Area} with {Status} ({Reason}) from {Client}: {Detail} ({Suppressed} more like it since the last line)")]
    private static partial void RefusedClient(ILogger logger, string area, int status, string reason, string client, string detail, long suppressed);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused a {Area} with {Status} ({Reason}) from {Client}: {Detail} ({Suppressed} more like it since the last line)")]
    private static partial void RefusedByReplica(ILogger logger, string area, int status, string reason, string client, string detail, long suppressed);
}
