using System.Diagnostics;
using Notifications.Api.Refusals;

namespace Notifications.Api.Connections;

public static class WebSocketEndpoint
{
    public static IEndpointRouteBuilder MapNotificationsWebSocket(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Routes.WebSocket, ConnectAsync)
            .AllowAnonymous()
            .WithMetadata(RefusalArea.Connections)
            .WithName("ConnectWebSocket")
            .WithSummary("Upgrades to the notification WebSocket of the authenticated user (docs/protocol.md).");
        return endpoints;
    }

    /// <summary>
    /// An upgrade that stays an HTTP request for the connection's lifetime (one the takeover did not take: TLS on
    /// Kestrel, HTTP/2, not the connection's first request), and the answer to one the takeover refused.
    /// </summary>
    internal static async Task<IResult> ConnectAsync(HttpContext context, WebSocketAdmission admission, ConnectionRunner runner, RefusalWriter refusals)
    {
        // The connection's own work is not part of the upgrade request's trace, which would otherwise collect every span
        // of the connection for as long as it lives.
        Activity.Current = null;
        var handedOver = HandedOverAdmission.TakeFrom(context);
        var (ticket, refusal) = handedOver is null ? await admission.AdmitAsync(context, TransportKind.WebSocket) : (null, handedOver);
        if (ticket is null)
        {
            return refusals.Answer(context, refusal!);
        }

        await runner.RunAsync(await runner.AcceptAsync(context, ticket), ticket);
        return TypedResults.Empty;
    }
}
