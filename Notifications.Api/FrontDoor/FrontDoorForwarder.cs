using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Notifications.Api.FrontDoor;

/// <summary>
/// The front-door rules of <see cref="FrontDoorExtensions.UseNotificationsFrontDoor"/> for a request that never enters
/// the HTTP pipeline (an upgrade taken over from Kestrel): the same forwarded-headers middleware and options, applied
/// to it directly.
/// </summary>
public sealed class FrontDoorForwarder(IOptions<FrontDoorOptions> frontDoor, IOptions<ForwardedHeadersOptions> forwarded, ILoggerFactory loggers)
{
    private readonly ForwardedHeadersMiddleware? _middleware = frontDoor.Value.IsConfigured
        ? new ForwardedHeadersMiddleware(_ => Task.CompletedTask, loggers, forwarded)
        : null;

    /// <summary>With trusted proxies configured, takes the client's address from their <c>X-Forwarded-For</c>.</summary>
    public void Apply(HttpContext context) => _middleware?.ApplyForwarders(context);
}
