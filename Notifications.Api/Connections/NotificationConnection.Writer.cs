using System.Net.WebSockets;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Connections;

/// <summary>The single writer of a connection: it drains the queue, batching what piled up, until the queue is empty.</summary>
public sealed partial class NotificationConnection
{
    void IThreadPoolWorkItem.Execute() => _ = WriteQueuedAsync();

    private async Task WriteQueuedAsync()
    {
        var frame = default(OutboundFrame);
        List<OutboundFrame>? batch = null;
        try
        {
            while (true)
            {
                WebSocketCloseStatus? closeStatus;
                lock (_gate)
                {
                    closeStatus = _closeStatus;
                    if (closeStatus is null && !_queue.TryDequeue(out frame))
                    {
                        _writing = false;
                        return;
                    }

                    if (closeStatus is null && frame.IsLive)
                    {
                        batch = TakeQueuedLiveFrames(frame, batch);
                    }
                }

                if (closeStatus is { } status)
                {
                    // The writer stays marked busy for good: nothing may follow a close frame.
                    if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(status, _closeReason, CancellationToken.None);
                    }

                    _closed?.TrySetResult();
                    return;
                }

                if (batch is { Count: > 1 })
                {
                    await FrameBatch.SendAsync(socket, batch);
                    foreach (var item in batch)
                    {
                        metrics.Delivered(item.SentAt);
                    }

                    batch.Clear();
                }
                else
                {
                    batch?.Clear();
                    await socket.SendAsync(frame.Payload, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                    if (frame.IsLive)
                    {
                        metrics.Delivered(frame.SentAt);
                    }
                    else if (frame.Notifications > 0)
                    {
                        metrics.Replayed(frame.Notifications);
                    }
                }

                frame = default;
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            Fail(batch is { Count: > 1 } ? batch.Count : frame.Notifications);
        }
    }

    /// <summary>
    /// When live notifications have piled up behind the one being written (a burst, a slow network), they leave
    /// together as one <c>batch</c> frame: one write instead of many.
    /// </summary>
    private List<OutboundFrame>? TakeQueuedLiveFrames(OutboundFrame first, List<OutboundFrame>? batch)
    {
        if (!_queue.TryPeek(out var next) || !next.IsLive)
        {
            return batch;
        }

        batch ??= [];
        batch.Add(first);
        while (batch.Count < ProtocolLimits.MaxBatchItems && _queue.TryPeek(out next) && next.IsLive)
        {
            batch.Add(_queue.Dequeue());
        }

        return batch;
    }

    /// <summary>The peer is gone: everything still queued is lost to this connection and counted as failed.</summary>
    private void Fail(int inFlight)
    {
        int dropped;
        lock (_gate)
        {
            dropped = inFlight + _queue.Sum(frame => frame.Notifications);
            _queue.Clear();
            _closeStatus ??= WebSocketCloseStatus.EndpointUnavailable;
            _writing = true;
        }

        if (dropped > 0)
        {
            metrics.DeliveryFailed(TelemetryNames.FailureReasons.SocketError, dropped);
        }

        socket.Abort();
        _closed?.TrySetResult();
    }

    /// <summary>A queued frame; a live notification has a seq, frames of the connection's own making do not.</summary>
    internal readonly record struct OutboundFrame(byte[] Payload, DateTimeOffset SentAt, int Notifications, StreamSlot Slot, long Seq)
    {
        public bool IsLive => Seq > 0;
    }
}
