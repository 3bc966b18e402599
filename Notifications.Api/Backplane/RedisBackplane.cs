using System.Diagnostics;
using Notifications.Api.Connections;
using Notifications.Api.Telemetry;
using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>
/// This replica's subscriptions. A replica is subscribed to a user's stream exactly while it holds at least one of
/// that user's connections, and to a topic's while one of its connections is subscribed to the topic
/// (reference-counted), so it never receives other users' or topics' traffic; and to broadcast always.
/// </summary>
public sealed class RedisBackplane : IDisposable
{
    private readonly IConnectionMultiplexer _redis;
    private readonly BackplaneKeys _keys;
    private readonly NotificationHistory _history;
    private readonly NotificationDispatcher _dispatcher;
    private readonly NotificationsMetrics _metrics;
    private readonly ILogger<RedisBackplane> _logger;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SharedSubscription> _streams = new(StringComparer.Ordinal);
    private StreamSubscription? _broadcast;

    public RedisBackplane(IConnectionMultiplexer redis, BackplaneKeys keys, NotificationHistory history,
        NotificationDispatcher dispatcher, NotificationsMetrics metrics, ILogger<RedisBackplane> logger)
    {
        (_redis, _keys, _history, _dispatcher, _metrics, _logger) = (redis, keys, history, dispatcher, metrics, logger);
        _redis.ConnectionRestored += OnSubscriptionConnectionChanged;
        _redis.ConnectionFailed += OnSubscriptionConnectionChanged;
    }

    public bool IsBroadcastSubscribed => Volatile.Read(ref _broadcast) is not null;

    /// <summary>Takes a reference on the user's stream, subscribing on the first; completes once Redis confirmed it.</summary>
    public Task AcquireUserAsync(string userId, CancellationToken cancellationToken) =>
        AcquireAsync(Streams.ForUser(userId), StreamAudience.User(userId), cancellationToken);

    /// <summary>Drops a reference taken by <see cref="AcquireUserAsync"/>, unsubscribing with the last one.</summary>
    public Task ReleaseUserAsync(string userId) => ReleaseAsync(Streams.ForUser(userId));

    /// <summary>Takes a reference on the topic's stream, subscribing on the first; completes once Redis confirmed it.</summary>
    public Task AcquireTopicAsync(string topic, CancellationToken cancellationToken) =>
        AcquireAsync(Streams.ForTopic(topic), StreamAudience.Topic(topic), cancellationToken);

    /// <summary>Drops a reference taken by <see cref="AcquireTopicAsync"/>, unsubscribing with the last one.</summary>
    public Task ReleaseTopicAsync(string topic) => ReleaseAsync(Streams.ForTopic(topic));

    private async Task AcquireAsync(string streamName, StreamAudience audience, CancellationToken cancellationToken)
    {
        SharedSubscription? subscription;
        lock (_gate)
        {
            if (!_streams.TryGetValue(streamName, out subscription))
            {
                var stream = new StreamSubscription(streamName, audience, _history, _dispatcher, _logger);
                subscription = new SharedSubscription(stream, StartSharedAsync(stream));
                _streams.Add(streamName, subscription);
            }

            subscription.References++;
        }

        try
        {
            await subscription.Started.WaitAsync(cancellationToken);
        }
        catch
        {
            await ReleaseAsync(streamName);
            throw;
        }
    }

    private async Task ReleaseAsync(string streamName)
    {
        SharedSubscription? subscription;
        lock (_gate)
        {
            if (!_streams.TryGetValue(streamName, out subscription) || --subscription.References > 0)
            {
                return;
            }

            _streams.Remove(streamName);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await subscription.Started;
            await subscription.Stream.StopAsync();
            _metrics.Housekept(TelemetryNames.Housekeeping.Unsubscribe, started, succeeded: true);
            BackplaneLog.StreamUnsubscribed(_logger, streamName);
        }
        catch (Exception exception)
        {
            _metrics.Housekept(TelemetryNames.Housekeeping.Unsubscribe, started, succeeded: false);
            BackplaneLog.UnsubscribeFailed(_logger, exception, streamName);
        }
    }

    public async Task SubscribeBroadcastAsync()
    {
        var broadcast = new StreamSubscription(Streams.Broadcast, StreamAudience.Broadcast, _history, _dispatcher, _logger);
        await StartAsync(broadcast);
        Volatile.Write(ref _broadcast, broadcast);
        BackplaneLog.BroadcastSubscribed(_logger, Streams.Broadcast);
    }

    public async Task UnsubscribeBroadcastAsync()
    {
        if (Interlocked.Exchange(ref _broadcast, null) is { } broadcast)
        {
            await broadcast.StopAsync();
        }
    }

    public void Dispose()
    {
        _redis.ConnectionRestored -= OnSubscriptionConnectionChanged;
        _redis.ConnectionFailed -= OnSubscriptionConnectionChanged;
    }

    private Task StartAsync(StreamSubscription stream) => stream.StartAsync(_redis.GetSubscriber(), _keys.Channel(stream.Stream));

    private async Task StartSharedAsync(StreamSubscription stream)
    {
        await StartAsync(stream);
        BackplaneLog.StreamSubscribed(_logger, stream.Stream);
    }

    /// <summary>
    /// Pub/sub does not replay what was published while the subscription connection was down; the history does. A
    /// failure counts too: after a failover the client library subscribes on the promoted primary, and the connection to
    /// the lost one may never come back.
    /// </summary>
    private void OnSubscriptionConnectionChanged(object? sender, ConnectionFailedEventArgs args)
    {
        if (args.ConnectionType != ConnectionType.Subscription)
        {
            return;
        }

        List<StreamSubscription> streams;
        lock (_gate)
        {
            streams = [.. _streams.Values.Where(shared => shared.Started.IsCompletedSuccessfully).Select(shared => shared.Stream)];
        }

        if (Volatile.Read(ref _broadcast) is { } broadcast)
        {
            streams.Add(broadcast);
        }

        BackplaneLog.CatchingUp(_logger, args.FailureType, streams.Count);
        foreach (var stream in streams)
        {
            _ = stream.CatchUpAsync();
        }
    }

    /// <summary>One stream's subscription shared by the connections that read it (a user's, or a topic's subscribers).</summary>
    private sealed class SharedSubscription(StreamSubscription stream, Task started)
    {
        public StreamSubscription Stream { get; } = stream;

        public Task Started { get; } = started;

        public int References { get; set; }
    }
}
