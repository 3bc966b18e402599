using System.Net;
using System.Net.Sockets;

namespace Notifications.Processes;

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
        _invokers = [.. Enumerable.Range(0, count).Select(index => new HttpMessageInvoker(new SocketsHttpHandler
        {
            ConnectCallback = (context, cancellationToken) => ConnectFromAsync(AddressAt(index), context, cancellationToken),
        }))];
    }

    /// <summary>The invoker to upgrade the next WebSocket through; round-robin over the addresses.</summary>
    public HttpMessageInvoker Next() => _invokers[(int)((uint)Interlocked.Increment(ref _next) % _invokers.Length)];

    /// <summary>The invoker whose connections come from 127.0.0.<paramref name="index"/> + 2: one client address.</summary>
    public HttpMessageInvoker At(int index) => _invokers[index];

    /// <summary>The address <see cref="At"/> connects from.</summary>
    public static IPAddress AddressAt(int index) => new([127, 0, 0, (byte)(index + 2)]);

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
