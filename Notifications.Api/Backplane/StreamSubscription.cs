using Notifications.Api.Connections;
using StackExchange.Redis;

namespace Notifications.Api.Backplane;

/// <summary>
/// This replica's subscription to one stream: the Redis side (subscribe, unsubscribe, history reads) around a
/// <see cref="StreamSequencer"/> that keeps the order. A message that arrives ahead of a missing seq waits briefly for
/// it (the client library hands messages over concurrently, so neighbours can swap); a gap that stays open — a message
/// pub/sub lost while the subscription connection was down — is filled from the history.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001",
    Justification = "A SemaphoreSlim needs disposing only once its wait handle was used, which this one never is.")]
internal sealed class StreamSubscription(string stream, string? userId, NotificationHistory history, NotificationDispatcher dispatcher, ILogger logger)
{
    private static readonly TimeSpan ReorderWindow = TimeSpan.FromMilliseconds(100);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Action<RedisChannel, RedisValue>? _handler;
    private ISubscriber? _subscriber;
    private RedisChannel _channel;
    private StreamSequencer? _sequencer;
    private bool _repairScheduled;

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
            var head = (await history.ReadHeadsAsync([stream]))[stream];
            _sequencer = new StreamSequencer(head.Epoch, head.Seq);
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
    public Task CatchUpAsync() => UnderGateAsync(async sequencer =>
    {
        var head = (await history.ReadHeadsAsync([stream]))[stream];
        if (!sequencer.TryContinue(head.Epoch))
        {
            RequireResume(sequencer.Epoch, head.Epoch);
            sequencer.Restart(head.Epoch, head.Seq);
        }
        else if (head.Seq > sequencer.LastSeq)
        {
            await FillGapAsync(sequencer, head.Seq);
        }
    });

    private void OnMessage(RedisChannel channel, RedisValue message) => _ = OnMessageAsync(message);

    private async Task OnMessageAsync(RedisValue message)
    {
        if (!dispatcher.TryRead((ReadOnlyMemory<byte>)message, stream, out var envelope))
        {
            return;
        }

        await UnderGateAsync(async sequencer =>
        {
            var accepted = sequencer.Accept(envelope);
            if (accepted.PreviousEpoch is { } previous)
            {
                RequireResume(previous, envelope.Epoch);
            }

            Deliver(accepted.Deliver);
            if (sequencer.MustFillNow)
            {
                await FillGapAsync(sequencer, sequencer.GapEnd!.Value);
            }
            else if (sequencer.GapEnd is not null && !_repairScheduled)
            {
                _repairScheduled = true;
                _ = RepairAfterReorderWindowAsync();
            }
        });
    }

    /// <summary>What is still missing once the reorder window has passed was lost by pub/sub: take it from the history.</summary>
    private async Task RepairAfterReorderWindowAsync()
    {
        await Task.Delay(ReorderWindow);
        await UnderGateAsync(async sequencer =>
        {
            _repairScheduled = false;
            if (sequencer.GapEnd is { } gapEnd)
            {
                await FillGapAsync(sequencer, gapEnd);
            }
        });
    }

    private async Task FillGapAsync(StreamSequencer sequencer, long toSeq)
    {
        var filled = sequencer.Fill(await history.ReadAsync(stream, sequencer.Epoch, sequencer.LastSeq, toSeq), toSeq);
        if (filled.Lost)
        {
            // The history no longer has the gap: the clients must hear it from a resume, not miss it silently.
            BackplaneLog.GapLost(logger, stream, filled.FromSeq, toSeq);
            dispatcher.RequireResume(stream, userId);
        }
        else
        {
            BackplaneLog.GapFilled(logger, stream, (int)(toSeq - filled.FromSeq));
        }

        Deliver(filled.Deliver);
    }

    private void Deliver(IReadOnlyList<NotificationEnvelope> envelopes)
    {
        foreach (var envelope in envelopes)
        {
            dispatcher.Dispatch(envelope, userId);
        }
    }

    /// <summary>Redis lost the history (new epoch): positions of this stream's clients mean nothing any more.</summary>
    private void RequireResume(string oldEpoch, string newEpoch)
    {
        BackplaneLog.EpochChanged(logger, stream, oldEpoch, newEpoch);
        dispatcher.RequireResume(stream, userId, newEpoch);
    }

    /// <summary>One thing at a time per stream; a Redis failure is logged, and the next message or catch-up tries again.</summary>
    private async Task UnderGateAsync(Func<StreamSequencer, Task> work)
    {
        await _gate.WaitAsync();
        try
        {
            if (_sequencer is { } sequencer)
            {
                await work(sequencer);
            }
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            BackplaneLog.CatchUpFailed(logger, exception, stream);
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
}
