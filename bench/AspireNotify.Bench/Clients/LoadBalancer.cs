using System.Net;
using System.Net.Sockets;

namespace AspireNotify.Bench.Clients;

/// <summary>
/// A round-robin TCP load balancer in front of the replicas, like the Aspire proxy or a cloud ingress: each new
/// connection goes to the next replica that accepts it, so clients of a killed replica land on the others.
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly Func<IReadOnlyList<Uri>> _backends;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private int _next;

    public LoadBalancer(Func<IReadOnlyList<Uri>> backends)
    {
        _backends = backends;
        _listener.Start(backlog: 4096);
        _accepting = AcceptAsync();
    }

    public Uri Address => new($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting.ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _listener.AcceptSocketAsync(_stopping.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = ProxyAsync(client);
        }
    }

    private async Task ProxyAsync(Socket client)
    {
        using (client)
        {
            var backends = _backends();
            for (var attempt = 0; attempt < backends.Count; attempt++)
            {
                var backend = backends[(int)((uint)Interlocked.Increment(ref _next) % backends.Count)];
                using var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await server.ConnectAsync(backend.Host, backend.Port, _stopping.Token);
                }
                catch (SocketException)
                {
                    continue;
                }

                using var clientStream = new NetworkStream(client, ownsSocket: false);
                using var serverStream = new NetworkStream(server, ownsSocket: false);
                await Task.WhenAny(PipeAsync(clientStream, serverStream), PipeAsync(serverStream, clientStream));
                return;
            }
        }
    }

    private static async Task PipeAsync(Stream from, Stream to)
    {
        try
        {
            await from.CopyToAsync(to);
        }
        catch (Exception exception) when (exception is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }
}
