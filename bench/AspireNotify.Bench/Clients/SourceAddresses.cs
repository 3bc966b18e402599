using System.Net;
using System.Net.Sockets;

namespace AspireNotify.Bench.Clients;

/// <summary>
/// Spreads client sockets over 127.0.0.2, 127.0.0.3, …: each source address has its own ~28,000 ephemeral ports,
/// so tens of thousands of connections to one replica do not run out of ports.
/// </summary>
public sealed class SourceAddresses : IDisposable
{
    private readonly HttpMessageInvoker[] _invokers;
    private int _next;

    public SourceAddresses(int count)
    {
        _invokers = [.. Enumerable.Range(2, count).Select(last => new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = (context, cancellationToken) => ConnectFromAsync(new IPAddress([127, 0, 0, (byte)last]), context, cancellationToken),
        }))];
    }

    /// <summary>The invoker to upgrade the next WebSocket through; round-robin over the addresses.</summary>
    public HttpMessageInvoker Next() => _invokers[(int)((uint)Interlocked.Increment(ref _next) % _invokers.Length)];

    public void Dispose()
    {
        foreach (var invoker in _invokers)
        {
            invoker.Dispose();
        }
    }

    private static async ValueTask<Stream> ConnectFromAsync(IPAddress source, SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
