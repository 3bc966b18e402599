using System.Diagnostics;
using System.Net.WebSockets;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Connections;

/// <summary>
/// One client socket and its bounded outbound queue. Whoever enqueues the first frame into an empty queue starts
/// the single writer, which runs until the queue is empty again: an idle connection holds no task, timer or buffer.
/// </summary>
public sealed class NotificationConnection(
    string id,
    string userId,
    WebSocket socket,
    int queueCapacity,
    TimeSpan closeTimeout,
    NotificationsMetrics metrics)
{
    private readonly Lock _gate = new();
    private readonly Queue<OutboundFrame> _queue = new();
    private bool _writing;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeReason;
    private TaskCompletionSource? _closed;

    public string Id { get; } = id;

    public string UserId { get; } = userId;

    public long OpenedTimestamp { get; } = Stopwatch.GetTimestamp();

    /// <summary>The close code the server sent or is about to send, if it initiated or answered a close.</summary>
    public WebSocketCloseStatus? CloseStatus
    {
        get
        {
            lock (_gate)
            {
                return _closeStatus;
            }
        }
    }

    /// <summary>Queues a frame that is not a notification (welcome, pong).</summary>
    public void Send(byte[] frame) => Enqueue(new OutboundFrame(frame, default));

    /// <summary>Queues a notification frame; a full queue closes the connection as a slow consumer.</summary>
    public void SendNotification(byte[] frame, DateTimeOffset sentAt) => Enqueue(new OutboundFrame(frame, sentAt));

    /// <summary>
    /// Sends a close frame after the write in progress, dropping what is still queued (a client that reconnects
    /// resumes from the history). Completes when the close frame was sent, the socket failed, or the timeout aborted it.
    /// </summary>
    public Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        int dropped;
        Task closed;
        bool startWriter;
        lock (_gate)
        {
            _closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            closed = _closed.Task;
            if (_closeStatus is not null)
            {
                return closed;
            }

            _closeStatus = status;
            _closeReason = reason;
            dropped = _queue.Count(frame => frame.IsNotification);
            _queue.Clear();
            startWriter = !_writing;
            _writing = true;
        }

        if (dropped > 0)
        {
            metrics.DeliveryFailed(status == CloseCodes.SlowConsumer ? TelemetryNames.FailureReasons.SlowConsumer : TelemetryNames.FailureReasons.ConnectionClosing, dropped);
        }

        if (startWriter)
        {
            _ = WriteQueuedAsync();
        }

        _ = AbortIfStillOpenAfterAsync(closeTimeout);
        return closed;
    }

    private void Enqueue(OutboundFrame frame)
    {
        bool overflow = false, startWriter = false;
        lock (_gate)
        {
            if (_closeStatus is not null)
            {
                if (frame.IsNotification)
                {
                    metrics.DeliveryFailed(TelemetryNames.FailureReasons.ConnectionClosing);
                }

                return;
            }

            if (_queue.Count >= queueCapacity)
            {
                overflow = true;
            }
            else
            {
                _queue.Enqueue(frame);
                startWriter = !_writing;
                _writing = true;
            }
        }

        if (overflow)
        {
            metrics.DeliveryFailed(TelemetryNames.FailureReasons.SlowConsumer);
            _ = CloseAsync(CloseCodes.SlowConsumer, "slow consumer: resume from your last positions");
        }
        else if (startWriter)
        {
            _ = WriteQueuedAsync();
        }
    }

    private async Task WriteQueuedAsync()
    {
        var frame = default(OutboundFrame);
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

                await socket.SendAsync(frame.Payload, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                if (frame.IsNotification)
                {
                    metrics.Delivered(frame.SentAt);
                }

                frame = default;
            }
        }
        catch (Exception exception) when (exception is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            Fail(frame.IsNotification ? 1 : 0);
        }
    }

    /// <summary>The peer is gone: everything still queued is lost to this connection and counted as failed.</summary>
    private void Fail(int inFlight)
    {
        int dropped;
        lock (_gate)
        {
            dropped = inFlight + _queue.Count(frame => frame.IsNotification);
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

    /// <summary>A peer that does not complete the close handshake in time is cut off.</summary>
    private async Task AbortIfStillOpenAfterAsync(TimeSpan timeout)
    {
        await Task.Delay(timeout);
        if (socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
        {
            socket.Abort();
        }

        lock (_gate)
        {
            _closed?.TrySetResult();
        }
    }

    private readonly record struct OutboundFrame(byte[] Payload, DateTimeOffset SentAt)
    {
        public bool IsNotification => SentAt != default;
    }
}
