using System.Text;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>Clients that misbehave below ClientWebSocket, on raw TCP.</summary>
public static class HostileClient
{
    /// <summary>Upgrades, writes <paramref name="bytes"/>, and hangs up (as abruptly as the bytes left things).</summary>
    public static async Task SendAsync(ReplicaProcessFixture fixture, string token, byte[] bytes)
    {
        var (tcp, response) = await fixture.UpgradeAsync(token);
        using (tcp)
        {
            Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);
            try
            {
                await tcp.GetStream().WriteAsync(bytes);
            }
            catch (IOException)
            {
                // The server may already have closed on an early violation; that is an answer too.
            }
        }
    }

    /// <summary>Sends part of the upgrade request's headers and hangs up: a handshake dropped half-way.</summary>
    public static async Task DropHandshakeAsync(ReplicaProcessFixture fixture, string token)
    {
        using var tcp = new System.Net.Sockets.TcpClient { NoDelay = true };
        await tcp.ConnectAsync(fixture.Replica.BaseAddress.Host, fixture.Replica.BaseAddress.Port);
        var request = fixture.UpgradeRequest(token);
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request[..(request.Length / 2)]));
    }

    /// <summary>Upgrades and then never reads or answers a ping, until the server gives up on it and closes.</summary>
    public static async Task GoSilentAsync(ReplicaProcessFixture fixture, string token)
    {
        var (tcp, response) = await fixture.UpgradeAsync(token);
        using (tcp)
        {
            Assert.StartsWith("HTTP/1.1 101", response, StringComparison.Ordinal);
            // Not reading would be invisible to the server while its pings fit in the socket buffers: it notices the
            // missing pongs instead. Drain until it closes, so the test knows the server is done with this one.
            var sink = new byte[1024];
            using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            try
            {
                while (await tcp.GetStream().ReadAsync(sink, deadline.Token) > 0)
                {
                }
            }
            catch (IOException)
            {
                // An abort arrives as a reset: the server is done with it either way.
            }
        }
    }
}
