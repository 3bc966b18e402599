using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Notifications.Api.Handshake;

/// <summary>The server's half of the RFC 6455 opening handshake, as ASP.NET Core and Kestrel answer it.</summary>
internal static class SwitchingProtocols
{
    private const string KeyGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    private const int KeyBytes = 16;

    /// <summary>A <c>Sec-WebSocket-Key</c> must be 16 bytes in base64 (RFC 6455 §4.1).</summary>
    public static bool IsKeyValid(string key)
    {
        Span<byte> bytes = stackalloc byte[KeyBytes];
        return Convert.TryFromBase64String(key, bytes, out var written) && written == KeyBytes;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> for <paramref name="key"/>.</summary>
    /// <remarks>RFC 6455 fixes SHA-1 here: the hash only proves the server read the key, it protects nothing.</remarks>
#pragma warning disable CA5350
    public static string Accept(string key) => Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + KeyGuid)));
#pragma warning restore CA5350

    /// <summary>The 101 with the headers Kestrel sends for an accepted upgrade (<c>Server</c> unless turned off).</summary>
    public static byte[] Response(string key, DateTimeOffset now, bool serverHeader) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\n"
        + $"Date: {now.ToString("r", CultureInfo.InvariantCulture)}\r\n"
        + (serverHeader ? "Server: Kestrel\r\n" : "")
        + $"Upgrade: websocket\r\nSec-WebSocket-Accept: {Accept(key)}\r\n\r\n");
}
