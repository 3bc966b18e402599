using System.Net.Sockets;
using System.Text;

namespace Notifications.IntegrationTests.Infrastructure;

/// <summary>Clients that misbehave below ClientWebSocket, on raw TCP, against a replica or a front door.</summary>
public static class HostileClient
{
    /// <summary>Opens a TCP connection and sends the upgrade request; returns it with the server's answer.</summary>
    public static async Task<(TcpClient Tcp, string Response)> UpgradeAsync(Uri target, string token)
    {
        var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(target.Host, target.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(UpgradeRequest(target, token)));
        var response = new byte[4096];
        var read = await stream.ReadAsync(response);
        return (tcp, Encoding.ASCII.GetString(response, 0, read));
    }

    /// <summary>Upgrades, writes <paramref name="bytes"/>, and hangs up (as abruptly as the bytes left things).</summary>
    public static async Task SendAsync(Uri target, string token, byte[] bytes)
    {
        var (tcp, response) = await UpgradeAsync(target, token);
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
    public static async Task DropHandshakeAsync(Uri target, string token)
    {
        using var tcp = new TcpClient { NoDelay = true };
        await tcp.ConnectAsync(target.Host, target.Port);
        var request = UpgradeRequest(target, token);
        await tcp.GetStream().WriteAsync(Encoding.ASCII.GetBytes(request[..(request.Length / 2)]));
    }

    /// <summary>Upgrades and then never answers a ping, until the server gives up on it and closes.</summary>
    public static async Task GoSilentAsync(Uri target, string token)
    {
        var (tcp, response) = await UpgradeAsync(target, token);
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

    private static string UpgradeRequest(Uri target, string token) =>
        $"GET {Routes.WebSocket}?{QueryParameters.AccessToken}={token} HTTP/1.1\r\nHost: {target.Authority}\r\nUpgrade: websocket\r\n" +
        "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
}
