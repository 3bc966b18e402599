using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Notifications.Api.Handshake;

namespace Notifications.UnitTests;

public class TransportStreamTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_zero_byte_read_waits_for_data_and_takes_none_of_it()
    {
        var (transport, client) = Transports();
        using var stream = new TransportStream(transport);
        var waiting = stream.ReadAsync(Memory<byte>.Empty).AsTask();
        Assert.False(waiting.IsCompleted);

        await client.Output.WriteAsync("abc"u8.ToArray());

        Assert.Equal(0, await waiting.WaitAsync(Patience));
        var buffer = new byte[8];
        Assert.Equal("abc", Encoding.ASCII.GetString(buffer, 0, await stream.ReadAsync(buffer).AsTask().WaitAsync(Patience)));
    }

    [Fact]
    public async Task Disposing_ends_a_pending_read_as_an_aborted_connection()
    {
        var (transport, _) = Transports();
        var stream = new TransportStream(transport);
        var waiting = stream.ReadAsync(new byte[8]).AsTask();

        await stream.DisposeAsync();

        await Assert.ThrowsAsync<ConnectionAbortedException>(() => waiting.WaitAsync(Patience));
    }

    [Fact]
    public async Task A_server_WebSocket_runs_on_it_both_ways()
    {
        var (transport, client) = Transports();
        using var server = WebSocket.CreateFromStream(new TransportStream(transport), new WebSocketCreationOptions { IsServer = true });
        using var peer = WebSocket.CreateFromStream(new TransportStream(client), new WebSocketCreationOptions());
        using var timeout = new CancellationTokenSource(Patience);
        var buffer = new byte[64];

        await peer.SendAsync("hello"u8.ToArray(), WebSocketMessageType.Text, true, timeout.Token);
        var received = await server.ReceiveAsync(buffer, timeout.Token);
        await server.SendAsync(buffer.AsMemory(0, received.Count), WebSocketMessageType.Text, true, timeout.Token);
        var echoed = await peer.ReceiveAsync(buffer, timeout.Token);

        Assert.Equal("hello", Encoding.UTF8.GetString(buffer, 0, echoed.Count));
    }

    /// <summary>Two ends of one in-memory connection: what one writes, the other reads.</summary>
    private static (IDuplexPipe Server, IDuplexPipe Client) Transports()
    {
        var (toServer, toClient) = (new Pipe(), new Pipe());
        return (new DuplexPipe(toServer.Reader, toClient.Writer), new DuplexPipe(toClient.Reader, toServer.Writer));
    }

    private sealed record DuplexPipe(PipeReader Input, PipeWriter Output) : IDuplexPipe;
}
