using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Notifications.Contract;

namespace Notifications.Client;

/// <summary>
/// A connection to AspireNotify that stays up: it reconnects with backoff and jitter, resumes from the last seq of
/// each stream, drops duplicates, and hands notifications over in order through <see cref="ReadAllAsync"/>. Topics
/// (<see cref="SubscribeAsync"/>) are read again after a reconnect from where the client stood in each.
/// </summary>
public sealed partial class NotificationClient : IAsyncDisposable
{
    private readonly NotificationClientOptions _options;
    private readonly Channel<Notification> _notifications;
    private readonly ResumeState _resume;
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _pings = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly SemaphoreSlim _topicGate = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<ServerFrame>> _topicAnswers = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstWelcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? _socket;
    private Task? _running;
    private long _lastPing;

    public NotificationClient(NotificationClientOptions options)
    {
        _options = options;
        _notifications = Channel.CreateBounded<Notification>(new BoundedChannelOptions(options.MaxBufferedNotifications)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _resume = new ResumeState(options.ResumeFrom, options.Topics);
    }

    public ConnectionState State { get; private set; } = ConnectionState.Connecting;

    /// <summary>The replica the client is connected to, from its last welcome.</summary>
    public string? Node { get; private set; }

    /// <summary>The history epoch of the last welcome; a reconnect resumes only within the same epoch.</summary>
    public string? Epoch => _resume.Epoch;

    /// <summary>The last seq delivered per stream.</summary>
    public IReadOnlyDictionary<string, long> Positions => _resume.Positions;

    /// <summary>What to save to resume after a restart of the application; null before the first welcome.</summary>
    public ResumePoint? ResumePoint => _resume.ResumePoint;

    /// <summary>The topics the client reads, or will at its next connect.</summary>
    public IReadOnlyList<string> Topics => _resume.Topics;

    public event Action<ConnectionStateChange>? StateChanged;

    public event Action<ResumeResult>? Resumed;

    /// <summary>Connects; completes at the first welcome, or throws if the server refuses this client for good.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _running ??= RunAsync();
        await _firstWelcome.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Every notification, once, in seq order per stream, across reconnects.</summary>
    public IAsyncEnumerable<Notification> ReadAllAsync(CancellationToken cancellationToken = default) =>
        _notifications.Reader.ReadAllAsync(cancellationToken);

    /// <summary>
    /// Starts reading a topic: its notifications after the server's answer arrive through <see cref="ReadAllAsync"/>, and
    /// after a reconnect the client catches up with it from its last position. While disconnected, the topic is read from
    /// the next connect on. A refusal (<see cref="ErrorCodes"/>) throws <see cref="TopicRequestException"/>; over Server-Sent
    /// Events, which carry nothing from the client, it throws <see cref="NotSupportedException"/>.
    /// </summary>
    public async Task SubscribeAsync(string topic, CancellationToken cancellationToken = default)
    {
        RequireWebSocketForTopicRequests();
        if (!TopicNames.IsValid(topic))
        {
            throw new ArgumentException(TopicNames.Rule, nameof(topic));
        }

        if (!_resume.AddTopic(topic))
        {
            return;
        }

        var answer = await RequestAsync(FrameTypes.Subscribe, topic, cancellationToken);
        if (answer is ErrorFrame error)
        {
            _resume.RemoveTopic(topic);
            throw new TopicRequestException(error.Code, error.Topic, error.Detail);
        }
    }

    /// <summary>Stops reading a topic: nothing of it is delivered after this returns.</summary>
    public async Task UnsubscribeAsync(string topic, CancellationToken cancellationToken = default)
    {
        RequireWebSocketForTopicRequests();
        if (_resume.RemoveTopic(topic))
        {
            // Not subscribed on the server (a subscribe still on its way) is as good as unsubscribed.
            await RequestAsync(FrameTypes.Unsubscribe, topic, cancellationToken);
        }
    }

    /// <summary>An event stream's topics are its query's (<see cref="NotificationClientOptions.Topics"/>): it carries nothing from the client.</summary>
    private void RequireWebSocketForTopicRequests()
    {
        if (_options.Transport == NotificationTransport.ServerSentEvents)
        {
            throw new NotSupportedException(
                "An event stream carries nothing from the client: its topics are NotificationClientOptions.Topics, chosen at connect.");
        }
    }

    /// <summary>Sends a topic request and waits for its answer; null when not connected (the next connect's query carries the change).</summary>
    private async Task<ServerFrame?> RequestAsync(string type, string topic, CancellationToken cancellationToken)
    {
        if (_socket is not { State: WebSocketState.Open } socket)
        {
            return null;
        }

        await _topicGate.WaitAsync(cancellationToken);
        var answer = new TaskCompletionSource<ServerFrame>(TaskCreationOptions.RunContinuationsAsynchronously);
        _topicAnswers[topic] = answer;
        try
        {
            await SendAsync(socket, TopicFrame(type, topic), cancellationToken);
            return await answer.Task.WaitAsync(_options.ConnectTimeout, cancellationToken);
        }
        finally
        {
            _topicAnswers.TryRemove(topic, out _);
            _topicGate.Release();
        }
    }

    private string TopicFrame(string type, string topic)
    {
        var catchUp = type == FrameTypes.Subscribe ? _resume.CatchUpPoint(topic) : null;
        return JsonSerializer.Serialize(catchUp is { } point
            ? new Dictionary<string, object> { [FrameFields.Type] = type, [FrameFields.Topic] = topic, [FrameFields.Since] = point.Since, [FrameFields.Epoch] = point.Epoch }
            : new Dictionary<string, object> { [FrameFields.Type] = type, [FrameFields.Topic] = topic });
    }

    /// <summary>Round-trip time of a <c>ping</c> frame through the server.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken)
    {
        var socket = _options.Transport == NotificationTransport.ServerSentEvents
            ? throw new NotSupportedException("An event stream carries nothing from the client: ping needs the WebSocket transport.")
            : _socket ?? throw new InvalidOperationException("Not connected.");
        var t = Interlocked.Increment(ref _lastPing);
        var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[t] = pong;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await SendAsync(socket, $$"""{"{{FrameFields.Type}}":"{{FrameTypes.Ping}}","{{FrameFields.T}}":{{t}}}""", cancellationToken);
            await pong.Task.WaitAsync(cancellationToken);
            return Stopwatch.GetElapsedTime(started);
        }
        finally
        {
            _pings.TryRemove(t, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_socket is { State: WebSocketState.Open } socket)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "client disposed", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
            }
        }

