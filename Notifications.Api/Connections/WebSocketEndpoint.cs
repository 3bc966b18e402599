using System.Diagnostics;
using Notifications.Api.Limits;
using Notifications.Api.Refusals;

namespace Notifications.Api.Connections;

public static class WebSocketEndpoint
{
    public static IEndpointRouteBuilder MapNotificationsWebSocket(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Routes.WebSocket, ConnectAsync)
            .AllowAnonymous()
            .RequireRateLimiting(LimitsExtensions.UpgradePolicy)
            .WithMetadata(RefusalArea.Connections)
            .WithName("ConnectWebSocket")
            .WithSummary("Upgrades to the notification WebSocket of the authenticated user (docs/protocol.md).");
        return endpoints;
    }

    internal static async Task<IResult> ConnectAsync(HttpContext context, WebSocketAdmission admission, ConnectionRunner runner, RefusalWriter refusals)
    {
        // The connection's own work is not part of the upgrade request's trace, which would otherwise collect every span
        // of the connection for as long as it lives.
        Activity.Current = null;
        var (ticket, refusal) = await admission.AdmitAsync(context);
        if (ticket is null)
        {
            return refusals.Answer(context, refusal!);
        }

        try
        {
            await runner.RunAsync(context, ticket);
        }
        finally
        {
            await admission.ReleaseAsync(ticket);
        }

        return TypedResults.Empty;
    }
}
