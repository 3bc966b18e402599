using Notifications.Api.Connections;
using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>
/// This replica's subscription to one stream. It hands the stream's messages to the local connections exactly once
/// and in seq order: duplicates are dropped, and a gap (a message pub/sub lost while the subscription connection
/// was down) is filled from the history before the message after it goes out.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "A SemaphoreSlim needs disposing only once its wait handle was used, which this one never is.")]
internal sealed class StreamSubscription(string stream, string? userId, NotificationHistory history, NotificationDispatcher dispatcher, ILogger logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private ChannelMessageQueue? _queue;
    private string _epoch = "";
    private long _lastSeq;

    public string Stream => stream;

    /// <summary>Subscribes, then reads where the stream stands: everything after that arrives on the channel.</summary>
    public async Task StartAsync(ISubscriber subscriber, RedisChannel channel)
    {
        await _gate.WaitAsync();
        try
        {
            _queue = await subscriber.SubscribeAsync(channel);
            // One message at a time, awaited: the order of the channel is the order of delivery.
            _queue.OnMessage(OnMessageAsync);
            var heads = await history.ReadHeadsAsync([stream]);
            (_epoch, _lastSeq) = (heads.Epoch, heads.Heads[stream]);
        }
        catch
        {
            await StopAsync();
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _queue, null) is { } queue)
        {
            await queue.UnsubscribeAsync();
        }
    }

    /// <summary>After the subscription connection came back: deliver from the history what was published meanwhile.</summary>
    public async Task CatchUpAsync()
    {
        await _gate.WaitAsync();
        try
        {
            var heads = await history.ReadHeadsAsync([stream]);
            if (heads.Epoch != _epoch)
            {
                RestartFrom(heads.Epoch, heads.Heads[stream]);
            }
            else if (heads.Heads[stream] > _lastSeq)
            {
                await FillGapAsync(heads.Heads[stream]);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            BackplaneLog.CatchUpFailed(logger, exception, stream);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task OnMessageAsync(ChannelMessage message)
    {
        if (!dispatcher.TryRead((ReadOnlyMemory<byte>)message.Message, stream, out var envelope))
        {
            return;
        }

        await _gate.WaitAsync();
        try
        {
            if (envelope.Epoch != _epoch)
            {
                RestartFrom(envelope.Epoch, envelope.Seq - 1);
            }

            if (envelope.Seq <= _lastSeq)
            {
                return;
            }

            if (envelope.Seq > _lastSeq + 1)
            {
                await FillGapAsync(envelope.Seq - 1);
            }

            dispatcher.Dispatch(envelope, userId);
            _lastSeq = envelope.Seq;
        }
        catch (Exception exception)
        {
            BackplaneLog.DispatchFailed(logger, exception, stream);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task FillGapAsync(long toSeq)
    {
        var range = await history.ReadAsync(stream, _epoch, _lastSeq, toSeq);
        if (range.Complete)
        {
            BackplaneLog.GapFilled(logger, stream, range.Envelopes.Count);
            foreach (var envelope in range.Envelopes)
            {
                dispatcher.Dispatch(envelope, userId);
            }
        }
        else
        {
            // The history no longer has the gap: the clients must hear it from a resume, not miss it silently.
            BackplaneLog.GapLost(logger, stream, _lastSeq, toSeq);
            dispatcher.RequireResume(userId);
        }

        _lastSeq = toSeq;
    }

    /// <summary>Redis lost the history (new epoch): positions of this stream's clients mean nothing any more.</summary>
    private void RestartFrom(string epoch, long lastSeq)
    {
        BackplaneLog.EpochChanged(logger, stream, _epoch, epoch);
        dispatcher.RequireResume(userId, epoch);
        (_epoch, _lastSeq) = (epoch, lastSeq);
    }
}