        if (_running is not null)
        {
            await _running.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        Stop(null, null, null);
        _stopping.Dispose();
        _sendGate.Dispose();
        _topicGate.Dispose();
    }

    /// <summary>Connects again and again, with backoff between attempts, until disposed or refused for good.</summary>
    private async Task RunAsync()
    {
        var attempt = 0;
        var connectedBefore = false;
        while (!_stopping.IsCancellationRequested)
        {
            ChangeState(connectedBefore ? ConnectionState.Reconnecting : ConnectionState.Connecting, null, null);
            try
            {
                var (closeCode, reason) = await RunConnectionAsync(() => (attempt, connectedBefore) = (0, true));
                if (_stopping.IsCancellationRequested || StopsFor(closeCode, reason))
                {
                    return;
                }

                ChangeState(ConnectionState.Reconnecting, closeCode, reason);
            }
            catch (NotificationClientException refused)
            {
                Stop(refused.StatusOrCloseCode, refused.Message, refused);
                return;
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException
                                                  or HttpRequestException or JsonException)
            {
            }

            if (!await DelayAsync(_options.Reconnect.NextDelay(attempt++, _options.Random)))
            {
                return;
            }
        }
    }

    /// <summary>A close code that says this client sent something wrong ends it: reconnecting would only repeat it.</summary>
    private bool StopsFor(int? closeCode, string? reason)
    {
        if (closeCode is not { } code || !CloseCodes.IsClientError(code))
        {
            return false;
        }

        Stop(code, reason, new NotificationClientException($"The server closed the connection with {code}: {reason}", code));
        return true;
    }

