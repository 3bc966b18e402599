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
internal sealed class StreamSubscription(string stream, StreamAudience audience, NotificationHistory history, NotificationDispatcher dispatcher, ILogger logger)
{
    private static readonly TimeSpan ReorderWindow = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan CatchUpRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan CatchUpRetryMax = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CatchUpGiveUp = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan CatchUpSettle = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _gate = new(1, 1);
    private Action<RedisChannel, RedisValue>? _handler;
    private ISubscriber? _subscriber;
    private RedisChannel _channel;
    private StreamSequencer? _sequencer;
    private bool _repairScheduled;
    private int _catchUpsAsked;

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

    /// <summary>
    /// After the subscription connection failed or came back: deliver from the history what pub/sub dropped meanwhile.
    /// Tries until Redis answers (a promoted primary refuses while it has no replica to confirm), then once more a little
    /// later: the client library moves subscriptions to a promoted primary without an event, and a publish between the
    /// first read and that <c>SUBSCRIBE</c> would otherwise wait for the stream's next message to be noticed.
    /// </summary>
    public async Task CatchUpAsync()
    {
        // A connection that keeps failing raises an event per attempt: one catch-up runs, and goes round again if asked meanwhile.
        if (Interlocked.Increment(ref _catchUpsAsked) != 1)
        {
            return;
        }

        int handled;
        do
        {
            handled = Volatile.Read(ref _catchUpsAsked);
            if (await CatchUpUntilAnsweredAsync())
            {
                await Task.Delay(CatchUpSettle);
                await CatchUpUntilAnsweredAsync();
            }
        }
        while (Interlocked.Add(ref _catchUpsAsked, -handled) != 0);
    }

    /// <summary>False if Redis did not answer within <see cref="CatchUpGiveUp"/> (the next restored connection tries again) or the stream was left.</summary>
    private async Task<bool> CatchUpUntilAnsweredAsync()
    {
        var delay = CatchUpRetry;
        var giveUpAt = Environment.TickCount64 + (long)CatchUpGiveUp.TotalMilliseconds;
        Exception? failure;
        while ((failure = await UnderGateAsync(CatchUpOnceAsync, logBackplaneFailure: false)) is not null)
        {
            if (Volatile.Read(ref _handler) is null || Environment.TickCount64 + delay.TotalMilliseconds > giveUpAt)
            {
                BackplaneLog.CatchUpFailed(logger, failure, stream);
                return false;
            }

            await Task.Delay(delay);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, CatchUpRetryMax.Ticks));
        }

        return Volatile.Read(ref _handler) is not null;
    }

    private async Task CatchUpOnceAsync(StreamSequencer sequencer)
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
    }

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
            dispatcher.RequireResume(stream, audience);
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
            dispatcher.Dispatch(envelope, audience);
        }
    }

    /// <summary>Redis lost the history (new epoch): positions of this stream's clients mean nothing any more.</summary>
    private void RequireResume(string oldEpoch, string newEpoch)
    {
        BackplaneLog.EpochChanged(logger, stream, oldEpoch, newEpoch);
        dispatcher.RequireResume(stream, audience, newEpoch);
    }

    /// <summary>One thing at a time per stream; returns the Redis failure, if any (logged unless the caller retries), and the next message or catch-up tries again.</summary>
    private async Task<Exception?> UnderGateAsync(Func<StreamSequencer, Task> work, bool logBackplaneFailure = true)
    {
        await _gate.WaitAsync();
        try
        {
            if (_sequencer is { } sequencer)
            {
                await work(sequencer);
            }

            return null;
        }
        catch (Exception exception) when (BackplaneFailure.Is(exception))
        {
            if (logBackplaneFailure)
            {
                BackplaneLog.CatchUpFailed(logger, exception, stream);
            }

            return exception;
        }
        catch (Exception exception)
        {
            BackplaneLog.DispatchFailed(logger, exception, stream);
            return null;
        }
        finally
        {
            _gate.Release();
        }
    }
}
