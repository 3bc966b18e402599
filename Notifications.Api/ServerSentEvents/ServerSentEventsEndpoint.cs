using System.Diagnostics;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Options;
using Notifications.Api.Connections;
using Notifications.Api.Refusals;
using Notifications.Api.Telemetry;

namespace Notifications.Api.ServerSentEvents;

public static class ServerSentEventsEndpoint
{
    /// <summary>
    /// A browser's <c>EventSource</c> waits this long, plus up to <see cref="RetryJitterMilliseconds"/> picked per
    /// connection, before it reconnects a stream that ended: the clients of a replica that went away come back spread out
    /// rather than all at once (an <c>EventSource</c> has no backoff of its own).
    /// </summary>
    public const int RetryMilliseconds = 1_000;

    public const int RetryJitterMilliseconds = 4_000;

    public static IEndpointRouteBuilder MapNotificationsServerSentEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup(Routes.ServerSentEvents)
            .AllowAnonymous()
            .WithMetadata(RefusalArea.Connections)
            .MapGet("", ConnectAsync)
            .WithName("ConnectServerSentEvents")
            .WithSummary("Streams the notification frames of the authenticated user as Server-Sent Events, the fallback of /ws (docs/protocol.md).");
        return endpoints;
    }

    /// <summary>Admitted as a WebSocket is, with the same refusals; then the event stream runs until the connection ends.</summary>
    internal static async Task<IResult> ConnectAsync(HttpContext context, WebSocketAdmission admission, ConnectionRunner runner, RefusalWriter refusals,
        IOptions<ConnectionOptions> options, NotificationsMetrics metrics)
    {
        // As on /ws: the connection's own work is not part of this request's trace.
        Activity.Current = null;
        var (ticket, refusal) = await admission.AdmitAsync(context, TransportKind.ServerSentEvents);
        if (ticket is null)
        {
            return refusals.Answer(context, refusal!);
        }

        var transport = await StartAsync(context, ticket, admission);
        var heartbeats = transport.SendHeartbeatsAsync(options.Value.KeepAliveInterval, options.Value.KeepAliveTimeout, metrics);
        await runner.RunAsync(transport, ticket, _ => transport.WaitUntilEndedAsync());
        await heartbeats;
        return TypedResults.Empty;
    }

    /// <summary>The <c>200</c>, its headers and the <c>retry:</c> line, sent at once; the ticket is given back if that fails.</summary>
    private static async Task<ServerSentEventsTransport> StartAsync(HttpContext context, AdmissionTicket ticket, WebSocketAdmission admission)
    {
        try
        {
            var response = context.Response;
            response.ContentType = EventStreams.ContentType;
            response.Headers.CacheControl = "no-cache";
            // nginx buffers proxied responses unless told otherwise, which would hold events back.
            response.Headers["X-Accel-Buffering"] = "no";
            // An EventSource of another origin (the web app's) may read the stream only if the answer names that origin;
            // admission has already held it to Connections:AllowedOrigins.
            if (context.Request.Headers.Origin is [{ } origin])
            {
                response.Headers.AccessControlAllowOrigin = origin;
                response.Headers.Vary = "Origin";
            }
            // A stream lives for hours and may be idle between heartbeats: the slow-consumer rule and the heartbeat
            // timeout judge the client, not Kestrel's minimum data rate (which a WebSocket is not held to either).
            context.Features.Get<IHttpMinResponseDataRateFeature>()?.MinDataRate = null;
            EventFormat.WriteRetry(response.BodyWriter, RetryMilliseconds + Random.Shared.Next(RetryJitterMilliseconds + 1));
            await response.BodyWriter.FlushAsync(context.RequestAborted);
            return new ServerSentEventsTransport(context, ticket.Resume);
        }
        catch
        {
            await admission.ReleaseAsync(ticket);
            throw;
        }
    }
}
