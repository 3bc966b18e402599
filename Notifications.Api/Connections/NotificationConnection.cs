using System.Diagnostics;
using System.Net.WebSockets;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Connections;

/// <summary>The two streams a connection reads: its user's and the broadcast.</summary>
public enum StreamSlot
{
    User,
    Broadcast,
}

/// <summary>
/// One client socket and its bounded outbound queue. Whoever enqueues the first frame into an empty queue starts
/// the single writer, which runs until the queue is empty again: an idle connection holds no task, timer or buffer.
/// Until <see cref="GoLive"/> the connection is starting: live notifications wait aside while the welcome and any
/// replay go out, and then only those newer than the replay follow.
/// </summary>
public sealed partial class NotificationConnection(
    string id,
    string userId,
    DateTimeOffset expiresAt,
    WebSocket socket,
    int queueCapacity,
    TimeSpan closeTimeout,
    NotificationsMetrics metrics) : IDisposable, IThreadPoolWorkItem
{
    private readonly Lock _gate = new();
    private readonly Queue<OutboundFrame> _queue = new();
    private List<OutboundFrame>? _starting = [];
    private long _userSeq;
    private long _broadcastSeq;
    private bool _writing;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeReason;
    private TaskCompletionSource? _closed;
    private CancellationTokenSource? _closeDeadline;

    public string Id { get; } = id;

    public string UserId { get; } = userId;

    /// <summary>When the token this connection was opened with expires; the connection is closed then (4001).</summary>
    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public long OpenedTimestamp { get; } = Stopwatch.GetTimestamp();

    /// <summary>The history epoch this connection's positions belong to; null until its start has read it.</summary>
    public string? Epoch { get; set; }

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

    /// <summary>Queues a frame the connection itself produces (welcome, replay batch, resumed, pong), in call order.</summary>
    public void Send(byte[] frame, int notifications = 0) => Enqueue(new OutboundFrame(frame, default, notifications, StreamSlot.User, 0));

    /// <summary>
    /// Queues a live notification, unless this connection already has that seq of the stream. A full queue closes
    /// the connection as a slow consumer.
    /// </summary>
    public void SendNotification(byte[] frame, StreamSlot slot, long seq, DateTimeOffset sentAt) =>
        Enqueue(new OutboundFrame(frame, sentAt, 1, slot, seq));

    /// <summary>Ends the start: from here on only notifications after these positions are sent.</summary>
    public void GoLive(long userSeq, long broadcastSeq)
    {
        List<OutboundFrame> waiting;
        lock (_gate)
        {
            (_userSeq, _broadcastSeq) = (userSeq, broadcastSeq);
            waiting = _starting ?? [];
            _starting = null;
        }

        foreach (var frame in waiting)
        {
            Enqueue(frame);
        }
    }

    /// <summary>
    /// Sends a close frame after the write in progress, dropping what is still queued (a client that reconnects
    /// resumes from the history). Completes when the close frame was sent, the socket failed, or the timeout aborted it.
    /// </summary>
    public Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        int dropped;
        Task closed;
        bool startWriter;
        CancellationToken ended;
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
            dropped = _queue.Sum(frame => frame.Notifications) + (_starting?.Count ?? 0);
            _queue.Clear();
            _starting = null;
            startWriter = !_writing;
            _writing = true;
            _closeDeadline = new CancellationTokenSource();
            ended = _closeDeadline.Token;
        }

        if (dropped > 0)
        {
            metrics.DeliveryFailed(status == CloseStatuses.SlowConsumer ? TelemetryNames.FailureReasons.SlowConsumer : TelemetryNames.FailureReasons.ConnectionClosing, dropped);
        }

        if (startWriter)
        {
            _ = WriteQueuedAsync();
        }

        _ = AbortIfStillOpenAfterAsync(closeTimeout, ended);
        return closed;
    }

    private void Enqueue(OutboundFrame frame)
    {
        bool overflow = false, startWriter = false;
        lock (_gate)
        {
            if (_closeStatus is not null)
            {
                if (frame.Notifications > 0)
                {
                    metrics.DeliveryFailed(TelemetryNames.FailureReasons.ConnectionClosing, frame.Notifications);
                }

                return;
            }

            if (frame.IsLive && _starting is not null)
            {
                overflow = _starting.Count >= queueCapacity;
                if (!overflow)
                {
                    _starting.Add(frame);
                }
            }
            else if (frame.IsLive && !Advance(frame.Slot, frame.Seq))
            {
                return;
            }
            else if (_queue.Count >= queueCapacity)
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
            metrics.DeliveryFailed(TelemetryNames.FailureReasons.SlowConsumer, frame.Notifications);
            _ = CloseAsync(CloseStatuses.SlowConsumer, "slow consumer: resume from your last positions");
        }
        else if (startWriter)
        {
            // Not inline: a broadcast enqueues to thousands of connections from one thread, and their writes should
            // run on every core rather than one after another on that thread.
            ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
        }
    }

    /// <summary>Moves the stream's position to <paramref name="seq"/>; false when the connection already has it.</summary>
    private bool Advance(StreamSlot slot, long seq)
    {
        ref var position = ref slot == StreamSlot.User ? ref _userSeq : ref _broadcastSeq;
        if (seq <= position)
        {
            return false;
        }

        position = seq;
        return true;
    }

    /// <summary>Called when the connection has ended, so nothing (such as the close deadline) keeps it in memory.</summary>
    public void Dispose()
    {
        CancellationTokenSource? deadline;
        lock (_gate)
        {
            deadline = _closeDeadline;
            _closeDeadline = null;
        }

        deadline?.Cancel();
        deadline?.Dispose();
    }

    /// <summary>A peer that does not complete the close handshake in time is cut off.</summary>
    private async Task AbortIfStillOpenAfterAsync(TimeSpan timeout, CancellationToken ended)
    {
        try
        {
            await Task.Delay(timeout, ended);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        if (socket.State is not (WebSocketState.Closed or WebSocketState.Aborted))
        {
            metrics.ConnectionAborted(TelemetryNames.CloseReasons.CloseTimeout);
            socket.Abort();
        }

        lock (_gate)
        {
            _closed?.TrySetResult();
        }
    }
}
