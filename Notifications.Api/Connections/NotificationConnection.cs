using System.Diagnostics;
using System.Net.WebSockets;
using Notifications.Api.Backplane;
using Notifications.Api.Telemetry;

namespace Notifications.Api.Connections;

/// <summary>
/// One client connection and its bounded outbound queue, over either transport (<see cref="ConnectionTransport"/>).
/// Whoever enqueues the first frame into an empty queue starts the single writer, which runs until the queue is empty
/// again: an idle connection holds no task, timer or buffer.
/// While <see cref="State.Starting"/>, live notifications wait aside while the welcome and any replay go out, and at
/// <see cref="GoLive(IReadOnlyDictionary{string, StreamHead})"/> only those newer than the replay follow; a topic started
/// later (<see cref="BeginStream"/>, <see cref="GoLive(string, StreamHead)"/>) makes the same switch for its stream alone.
/// Once closing, nothing but the close (frame or event) is sent.
/// </summary>
public sealed partial class NotificationConnection(
    string id,
    string userId,
    DateTimeOffset expiresAt,
    ConnectionTransport transport,
    int queueCapacity,
    TimeSpan closeTimeout,
    NotificationsMetrics metrics) : IDisposable, IThreadPoolWorkItem
{
    private readonly Lock _gate = new();
    private readonly Queue<OutboundFrame> _queue = new();
    private readonly List<OutboundFrame> _waitingForStart = [];
    private readonly ConnectionPositions _positions = new();
    private State _state = State.Starting;
    private bool _writerRunning;
    private WebSocketCloseStatus? _closeStatus;
    private string? _closeReason;
    private TaskCompletionSource? _closed;
    private CancellationTokenSource? _closeDeadline;

    /// <summary>Where a connection is in its life; every transition happens under the connection's lock.</summary>
    private enum State
    {
        /// <summary>Welcome and replay are being sent; live notifications wait aside.</summary>
        Starting,

        /// <summary>Live notifications flow.</summary>
        Live,

        /// <summary>A close was asked for; the writer sends the close frame after the write in progress.</summary>
        Closing,

        /// <summary>The close frame went out, or the socket failed: nothing more is written.</summary>
        Closed,
    }

    public string Id { get; } = id;

    public string UserId { get; } = userId;

    public ConnectionTransport Transport { get; } = transport;

    /// <summary>When the token this connection was opened with expires; the connection is closed then (4001).</summary>
    public DateTimeOffset ExpiresAt { get; } = expiresAt;

    public long OpenedTimestamp { get; } = Stopwatch.GetTimestamp();

    /// <summary>The history epoch this connection reads <paramref name="stream"/> in; null until its start has read it.</summary>
    public string? StreamEpoch(string stream)
    {
        lock (_gate)
        {
            return _positions.EpochOf(stream);
        }
    }

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
    public void Send(byte[] frame, int notifications = 0) => Enqueue(OutboundFrame.Own(frame, notifications));

    /// <summary>
    /// Queues a live notification, unless this connection already has that seq of the stream. A full queue closes
    /// the connection as a slow consumer.
    /// </summary>
    public void SendNotification(byte[] frame, string stream, long seq, DateTimeOffset sentAt) =>
        Enqueue(OutboundFrame.Live(frame, stream, seq, sentAt));

    /// <summary>Ends the start: from here on only notifications of these streams after these positions are sent.</summary>
    public void GoLive(IReadOnlyDictionary<string, StreamHead> heads)
    {
        OutboundFrame[] waiting;
        lock (_gate)
        {
            if (_state != State.Starting)
            {
                return;
            }

            foreach (var (stream, head) in heads)
            {
                _positions.Start(stream, head.Seq, head.Epoch);
            }

            _state = State.Live;
            waiting = [.. _waitingForStart];
            _waitingForStart.Clear();
        }

        foreach (var frame in waiting)
        {
            Enqueue(frame);
        }
    }

    /// <summary>
    /// Starts reading a stream while live: its notifications wait aside until <see cref="GoLive(string, StreamHead)"/>.
    /// False when the connection already reads it.
    /// </summary>
    public bool BeginStream(string stream)
    {
        lock (_gate)
        {
            return _positions.BeginStarting(stream);
        }
    }

    /// <summary>Ends the start of one stream: from here on only its notifications after <paramref name="head"/> are sent.</summary>
    public void GoLive(string stream, StreamHead head)
    {
        OutboundFrame[] waiting;
        lock (_gate)
        {
            _positions.Start(stream, head.Seq, head.Epoch);
            waiting = TakeWaiting(stream);
        }

        foreach (var frame in waiting)
        {
            Enqueue(frame);
        }
    }

    /// <summary>Stops reading a stream: nothing of it is queued after this returns. False when the connection did not read it.</summary>
    public bool EndStream(string stream)
    {
        lock (_gate)
        {
            TakeWaiting(stream);
            return _positions.Remove(stream);
        }
    }

    private OutboundFrame[] TakeWaiting(string stream)
    {
        if (_waitingForStart.Count == 0)
        {
            return [];
        }

        OutboundFrame[] taken = [.. _waitingForStart.Where(frame => frame.Stream == stream)];
        _waitingForStart.RemoveAll(frame => frame.Stream == stream);
        return taken;
    }

    /// <summary>
    /// Sends a close frame after the write in progress, dropping what is still queued (a client that reconnects
    /// resumes from the history). Completes when the close frame was sent, the socket failed, or the timeout aborted it.
    /// </summary>
    public Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        int dropped;
        bool startWriter;
        CancellationToken ended;
        lock (_gate)
        {
            _closed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_state is State.Closing or State.Closed)
            {
                return _closed.Task;
            }

            (_state, _closeStatus, _closeReason) = (State.Closing, status, reason);
            dropped = DropQueued();
            startWriter = !_writerRunning;
            _writerRunning = true;
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
        return _closed.Task;
    }

    private void Enqueue(OutboundFrame frame)
    {
        var (accepted, startWriter) = TryEnqueue(frame);
        if (!accepted)
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

    /// <summary>False when the queue is full (a slow consumer); a frame this connection must not send is dropped as accepted.</summary>
    private (bool Accepted, bool StartWriter) TryEnqueue(OutboundFrame frame)
    {
        lock (_gate)
        {
            switch (_state)
            {
                case State.Closing or State.Closed:
                    if (frame.Notifications > 0)
                    {
                        metrics.DeliveryFailed(TelemetryNames.FailureReasons.ConnectionClosing, frame.Notifications);
                    }

                    return (true, false);
                case State.Starting when frame.IsLive:
                    return Wait(frame);
                case State.Live when frame.IsLive && _positions.Admit(frame.Stream!, frame.Seq) is var admission && admission != LiveAdmission.Send:
                    return admission == LiveAdmission.Wait ? Wait(frame) : (true, false);
                default:
                    if (_queue.Count >= queueCapacity)
                    {
                        return (false, false);
                    }

                    _queue.Enqueue(frame);
                    var startWriter = !_writerRunning;
                    _writerRunning = true;
                    return (true, startWriter);
            }
        }

        (bool, bool) Wait(OutboundFrame frame)
        {
            if (_waitingForStart.Count >= queueCapacity)
            {
                return (false, false);
            }

            _waitingForStart.Add(frame);
            return (true, false);
        }
    }

    /// <summary>Empties the queue and the frames waiting for the start; returns the notifications they carried.</summary>
    private int DropQueued()
    {
        var dropped = _queue.Sum(frame => frame.Notifications) + _waitingForStart.Count;
        _queue.Clear();
        _waitingForStart.Clear();
        return dropped;
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

        if (!Transport.HasEnded)
        {
            metrics.ConnectionAborted(TelemetryNames.CloseReasons.CloseTimeout);
            Transport.Abort();
        }

        lock (_gate)
        {
            _closed?.TrySetResult();
        }
    }
}
