using System.Diagnostics;
using Notifications.Api.Connections;
using Notifications.Api.Telemetry;
using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>
/// This replica's subscriptions. A replica is subscribed to a user's stream exactly while it holds at least one of
/// that user's connections (reference-counted), so it never receives other users' traffic; and to broadcast always.
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
    private readonly Dictionary<string, UserSubscription> _users = new(StringComparer.Ordinal);
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
    public async Task AcquireUserAsync(string userId, CancellationToken cancellationToken)
    {
        UserSubscription? subscription;
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out subscription))
            {
                var stream = new StreamSubscription(Streams.ForUser(userId), userId, _history, _dispatcher, _logger);
                subscription = new UserSubscription(stream, StartUserAsync(stream, userId));
                _users.Add(userId, subscription);
            }

            subscription.References++;
        }

        try
        {
            await subscription.Started.WaitAsync(cancellationToken);
        }
        catch
        {
            await ReleaseUserAsync(userId);
            throw;
        }
    }

    /// <summary>Drops a reference taken by <see cref="AcquireUserAsync"/>, unsubscribing with the last one.</summary>
    public async Task ReleaseUserAsync(string userId)
    {
        UserSubscription? subscription;
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out subscription) || --subscription.References > 0)
            {
                return;
            }

            _users.Remove(userId);
        }

        var started = Stopwatch.GetTimestamp();
        try
        {
            await subscription.Started;
            await subscription.Stream.StopAsync();
            _metrics.Housekept(TelemetryNames.Housekeeping.Unsubscribe, started, succeeded: true);
            BackplaneLog.UserUnsubscribed(_logger, userId);
        }
        catch (Exception exception)
        {
            _metrics.Housekept(TelemetryNames.Housekeeping.Unsubscribe, started, succeeded: false);
            BackplaneLog.UnsubscribeFailed(_logger, exception, userId);
        }
    }

    public async Task SubscribeBroadcastAsync()
    {
        var broadcast = new StreamSubscription(Streams.Broadcast, userId: null, _history, _dispatcher, _logger);
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

    private async Task StartUserAsync(StreamSubscription stream, string userId)
    {
        await StartAsync(stream);
        BackplaneLog.UserSubscribed(_logger, userId);
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
            streams = [.. _users.Values.Where(user => user.Started.IsCompletedSuccessfully).Select(user => user.Stream)];
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

    private sealed class UserSubscription(StreamSubscription stream, Task started)
    {
        public StreamSubscription Stream { get; } = stream;

        public Task Started { get; } = started;

        public int References { get; set; }
    }
}
