using System.Buffers;
using System.Buffers.Text;
using System.Net.WebSockets;
using AspireNotify.Bench.Targets;
using Notifications.Contract;
using Notifications.Processes;

namespace AspireNotify.Bench.Clients;

/// <summary>
/// A lean client for load: one socket, one receive loop, and a scan for the publish timestamps the bench puts in each
/// message's data (<c>"t":…</c>), instead of parsing every frame into objects. The same scan reads AspireNotify's
/// frames and its peers' (see <see cref="WireProtocol"/>), so every target is measured by the same client.
/// </summary>
public sealed class BenchSocket : IAsyncDisposable
{
    private static readonly byte[] TimestampMarker = "\"t\":"u8.ToArray();
    private readonly ClientWebSocket _socket;
    private readonly WireProtocol _protocol;
    private readonly List<long> _latencies;
    private readonly Task _receiving;
    private long _received;

    private BenchSocket(ClientWebSocket socket, WireProtocol protocol, List<long> latencies)
    {
        (_socket, _protocol, _latencies) = (socket, protocol, latencies);
        _receiving = ReceiveAsync();
    }

    public long Received => Interlocked.Read(ref _received);

    /// <summary>
    /// What ended the socket before the bench closed it, if anything: the server's close code (4000, a slow consumer, or
    /// 4002, resume required, explain deliveries that never came) or "aborted" for a connection that broke.
    /// </summary>
    public string? Ended => _socket.State switch
    {
        WebSocketState.Open => null,
        _ when _socket.CloseStatus is { } status => $"{(int)status}",
        _ => "aborted",
    };

    /// <summary>Connects as <paramref name="userId"/> to the instance at <paramref name="server"/>, handshake included.</summary>
    public static async Task<BenchSocket> ConnectAsync(WireProtocol protocol, Uri server, string userId, SourceAddresses sources, LatencyRecorder recorder)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        protocol.Configure(socket.Options, userId);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await socket.ConnectAsync(protocol.SocketUri(server, userId), sources.Next(), timeout.Token);
            await protocol.HandshakeAsync(socket, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new BenchSocket(socket, protocol, recorder.CreateList());
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
                if (_protocol.Answer(buffer.WrittenSpan) is { IsEmpty: false } answer)
                {
                    await _socket.SendAsync(answer, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
                }
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
