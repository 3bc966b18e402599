using Microsoft.Extensions.Options;
using Notifications.Api.Connections;
using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>
/// Carries messages between replicas over Redis pub/sub. A replica is subscribed to a user's channel exactly while
/// it holds at least one of that user's connections, so it never receives other users' traffic.
/// </summary>
public sealed class RedisBackplane(
    IConnectionMultiplexer redis,
    IOptions<BackplaneOptions> options,
    NotificationDispatcher dispatcher,
    ILogger<RedisBackplane> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserSubscription> _users = new(StringComparer.Ordinal);
    private ChannelMessageQueue? _broadcast;

    public bool IsBroadcastSubscribed => _broadcast is not null;

    /// <summary>Users whose channel this replica is subscribed to (or subscribing to) right now.</summary>
    public int SubscribedUserCount
    {
        get
        {
            lock (_gate)
            {
                return _users.Count;
            }
        }
    }

    public RedisChannel ChannelOf(string stream) => RedisChannel.Literal(options.Value.ChannelPrefix + stream);

    /// <summary>Publishes an envelope to its stream's channel; returns how many replicas received it.</summary>
    public async Task<long> PublishAsync(NotificationEnvelope envelope)
    {
        return await redis.GetSubscriber()
            .PublishAsync(ChannelOf(envelope.Stream), envelope.ToUtf8Bytes())
            .WaitAsync(options.Value.PublishTimeout);
    }

    /// <summary>Takes a reference on the user's channel, subscribing on the first; completes once Redis confirmed it.</summary>
    public async Task AcquireUserAsync(string userId, CancellationToken cancellationToken)
    {
        UserSubscription? subscription;
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out subscription))
            {
                subscription = new UserSubscription(SubscribeUserAsync(userId));
                _users.Add(userId, subscription);
            }

            subscription.References++;
        }

        try
        {
            await subscription.Subscribed.WaitAsync(cancellationToken);
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

        try
        {
            var queue = await subscription.Subscribed;
            // Unsubscribing this queue only: a newer subscription to the same channel, taken meanwhile, stays.
            await queue.UnsubscribeAsync();
            BackplaneLog.UserUnsubscribed(logger, userId);
        }
        catch (Exception exception)
        {
            BackplaneLog.UnsubscribeFailed(logger, exception, userId);
        }
    }

    public async Task SubscribeBroadcastAsync()
    {
        var channelName = options.Value.ChannelPrefix + Streams.Broadcast;
        var queue = await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channelName));
        queue.OnMessage(message => Dispatch(message, userId: null));
        _broadcast = queue;
        BackplaneLog.BroadcastSubscribed(logger, channelName);
    }

    public async Task UnsubscribeBroadcastAsync()
    {
        if (Interlocked.Exchange(ref _broadcast, null) is { } queue)
        {
            await queue.UnsubscribeAsync();
        }
    }

    private async Task<ChannelMessageQueue> SubscribeUserAsync(string userId)
    {
        var queue = await redis.GetSubscriber().SubscribeAsync(ChannelOf(Streams.ForUser(userId)));
        // A queue hands messages over one at a time in channel order, which keeps each stream in order.
        queue.OnMessage(message => Dispatch(message, userId));
        BackplaneLog.UserSubscribed(logger, userId);
        return queue;
    }

    private void Dispatch(ChannelMessage message, string? userId)
    {
        try
        {
            var payload = (ReadOnlyMemory<byte>)message.Message;
            if (userId is null)
            {
                dispatcher.DispatchToAll(payload);
            }
            else
            {
                dispatcher.DispatchToUser(userId, payload);
            }
        }
        catch (Exception exception)
        {
            BackplaneLog.DispatchFailed(logger, exception, message.Channel.ToString());
        }
    }

    private sealed class UserSubscription(Task<ChannelMessageQueue> subscribed)
    {
        public Task<ChannelMessageQueue> Subscribed { get; } = subscribed;

        public int References { get; set; }
    }
}
