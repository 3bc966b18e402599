using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>A real WebSocket client of /ws that collects every frame the server sends, in order.</summary>
public sealed class NotificationSocket : IAsyncDisposable
{
    public static readonly TimeSpan FrameTimeout = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly Task _receiving;
    private readonly bool _keepBatches;

    /// <summary>With <paramref name="keepBatches"/>, batch frames are handed over whole (to check a replay) instead of item by item.</summary>
    private NotificationSocket(ClientWebSocket socket, bool keepBatches)
    {
        (_socket, _keepBatches) = (socket, keepBatches);
        _receiving = ReceiveAllAsync();
    }

    public JsonElement Welcome { get; private set; }


    public string Node => Welcome.GetProperty("node").GetString()!;

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public static Uri WebSocketUri(Uri api, string? accessToken, string? resumeQuery = null)
    {
        var builder = new UriBuilder(api) { Scheme = api.Scheme == "https" ? "wss" : "ws", Path = Routes.WebSocket };
        string?[] parameters = [accessToken is null ? null : $"{QueryParameters.AccessToken}={Uri.EscapeDataString(accessToken)}", resumeQuery];
        builder.Query = string.Join('&', parameters.Where(p => p is not null));
        return builder.Uri;
    }

    /// <summary>The query that resumes from this connection's welcome epoch and the given positions.</summary>
    public string ResumeQuery(params (string Stream, long Seq)[] positions) =>
        $"{QueryParameters.Epoch}={Welcome.GetProperty(FrameFields.Epoch).GetString()}&{QueryParameters.Since}=" +
        Uri.EscapeDataString(string.Join(',', positions.Select(p => $"{p.Stream}:{p.Seq}")));

    public static async Task<NotificationSocket> ConnectAsync(Uri api, string accessToken, bool tokenInHeader = false, string? resumeQuery = null,
        bool keepBatches = false, HttpMessageInvoker? from = null)
    {
        var socket = new ClientWebSocket();
        if (tokenInHeader)
        {
            socket.Options.SetRequestHeader("Authorization", $"Bearer {accessToken}");
        }

        using var timeout = new CancellationTokenSource(FrameTimeout);
        await socket.ConnectAsync(WebSocketUri(api, tokenInHeader ? null : accessToken, resumeQuery), from, timeout.Token);
        var connection = new NotificationSocket(socket, keepBatches);
        connection.Welcome = await connection.NextAsync();
        Assert.Equal(FrameTypes.Welcome, connection.Welcome.GetProperty(FrameFields.Type).GetString());
        return connection;
    }

    /// <summary>Attempts an upgrade that should be refused and returns the HTTP status the server answered.</summary>
    public static async Task<int> RefusedStatusAsync(Uri uri, IReadOnlyDictionary<string, string>? headers = null, HttpMessageInvoker? from = null)
    {
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            socket.Options.SetRequestHeader(name, value);
        }

        using var timeout = new CancellationTokenSource(FrameTimeout);
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, from, timeout.Token));
        return (int)socket.HttpStatusCode;
    }

    public async Task<JsonElement> NextAsync()
    {
        using var timeout = new CancellationTokenSource(FrameTimeout);
        try
        {
            return await _frames.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No frame arrived on {Node} within {FrameTimeout}.");
        }
    }

    /// <summary>The next notification, skipping the frames that are not (pongs).</summary>
    public async Task<JsonElement> NextNotificationAsync()
    {
        while (true)
        {
            var frame = await NextAsync();
            if (frame.GetProperty("type").GetString() == "notification")
            {
                return frame;
            }
        }
    }

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] payload, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(FrameTimeout);
        await _socket.SendAsync(payload, type, endOfMessage: true, timeout.Token);
    }

    /// <summary>Reads frames until the server closes the socket; returns the close code it sent.</summary>
    public async Task<WebSocketCloseStatus?> ClosedByServerAsync()
    {
        await _receiving.WaitAsync(FrameTimeout);
        return _socket.CloseStatus;
    }

    /// <summary>Drops the connection without a close handshake, as a client that crashes or loses its network does.</summary>
    public void Abort() => _socket.Abort();

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "test done", timeout.Token);
            }
            catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
            {
                _socket.Abort();
            }
        }

        await _receiving.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
    }

    private async Task ReceiveAllAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (await WebSocketMessages.ReceiveAsync(_socket, buffer, CancellationToken.None))
            {
                using var document = JsonDocument.Parse(buffer.WrittenMemory);
                var root = document.RootElement;
                // Notifications queued together arrive as one batch frame; the tests read them one by one.
                if (root.GetProperty(FrameFields.Type).GetString() == FrameTypes.Batch && !_keepBatches)
                {
                    foreach (var item in root.GetProperty(FrameFields.Items).EnumerateArray())
                    {
                        await _frames.Writer.WriteAsync(item.Clone());
                    }
                }
                else
                {
                    await _frames.Writer.WriteAsync(root.Clone());
                }
            }

            // Complete the close handshake the server started, as a well-behaved client does.
            if (_socket.State == WebSocketState.CloseReceived)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}