    private async Task<bool> DelayAsync(TimeSpan delay)
    {
        try
        {
            await Task.Delay(delay, _stopping.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>One connection, from the upgrade to the close; returns the close code the server sent, if any.</summary>
    private async Task<(int? CloseCode, string? Reason)> RunConnectionAsync(Action welcomed)
    {
        if (_options.Transport == NotificationTransport.ServerSentEvents)
        {
            return await RunEventStreamAsync(welcomed);
        }

        using var socket = new ClientWebSocket();
        _socket = socket;
        var query = _resume.ConnectQuery(out var resuming);
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        await ConnectAsync(socket, query, resuming, buffer);
        welcomed();
        while (await WebSocketMessages.ReceiveAsync(socket, buffer, _stopping.Token))
        {
            await HandleAsync(ServerFrames.Read(buffer.WrittenMemory), resuming);
        }

        if (socket.State == WebSocketState.CloseReceived)
        {
            await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        return ((int?)socket.CloseStatus, socket.CloseStatusDescription);
    }

    /// <summary>
    /// The upgrade and the welcome, within <see cref="NotificationClientOptions.ConnectTimeout"/>: a replica that accepts
    /// the socket but never welcomes it is a failed attempt like any other.
    /// </summary>
    private async Task ConnectAsync(ClientWebSocket socket, string query, bool resuming, ArrayBufferWriter<byte> buffer)
    {
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", $"Bearer {await _options.AccessTokenProvider(_stopping.Token)}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        timeout.CancelAfter(_options.ConnectTimeout);
        try
        {
            await socket.ConnectAsync(ConnectUri(query), timeout.Token);
        }
        catch (WebSocketException) when (CloseCodes.IsFinalRefusal((int)socket.HttpStatusCode))
        {
            var status = (int)socket.HttpStatusCode;
            throw new NotificationClientException($"The server refused the connection: {status}.", status);
        }

        if (!await WebSocketMessages.ReceiveAsync(socket, buffer, timeout.Token)
            || ServerFrames.Read(buffer.WrittenMemory) is not WelcomeFrame welcome)
        {
            throw new WebSocketException(WebSocketError.InvalidState, "The server did not start the connection with a welcome.");
        }

        _resume.OnWelcome(welcome, resuming);
        foreach (var (topic, answer) in _topicAnswers)
        {
            // A subscribe cut off by the reconnect was carried by its query.
            if (welcome.Positions.ContainsKey(Streams.ForTopic(topic)))
            {
                answer.TrySetResult(welcome);
            }
        }

        Node = welcome.Node;
        ChangeState(ConnectionState.Connected, null, null);
        _firstWelcome.TrySetResult();
    }

    private async Task HandleAsync(ServerFrame frame, bool resuming)
    {
        switch (frame)
        {
            case NotificationFrame notification:
                await DeliverAsync(notification);
                break;
            case BatchFrame batch:
                foreach (var item in batch.Items)
                {
                    await DeliverAsync(item);
                }

                break;
            case ResumedFrame resumed when resuming:
                Resumed?.Invoke(_resume.OnResumed(resumed));
                break;
            case SubscribedFrame subscribed:
                _resume.OnSubscribed(subscribed);
                Answer(subscribed.Topic, subscribed);
                break;
            case UnsubscribedFrame unsubscribed:
                Answer(unsubscribed.Topic, unsubscribed);
                break;
            case ErrorFrame { Topic: { } topic } error:
                Answer(topic, error);
                break;
            case PongFrame { T.ValueKind: JsonValueKind.Number } pong when pong.T.TryGetInt64(out var t) && _pings.TryGetValue(t, out var waiting):
                waiting.TrySetResult();
                break;
        }
    }

    private void Answer(string topic, ServerFrame frame)
    {
        if (_topicAnswers.TryGetValue(topic, out var answer))
        {
            answer.TrySetResult(frame);
        }
    }

    /// <summary>Waits while the application's buffer is full: the socket is not read meanwhile (backpressure).</summary>
    private async Task DeliverAsync(NotificationFrame item)
    {
        if (_resume.TryAdvance(item.Stream, item.Seq))
        {
            await _notifications.Writer.WriteAsync(new Notification(item.Id, item.Stream, item.Seq, item.Data, item.SentAt), _stopping.Token);
        }
    }

    private Uri ConnectUri(string query) => new UriBuilder(_options.ServerUri)
    {
        Scheme = _options.ServerUri.Scheme is "https" or "wss" ? "wss" : "ws",
        Path = Routes.WebSocket,
        Query = query,
    }.Uri;

    private async Task SendAsync(ClientWebSocket socket, string text, CancellationToken cancellationToken)
    {
        await _sendGate.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    private void ChangeState(ConnectionState state, int? closeCode, string? reason)
    {
        State = state;
        StateChanged?.Invoke(new ConnectionStateChange(state, Node, closeCode, reason));
    }

    /// <summary>Closed for good: with <paramref name="error"/> when the server refused this client, else disposed.</summary>
    private void Stop(int? code, string? reason, Exception? error)
    {
        if (State == ConnectionState.Closed)
        {
            return;
        }

        ChangeState(ConnectionState.Closed, code, reason);
        _notifications.Writer.TryComplete(error);
        if (error is not null)
        {
            _firstWelcome.TrySetException(error);
        }
        else
        {
            _firstWelcome.TrySetCanceled();
        }
    }
}
