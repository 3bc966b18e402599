using Notifications.Processes;
using System.Buffers;
using System.Buffers.Text;
using System.Net.WebSockets;
using Notifications.Contract;

namespace AspireNotify.Bench.Clients;

/// <summary>
/// A lean client for load: one socket, one receive loop, and a scan for the publish timestamps the bench puts in each
/// message's data (<c>"t":…</c>), instead of parsing every frame into objects.
/// </summary>
public sealed class BenchSocket : IAsyncDisposable
{
    private static readonly byte[] TimestampMarker = "\"t\":"u8.ToArray();
    private readonly ClientWebSocket _socket;
    private readonly List<long> _latencies;
    private readonly Task _receiving;
    private long _received;

    private BenchSocket(ClientWebSocket socket, List<long> latencies)
    {
        (_socket, _latencies) = (socket, latencies);
        _receiving = ReceiveAsync();
    }

    public long Received => Interlocked.Read(ref _received);

    public static async Task<BenchSocket> ConnectAsync(Uri replica, string token, SourceAddresses sources, LatencyRecorder recorder)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", $"Bearer {token}");
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        var uri = new UriBuilder(replica) { Scheme = "ws", Path = Routes.WebSocket }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await socket.ConnectAsync(uri, sources.Next(), timeout.Token);
        var connection = new BenchSocket(socket, recorder.CreateList());
        return connection;
    }

    /// <summary>Drops the connection without a close handshake, as a client that loses its network does.</summary>
    public async ValueTask AbortAsync()
    {
        _socket.Abort();
        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Abort();
        await _receiving.ContinueWith(_ => { }, TaskScheduler.Default);
        _socket.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(64 * 1024);
        try
        {
            while (await WebSocketMessages.ReceiveAsync(_socket, buffer, CancellationToken.None))
            {
                Record(buffer.WrittenSpan);
            }
        }
        catch (WebSocketException)
        {
        }
    }

    /// <summary>One latency per <c>"t":</c> in the frame: a notification has one, a batch one per item.</summary>
    private void Record(ReadOnlySpan<byte> frame)
    {
        while (true)
        {
            var at = frame.IndexOf(TimestampMarker);
            if (at < 0)
            {
                return;
            }

            frame = frame[(at + TimestampMarker.Length)..];
            if (Utf8Parser.TryParse(frame, out long timestamp, out var consumed))
            {
                lock (_latencies)
                {
                    _latencies.Add(LatencyRecorder.Since(timestamp));
                }

                Interlocked.Increment(ref _received);
                frame = frame[consumed..];
            }
        }
    }
}
