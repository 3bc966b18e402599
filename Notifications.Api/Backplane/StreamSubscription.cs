using Notifications.Api.Connections;
using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>
/// This replica's subscription to one stream. It hands the stream's messages to the local connections exactly once
/// and in seq order: duplicates are dropped; a message that arrives ahead of a missing seq waits briefly for it (the
/// client library hands messages over concurrently, so neighbours can swap), and a gap that stays open — a message
/// pub/sub lost while the subscription connection was down — is filled from the history.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "A SemaphoreSlim needs disposing only once its wait handle was used, which this one never is.")]
internal sealed class StreamSubscription(string stream, string? userId, NotificationHistory history, NotificationDispatcher dispatcher, ILogger logger)
{
    private static readonly TimeSpan ReorderWindow = TimeSpan.FromMilliseconds(100);
    private const int MaxEarly = 1000;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Action<RedisChannel, RedisValue>? _handler;
    private ISubscriber? _subscriber;
    private RedisChannel _channel;
    private SortedList<long, NotificationEnvelope>? _early;
    private bool _repairScheduled;
    private string _epoch = "";
    private long _lastSeq;

    public string Stream => stream;

    /// <summary>Subscribes, then reads where the stream stands: everything after that arrives on the channel.</summary>
    public async Task StartAsync(ISubscriber subscriber, RedisChannel channel)
    {
        await _gate.WaitAsync();
        try
        {
            (_subscriber, _channel) = (subscriber, channel);
            _handler = OnMessage;
            await subscriber.SubscribeAsync(channel, _handler);
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

    /// <summary>Removes this subscription's handler only: a newer subscription to the same channel stays.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _handler, null) is { } handler)
        {
            await _subscriber!.UnsubscribeAsync(_channel, handler);
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
                DeliverEarly();
            }
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            BackplaneLog.CatchUpFailed(logger, exception, stream);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message) => _ = OnMessageAsync(message);

    private async Task OnMessageAsync(RedisValue message)
    {
        if (!dispatcher.TryRead((ReadOnlyMemory<byte>)message, stream, out var envelope))
        {
            return;
        }

        await _gate.WaitAsync();
        try
        {
            await AcceptAsync(envelope);
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

    private async Task AcceptAsync(NotificationEnvelope envelope)
    {
        if (envelope.Epoch != _epoch)
        {
            RestartFrom(envelope.Epoch, envelope.Seq - 1);
        }

        if (envelope.Seq <= _lastSeq)
        {
            return;
        }

        if (envelope.Seq == _lastSeq + 1)
        {
            Deliver(envelope);
            DeliverEarly();
            return;
        }

        (_early ??= []).TryAdd(envelope.Seq, envelope);
        if (_early.Count > MaxEarly)
        {
            await FillGapAsync(_early.Keys[0] - 1);
            DeliverEarly();
        }
        else if (!_repairScheduled)
        {
            _repairScheduled = true;
            _ = RepairAfterReorderWindowAsync();
        }
    }

    /// <summary>What is still missing once the reorder window has passed was lost by pub/sub: take it from the history.</summary>
    private async Task RepairAfterReorderWindowAsync()
    {
        await Task.Delay(ReorderWindow);
        await _gate.WaitAsync();
        try
        {
            _repairScheduled = false;
            if (_early is { Count: > 0 })
            {
                await FillGapAsync(_early.Keys[0] - 1);
                DeliverEarly();
            }
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            BackplaneLog.CatchUpFailed(logger, exception, stream);
        }
        finally
        {
            _gate.Release();
        }
    }

    private void Deliver(NotificationEnvelope envelope)
    {
        dispatcher.Dispatch(envelope, userId);
        _lastSeq = envelope.Seq;
    }

    /// <summary>Delivers the early arrivals that are next in line now; drops those already delivered.</summary>
    private void DeliverEarly()
    {
        while (_early is { Count: > 0 } && _early.Keys[0] <= _lastSeq + 1)
        {
            var next = _early.Values[0];
            _early.RemoveAt(0);
            if (next.Seq == _lastSeq + 1)
            {
                Deliver(next);
            }
        }

        if (_early is { Count: 0 })
        {
            _early = null;
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
        (_epoch, _lastSeq, _early) = (epoch, lastSeq, null);
    }
}
