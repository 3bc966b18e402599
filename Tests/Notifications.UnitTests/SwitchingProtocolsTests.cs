using System.Text;
using Notifications.Api.Handshake;

namespace Notifications.UnitTests;

public class SwitchingProtocolsTests
{
    [Fact]
    public void The_accept_of_the_RFC_6455_example_key_is_the_RFCs() =>
        Assert.Equal("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=", SwitchingProtocols.Accept("dGhlIHNhbXBsZSBub25jZQ=="));

    [Theory]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==", true)]
    [InlineData("", false)]
    [InlineData("c2hvcnQ=", false)]
    [InlineData("dGhlIHNhbXBsZSBub25jZQ==dGhlIHNhbXBsZSBub25jZQ==", false)]
    [InlineData("not base64 at all!!!!!!!", false)]
    public void A_key_is_valid_only_as_16_bytes_of_base64(string key, bool valid) =>
        Assert.Equal(valid, SwitchingProtocols.IsKeyValid(key));

    [Fact]
    public void The_response_is_a_101_with_the_headers_Kestrel_sends()
    {
        var now = new DateTimeOffset(2025, 6, 1, 12, 30, 0, TimeSpan.Zero);

        var response = Encoding.ASCII.GetString(SwitchingProtocols.Response("dGhlIHNhbXBsZSBub25jZQ==", now, serverHeader: true));

        Assert.Equal("HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nDate: Sun, 01 Jun 2025 12:30:00 GMT\r\nServer: Kestrel\r\n" +
            "Upgrade: websocket\r\nSec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n", response);
        Assert.DoesNotContain("Server:", Encoding.ASCII.GetString(SwitchingProtocols.Response("dGhlIHNhbXBsZSBub25jZQ==", now, serverHeader: false)),
            StringComparison.Ordinal);
    }
}
