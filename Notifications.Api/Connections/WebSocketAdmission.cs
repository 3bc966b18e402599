using System.Diagnostics;
using Microsoft.Extensions.Options;
using Notifications.Api.Auth;
using Notifications.Api.Backplane;
using Notifications.Api.Limits;
using Notifications.Api.Refusals;
using Notifications.Api.Telemetry;
using Notifications.Api.Topics;

namespace Notifications.Api.Connections;

/// <summary>
/// Who may open a socket on this replica: a sequence of checks, each passing or refusing, cheapest first; the two that
/// take something (a lease on the user's connection count, a reference on the user's subscription) come last and are
/// given back by <see cref="ReleaseAsync"/>. Redis failures propagate and are answered as "backplane unavailable".
/// The one admission of both ways in: an upgrade request of the HTTP pipeline, and one taken over from Kestrel's
/// connection (<see cref="Handshake.UpgradeTakeover"/>), which it sees as an <see cref="HttpContext"/> of its head.
/// </summary>
public sealed class WebSocketAdmission(IOptions<ConnectionOptions> options, IOptions<LimitsOptions> limits, UpgradeRateLimiter upgrades,
    WebSocketAuthenticator authenticator, ConnectionDrainer drainer, ConnectionRegistry registry, RedisBackplane backplane,
    UserConnectionLeases leases, TopicPolicy topicPolicy, NotificationsMetrics metrics, ILogger<WebSocketAdmission> logger)
{
    public async Task<(AdmissionTicket? Ticket, Refusal? Refusal)> AdmitAsync(HttpContext context)
    {
        if ((CheckRate(context) ?? CheckUpgrade(context) ?? CheckOrigin(context.Request)) is { } refused)
        {
            return (null, refused);
        }

        if (await authenticator.AuthenticateAsync(context.Request) is not { } identity)
        {
            return (null, ConnectionRefusals.Unauthenticated);
        }

        ResumeRequest? resume = null;
        if ((CheckTopics(context.Request, identity, out var topics) ?? CheckResume(context.Request, identity.UserId, topics, out resume)
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

    private static Refusal? CheckUpgrade(HttpContext context) =>
        context.WebSockets.IsWebSocketRequest ? null : ConnectionRefusals.NotWebSocket;

    private Refusal? CheckOrigin(HttpRequest request) =>
        OriginPolicy.IsAllowed(request.Headers.Origin.ToString(), options.Value.AllowedOrigins) ? null : ConnectionRefusals.Origin;

    private Refusal? CheckTopics(HttpRequest request, SocketIdentity identity, out IReadOnlyList<string> topics)
    {
        (topics, var problem) = topicPolicy.ParseQuery(request.Query[QueryParameters.Topics], identity.TopicPatterns);
        return problem is null ? null : ConnectionRefusals.Topic(problem);
    }

    private static Refusal? CheckResume(HttpRequest request, string userId, IReadOnlyList<string> topics, out ResumeRequest? resume)
    {
        var readable = new HashSet<string>(StringComparer.Ordinal) { Streams.ForUser(userId), Streams.Broadcast };
        readable.UnionWith(topics.Select(Streams.ForTopic));
        return ResumeRequest.TryParse(request.Query[QueryParameters.Epoch], request.Query[QueryParameters.Since], readable,
            out resume, out var error) ? null : ConnectionRefusals.ResumePosition(error!);
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
