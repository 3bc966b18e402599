using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Notifications.Client;

/// <summary>
/// A connection to AspireNotify that stays up: it reconnects with backoff and jitter, resumes from the last seq of
/// each stream, drops duplicates, and hands notifications over in order through <see cref="ReadAllAsync"/>.
/// </summary>
public sealed class NotificationClient : IAsyncDisposable
{
    private readonly NotificationClientOptions _options;
    private readonly Channel<Notification> _notifications;
    private readonly StreamPositions _positions = new();
    private readonly Lock _positionsGate = new();
    private readonly ConcurrentDictionary<long, TaskCompletionSource> _pings = new();
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly TaskCompletionSource _firstWelcome = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ClientWebSocket? _socket;
    private Dictionary<string, long> _welcomePositions = [];
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
        if (options.ResumeFrom is { } resumeFrom)
        {
            Epoch = resumeFrom.Epoch;
            foreach (var (stream, seq) in resumeFrom.Positions)
            {
                _positions.Reset(stream, seq);
            }
        }
    }

    public ConnectionState State { get; private set; } = ConnectionState.Connecting;

    /// <summary>The replica the client is connected to, from its last welcome.</summary>
    public string? Node { get; private set; }

    /// <summary>The history epoch of the last welcome; a reconnect resumes only within the same epoch.</summary>
    public string? Epoch { get; private set; }

    /// <summary>The last seq delivered per stream.</summary>
    public IReadOnlyDictionary<string, long> Positions
    {
        get
        {
            lock (_positionsGate)
            {
                return new Dictionary<string, long>(_positions.Current);
            }
        }
    }

    /// <summary>What to save to resume after a restart of the application; null before the first welcome.</summary>
    public ResumePoint? ResumePoint => Epoch is null ? null : new ResumePoint(Epoch, Positions);

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

    /// <summary>Round-trip time of a <c>ping</c> frame through the server.</summary>
    public async Task<TimeSpan> PingAsync(CancellationToken cancellationToken)
    {
        var socket = _socket ?? throw new InvalidOperationException("Not connected.");
        var t = Interlocked.Increment(ref _lastPing);
        var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pings[t] = pong;
        var started = Stopwatch.GetTimestamp();
        try
        {
            await SendAsync(socket, $$"""{"type":"ping","t":{{t}}}""", cancellationToken);
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

        Stop(ConnectionState.Closed, null, null, null);
        _stopping.Dispose();
        _sendGate.Dispose();
    }

    private async Task RunAsync()
    {
        var attempt = 0;
        var connectedBefore = false;
        while (!_stopping.IsCancellationRequested)
        {
            ChangeState(connectedBefore ? ConnectionState.Reconnecting : ConnectionState.Connecting, null, null);
            try
            {
                var (closeCode, reason) = await RunConnectionAsync(() =>
                {
                    (attempt, connectedBefore) = (0, true);
                    _firstWelcome.TrySetResult();
                });
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                if (closeCode is { } code && CloseCodes.IsClientError(code))
                {
                    Stop(ConnectionState.Closed, code, reason, new NotificationClientException($"The server closed the connection with {code}: {reason}", code));
                    return;
                }

                ChangeState(ConnectionState.Reconnecting, closeCode, reason);
            }
            catch (NotificationClientException refused)
            {
                Stop(ConnectionState.Closed, refused.StatusOrCloseCode, refused.Message, refused);
                return;
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or IOException or HttpRequestException or JsonException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }
            }

            try
            {
                await Task.Delay(_options.Reconnect.NextDelay(attempt++, _options.Random), _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One connection, from the upgrade to the close; returns the close code the server sent, if any.</summary>
    private async Task<(int? CloseCode, string? Reason)> RunConnectionAsync(Action welcomed)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        socket.Options.SetRequestHeader("Authorization", $"Bearer {await _options.AccessTokenProvider(_stopping.Token)}");
        _socket = socket;
        var resuming = Epoch is not null;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token))
        {
            timeout.CancelAfter(_options.ConnectTimeout);
            try
            {
                await socket.ConnectAsync(ConnectUri(resuming), timeout.Token);
            }
            catch (WebSocketException) when (CloseCodes.IsFinalRefusal((int)socket.HttpStatusCode))
            {
                var status = (int)socket.HttpStatusCode;
                throw new NotificationClientException($"The server refused the connection: {status}.", status);
            }
        }

        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.GetMemory(8 * 1024), _stopping.Token);
                buffer.Advance(result.Count);
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                if (socket.State == WebSocketState.CloseReceived)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                }

                return ((int?)socket.CloseStatus, socket.CloseStatusDescription);
            }

            await HandleAsync(buffer.WrittenMemory, resuming, welcomed);
        }
    }

    private async Task HandleAsync(ReadOnlyMemory<byte> frame, bool resuming, Action welcomed)
    {
        using var document = JsonDocument.Parse(frame);
        var root = document.RootElement;
        switch (root.GetProperty("type").GetString())
        {
            case "welcome":
                OnWelcome(root, resuming);
                ChangeState(ConnectionState.Connected, null, null);
                welcomed();
                break;
            case "notification":
                await DeliverAsync(root);
                break;
            case "batch":
                foreach (var item in root.GetProperty("items").EnumerateArray())
                {
                    await DeliverAsync(item);
                }

                break;
            case "resumed":
                OnResumed(root);
                break;
            case "pong" when root.TryGetProperty("t", out var t) && t.TryGetInt64(out var id) && _pings.TryGetValue(id, out var pong):
                pong.TrySetResult();
                break;
        }
    }

    private void OnWelcome(JsonElement welcome, bool resuming)
    {
        Node = welcome.GetProperty("node").GetString();
        Epoch = welcome.GetProperty("epoch").GetString();
        _welcomePositions = welcome.GetProperty("positions").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64(), StringComparer.Ordinal);
        lock (_positionsGate)
        {
            foreach (var (stream, head) in _welcomePositions)
            {
                // A stream the client has no position in starts now; a resumed one waits for its replay.
                if (!resuming || !_positions.Current.ContainsKey(stream))
                {
                    _positions.Reset(stream, head);
                }
            }
        }
    }

    private void OnResumed(JsonElement resumed)
    {
        var recovered = resumed.GetProperty("recovered").GetBoolean();
        var streams = recovered ? [] : resumed.GetProperty("streams").EnumerateArray().Select(s => s.GetString()!).ToArray();
        lock (_positionsGate)
        {
            // What was lost cannot come back: carry on from where the stream is now.
            foreach (var stream in streams)
            {
                _positions.Reset(stream, _welcomePositions.GetValueOrDefault(stream));
            }
        }

        Resumed?.Invoke(new ResumeResult(recovered, resumed.GetProperty("missed").GetInt32(),
            recovered ? null : resumed.GetProperty("reason").GetString(), streams));
    }

    /// <summary>Waits while the application's buffer is full: the socket is not read meanwhile (backpressure).</summary>
    private async Task DeliverAsync(JsonElement item)
    {
        var stream = item.GetProperty("stream").GetString()!;
        var seq = item.GetProperty("seq").GetInt64();
        lock (_positionsGate)
        {
            if (!_positions.TryAdvance(stream, seq))
            {
                return;
            }
        }

        await _notifications.Writer.WriteAsync(new Notification(item.GetProperty("id").GetString()!, stream, seq,
            item.GetProperty("data").Clone(), item.GetProperty("sentAt").GetDateTimeOffset()), _stopping.Token);
    }

    private Uri ConnectUri(bool resuming)
    {
        var builder = new UriBuilder(_options.ServerUri)
        {
            Scheme = _options.ServerUri.Scheme is "https" or "wss" ? "wss" : "ws",
            Path = "/ws",
        };
        if (resuming)
        {
            string since;
            lock (_positionsGate)
            {
                since = _positions.ToSinceParameter();
            }

            builder.Query = $"epoch={Uri.EscapeDataString(Epoch!)}&since={Uri.EscapeDataString(since)}";
        }

        return builder.Uri;
    }

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

    private void Stop(ConnectionState state, int? code, string? reason, Exception? error)
    {
        if (State == ConnectionState.Closed)
        {
            return;
        }

        ChangeState(state, code, reason);
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
