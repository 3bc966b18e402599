using System.Diagnostics;
using Microsoft.Extensions.Options;
using Notifications.Api.Backplane;
using Notifications.Api.Connections;
using Notifications.Api.Limits;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Topics;

/// <summary>
/// Carries out a connection's <c>subscribe</c> and <c>unsubscribe</c> frames. A subscribe makes the same switch as a
/// connection's start: the stream is marked starting (its live notifications wait), the connection is listed among the
/// topic's subscribers and the replica's subscription to the topic's channel confirmed, and only then is the head read;
/// the replay (with <c>since</c>) and <c>subscribed</c> go out, then the live notifications after the head. Every
/// refusal is an <c>error</c> frame, counted and logged (throttled); the connection stays open.
/// </summary>
public sealed class TopicSubscriptions(TopicPolicy policy, ConnectionRegistry registry, RedisBackplane backplane, NotificationHistory history,
    StreamReplay replay, PresenceEvents presence, IOptions<LimitsOptions> limits, NotificationsMetrics metrics, LogThrottle throttle,
    ILogger<TopicSubscriptions> logger)
{
    private const string Subscribe = TelemetryNames.TopicOperations.Subscribe;
    private const string Unsubscribe = TelemetryNames.TopicOperations.Unsubscribe;

    /// <summary>Log throttle keys of their own: a code such as rate_limited must not share the bucket of the frame closes.</summary>
    private const string ThrottlePrefix = "topic.";

    public async Task SubscribeAsync(NotificationConnection connection, AdmissionTicket ticket, TopicRequest request)
    {
        var held = ticket.Held;
        var problem = CheckRate(held) ?? CheckRequest(request)
            ?? (held.Contains(request.Topic!) ? new TopicProblem(ErrorCodes.AlreadySubscribed, "This connection already reads the topic.") : null)
            ?? policy.CheckCount(held.Count + 1)
            ?? TopicPolicy.CheckAllowed(request.Topic!, ticket.Identity.TopicPatterns);
        if (problem is not null)
        {
            Refuse(connection, Subscribe, request.Topic, problem);
            return;
        }

        var topic = request.Topic!;
        var stream = Streams.ForTopic(topic);
        connection.BeginStream(stream);
        registry.Subscribe(stream, connection);
        held.Add(topic);
        if (await TryStartAsync(connection, topic, stream, request))
        {
            metrics.TopicRequest(Subscribe, "ok");
            presence.Joined(topic, connection);
            return;
        }

        connection.EndStream(stream);
        registry.Unsubscribe(stream, connection);
        held.Remove(topic);
    }

    public async Task UnsubscribeAsync(NotificationConnection connection, AdmissionTicket ticket, TopicRequest request)
    {
        var held = ticket.Held;
        var problem = CheckRate(held) ?? CheckRequest(request)
            ?? (held.Contains(request.Topic!) ? null : new TopicProblem(ErrorCodes.NotSubscribed, "This connection does not read the topic."));
        if (problem is not null)
        {
            Refuse(connection, Unsubscribe, request.Topic, problem);
            return;
        }

        var topic = request.Topic!;
        var stream = Streams.ForTopic(topic);
        // Off the connection first: nothing of the stream is queued after the answer.
        connection.EndStream(stream);
        registry.Unsubscribe(stream, connection);
        held.Remove(topic);
        connection.Send(Frames.Unsubscribed(topic));
        metrics.TopicRequest(Unsubscribe, "ok");
        presence.Left(topic, connection);
        await backplane.ReleaseTopicAsync(topic);
    }

    /// <summary>The topics of the connection's query joined with its start.</summary>
    public void OnConnectionStarted(NotificationConnection connection, AdmissionTicket ticket)
    {
        foreach (var topic in ticket.Topics)
        {
            presence.Joined(topic, connection);
        }
    }

    /// <summary>Takes the connection off the topics it still held (the references are given back with its ticket).</summary>
    public void OnConnectionEnded(NotificationConnection connection, AdmissionTicket ticket)
    {
        foreach (var topic in ticket.Held.Held)
        {
            registry.Unsubscribe(Streams.ForTopic(topic), connection);
            presence.Left(topic, connection);
        }
    }

    /// <summary>False when Redis did not answer: the client got <c>backplane_unavailable</c> and the caller undoes the start.</summary>
    private async Task<bool> TryStartAsync(NotificationConnection connection, string topic, string stream, TopicRequest request)
    {
        var acquired = false;
        try
        {
            await backplane.AcquireTopicAsync(topic, CancellationToken.None);
            acquired = true;
            var head = (await history.ReadHeadsAsync([stream]))[stream];
            StreamReplayed? replayed = request.Since is { } since
                ? await replay.ReplayAsync(connection, stream, since, request.Epoch, head)
                : null;
            connection.Send(Frames.Subscribed(topic, stream, head, replayed));
            connection.GoLive(stream, head);
            return true;
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            if (acquired)
            {
                await backplane.ReleaseTopicAsync(topic);
            }

            if (throttle.TryEnter(ThrottlePrefix + ErrorCodes.BackplaneUnavailable, out var suppressed))
            {
                TopicsLog.SubscribeFailed(logger, exception, connection.Id, topic, suppressed);
            }

            metrics.TopicRequest(Subscribe, ErrorCodes.BackplaneUnavailable);
            connection.Send(Frames.Error(ErrorCodes.BackplaneUnavailable, topic, "Redis did not answer; the connection is unchanged: retry."));
            return false;
        }
    }

    private TopicProblem? CheckRate(TopicSet held)
    {
        var settings = limits.Value;
        held.Rate ??= new InboundRate(settings.TopicSubscribesPerSecond, settings.TopicSubscribeBurst);
        return held.Rate.TryTake(Stopwatch.GetTimestamp())
            ? null
            : new TopicProblem(ErrorCodes.RateLimited,
                $"At most {settings.TopicSubscribesPerSecond} subscribes and unsubscribes per second (Limits:TopicSubscribesPerSecond); wait and retry.");
    }

    private TopicProblem? CheckRequest(TopicRequest request) =>
        request.Problem is { } malformed ? new TopicProblem(ErrorCodes.InvalidTopic, malformed) : policy.CheckName(request.Topic);

    private void Refuse(NotificationConnection connection, string operation, string? topic, TopicProblem problem)
    {
        metrics.TopicRequest(operation, problem.Code);
        if (throttle.TryEnter(ThrottlePrefix + problem.Code, out var suppressed))
        {
            TopicsLog.Refused(logger, connection.Id, operation, problem.Code, topic, suppressed);
        }

        // The topic is echoed only when it is a valid name: the frame must not carry what the client made up.
        connection.Send(Frames.Error(problem.Code, TopicNames.IsValid(topic) ? topic : null, problem.Detail));
    }
}
