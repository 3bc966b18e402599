using System.Diagnostics;
using Microsoft.Extensions.Options;
using Notifications.Api.Auth;
using Notifications.Api.Backplane;
using Notifications.Api.Limits;
using Notifications.Api.Refusals;
using Notifications.Api.ServerSentEvents;
using Notifications.Api.Telemetry;
using Notifications.Api.Topics;

namespace Notifications.Api.Connections;

/// <summary>
/// Who may open a connection on this replica, over either transport (<see cref="TransportKind"/>: a WebSocket on
/// <c>/ws</c>, an event stream on <c>/sse</c>), with the same checks and the same refusals: a sequence of checks, each passing or refusing, cheapest first; the two that
/// take something (a lease on the user's connection count, a reference on the user's subscription) come last and are
/// given back by <see cref="ReleaseAsync"/>. Redis failures propagate and are answered as "backplane unavailable".
/// The one admission of both ways in: an upgrade request of the HTTP pipeline, and one taken over from Kestrel's
/// connection (<see cref="Handshake.UpgradeTakeover"/>), which it sees as an <see cref="HttpContext"/> of its head.
/// </summary>
public sealed class WebSocketAdmission(IOptions<ConnectionOptions> options, IOptions<LimitsOptions> limits, UpgradeRateLimiter upgrades,
    WebSocketAuthenticator authenticator, ConnectionDrainer drainer, ConnectionRegistry registry, RedisBackplane backplane,
    UserConnectionLeases leases, TopicPolicy topicPolicy, NotificationsMetrics metrics, ILogger<WebSocketAdmission> logger)
{
    public async Task<(AdmissionTicket? Ticket, Refusal? Refusal)> AdmitAsync(HttpContext context, TransportKind transport)
    {
        if ((CheckRate(context) ?? CheckUpgrade(context, transport) ?? CheckOrigin(context.Request)) is { } refused)
        {
            return (null, refused);
        }

        if (await authenticator.AuthenticateAsync(context.Request) is not { } identity)
        {
            return (null, ConnectionRefusals.Unauthenticated);
        }

        ResumeRequest? resume = null;
        if ((CheckTopics(context.Request, identity, out var topics) ?? CheckResume(context.Request, identity.UserId, topics, transport, out resume)
                ?? CheckReady()) is { } unavailable)
        {
            return (null, unavailable);
        }

        var ticket = new AdmissionTicket(Guid.CreateVersion7().ToString("N"), identity, resume, topics);
        if (!await leases.TryAcquireAsync(identity.UserId, ticket.ConnectionId))
        {
            return (null, ConnectionRefusals.UserLimit(limits.Value.ConnectionsPerUser));
        }

        await SubscribeAsync(ticket, context.RequestAborted);
        return (ticket, null);
    }

    /// <summary>Gives back what the ticket holds; a lease that cannot be released (Redis down) runs out by itself.</summary>
    public async Task ReleaseAsync(AdmissionTicket ticket)
    {
        await backplane.ReleaseUserAsync(ticket.Identity.UserId);
        foreach (var topic in ticket.Held.Held)
        {
            await backplane.ReleaseTopicAsync(topic);
        }

        await ReleaseLeaseAsync(ticket);
    }

    private Refusal? CheckRate(HttpContext context) =>
        upgrades.TryAcquire(context.Connection.RemoteIpAddress, out var retryAfterSeconds) ? null : ConnectionRefusals.RateLimited(retryAfterSeconds);

    private static Refusal? CheckUpgrade(HttpContext context, TransportKind transport) =>
        transport != TransportKind.WebSocket || context.WebSockets.IsWebSocketRequest ? null : ConnectionRefusals.NotWebSocket;

    private Refusal? CheckOrigin(HttpRequest request) =>
        OriginPolicy.IsAllowed(request.Headers.Origin.ToString(), options.Value.AllowedOrigins) ? null : ConnectionRefusals.Origin;

    private Refusal? CheckTopics(HttpRequest request, SocketIdentity identity, out IReadOnlyList<string> topics)
    {
        (topics, var problem) = topicPolicy.ParseQuery(request.Query[QueryParameters.Topics], identity.TopicPatterns);
        return problem is null ? null : ConnectionRefusals.Topic(problem);
    }

    /// <summary>From the query, or, on an event stream, from the <c>Last-Event-ID</c> of a reconnect, which replaces it.</summary>
    private static Refusal? CheckResume(HttpRequest request, string userId, IReadOnlyList<string> topics, TransportKind transport,
        out ResumeRequest? resume)
    {
        // The connection's streams in their order (user, broadcast, the query's topics): the welcome's positions and
        // epoch, and an event cursor, follow it.
        string[] streams = [Streams.ForUser(userId), Streams.Broadcast, .. topics.Select(Streams.ForTopic)];
        string? error;
        if (transport == TransportKind.ServerSentEvents && request.Headers[EventStreams.LastEventIdHeader].ToString() is { Length: > 0 } cursor)
        {
            return EventCursor.TryParse(cursor, streams, out resume, out error) ? null : ConnectionRefusals.ResumePosition(error!);
        }

        return ResumeRequest.TryParse(request.Query[QueryParameters.Epoch], request.Query[QueryParameters.Since],
            streams.ToHashSet(StringComparer.Ordinal), out resume, out error) ? null : ConnectionRefusals.ResumePosition(error!);
    }

    /// <summary>
    /// A replica that is draining, has no broadcast subscription yet (its welcome would promise broadcasts it could
    /// miss), or is full sends the client to another.
    /// </summary>
    private Refusal? CheckReady() =>
        drainer.IsDraining ? ConnectionRefusals.Draining
        : !backplane.IsBroadcastSubscribed ? ConnectionRefusals.NotReady
        : registry.ConnectionCount >= limits.Value.MaxConnectionsPerReplica ? ConnectionRefusals.Capacity
        : null;

    /// <summary>Subscribed before the upgrade: a client that has its welcome receives everything published after it.</summary>
    private async Task SubscribeAsync(AdmissionTicket ticket, CancellationToken aborted)
    {
        var acquired = new List<string>(ticket.Topics.Count);
        var userAcquired = false;
        try
        {
            await backplane.AcquireUserAsync(ticket.Identity.UserId, aborted);
            userAcquired = true;
            foreach (var topic in ticket.Topics)
            {
                await backplane.AcquireTopicAsync(topic, aborted);
                acquired.Add(topic);
            }
        }
        catch
        {
            // A failed acquire gave its own reference back; the ones before it are given back here.
            if (userAcquired)
            {
                await backplane.ReleaseUserAsync(ticket.Identity.UserId);
            }

            foreach (var topic in acquired)
            {
                await backplane.ReleaseTopicAsync(topic);
            }

            await ReleaseLeaseAsync(ticket);
            throw;
        }
    }

    private async Task ReleaseLeaseAsync(AdmissionTicket ticket)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await leases.ReleaseAsync(ticket.Identity.UserId, ticket.ConnectionId);
            metrics.Housekept(TelemetryNames.Housekeeping.LeaseRelease, started, succeeded: true);
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            metrics.Housekept(TelemetryNames.Housekeeping.LeaseRelease, started, succeeded: false);
            ConnectionsLog.LeaseReleaseFailed(logger, exception, ticket.Identity.UserId);
        }
    }
}
