using System.Net.WebSockets;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Connections;

/// <summary>The single writer of a connection: it drains the queue, batching what piled up, until the queue is empty.</summary>
public sealed partial class NotificationConnection
{
    void IThreadPoolWorkItem.Execute() => _ = WriteQueuedAsync();

    private async Task WriteQueuedAsync()
    {
        var batch = new List<OutboundFrame>();
        try
        {
            while (TakeNext(batch) is { } step)
            {
                if (step == Step.Close)
                {
                    await SendCloseAsync();
                    return;
                }

                await WriteAsync(batch);
                batch.Clear();
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            Fail(batch.Sum(frame => frame.Notifications));
        }
    }

    private enum Step
    {
        Write,
        Close,
    }

    /// <summary>
    /// What the writer does next: the close, the next frame (with the live notifications queued behind it, when it is
    /// live), or nothing — then the writer stops and the next enqueue starts a new one.
    /// </summary>
    private Step? TakeNext(List<OutboundFrame> batch)
    {
        lock (_gate)
        {
            if (_state == State.Closing)
            {
                // The writer stays marked running for good: nothing may follow a close frame.
                return Step.Close;
            }

            if (_state == State.Closed || !_queue.TryDequeue(out var frame))
            {
                _writerRunning = _state == State.Closed;
                return null;
            }

            batch.Add(frame);
            // Live notifications piled up behind this one (a burst, a slow network) leave together: one write, not many.
            while (frame.IsLive && batch.Count < ProtocolLimits.MaxBatchItems && _queue.TryPeek(out var next) && next.IsLive)
            {
                batch.Add(_queue.Dequeue());
            }

            return Step.Write;
        }
    }

    private async Task WriteAsync(List<OutboundFrame> batch)
    {
        await Transport.WriteAsync(batch);

        foreach (var frame in batch)
        {
            if (frame.IsLive)
            {
                metrics.Delivered(frame.SentAt);
            }
            else if (frame.Notifications > 0)
            {
                metrics.Replayed(frame.Notifications);
            }
        }
    }

    private async Task SendCloseAsync()
    {
        if (Transport.CanSendClose)
        {
            await Transport.SendCloseAsync(_closeStatus!.Value, _closeReason);
        }

        lock (_gate)
        {
            _state = State.Closed;
        }

        _closed?.TrySetResult();
    }

    /// <summary>The peer is gone: everything still queued is lost to this connection and counted as failed.</summary>
    private void Fail(int inFlight)
    {
        int dropped;
        lock (_gate)
        {
            dropped = inFlight + DropQueued();
            _state = State.Closed;
            _closeStatus ??= WebSocketCloseStatus.EndpointUnavailable;
            _writerRunning = true;
        }

        if (dropped > 0)
        {
            metrics.DeliveryFailed(TelemetryNames.FailureReasons.SocketError, dropped);
        }

        Transport.Abort();
        _closed?.TrySetResult();
    }
}
