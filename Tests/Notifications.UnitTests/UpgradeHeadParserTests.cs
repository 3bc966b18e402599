using System.Buffers;
using System.Text;
using Notifications.Api.Handshake;

namespace Notifications.UnitTests;

public class UpgradeHeadParserTests
{
    private const string Upgrade = "Upgrade: websocket\r\nConnection: keep-alive, Upgrade\r\nSec-WebSocket-Version: 13\r\n" +
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n";

    private static readonly UpgradeHeadLimits Limits = new(MaxBytes: 4096, MaxHeaders: 20);

    [Fact]
    public void A_valid_upgrade_is_parsed_with_its_query_headers_and_length()
    {
        var text = $"GET /ws?access_token=abc&since=user%3Aa%3A1 HTTP/1.1\r\nHost: localhost:5000\r\nOrigin: https://app.example\r\n{Upgrade}\r\n";

        Assert.Equal(HeadStatus.Parsed, Parse(text + "trailing frame bytes", out var head));
        Assert.Equal("/ws", head!.Path);
        Assert.Equal("?access_token=abc&since=user%3Aa%3A1", head.QueryString);
        Assert.Equal("https://app.example", head.Headers.Origin.ToString());
        Assert.Equal(Encoding.ASCII.GetByteCount(text), head.Length);
    }

    [Theory]
    [InlineData("")]
    [InlineData("G")]
    [InlineData("GET /w")]
    [InlineData("GET /WS?")]
    [InlineData("GET /ws HTTP/1.1\r\nHost: localhost\r\n")]
    public void Bytes_that_may_still_become_an_upgrade_of_ws_are_waited_for(string text) =>
        Assert.Equal(HeadStatus.Incomplete, Parse(text, out _));

    [Theory]
    [InlineData("POST /ws HTTP/1.1\r\n")]
    [InlineData("GET /api/cluster HTTP/1.1\r\n")]
    [InlineData("GET /wsx HTTP/1.1\r\n")]
    [InlineData("GET /ws/ HTTP/1.1\r\n")]
    [InlineData("get /ws HTTP/1.1\r\n")]
    [InlineData("PRI * HTTP/2.0\r\n")]
    [InlineData("\u0016\u0003\u0001")]
    public void Any_other_request_is_declined_at_its_first_differing_byte(string text) =>
        Assert.Equal(HeadStatus.Declined, Parse(text, out _));

    [Theory]
    [InlineData("GET /ws HTTP/1.0\r\nHost: h\r\n" + Upgrade)]
    [InlineData("GET /ws HTTP/1.1\r\n" + Upgrade)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: a\r\nHost: b\r\n" + Upgrade)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: bad host\r\n" + Upgrade)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n" + Upgrade)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n" + Upgrade)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nno colon here\r\n" + Upgrade)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nBad Name: x\r\n" + Upgrade)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\n folded: x\r\n" + Upgrade)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nX-Bare: a\nb\r\n" + Upgrade)]
    [InlineData("GET /ws HTTP/1.1\r\nHost: h\r\nX-Latin: caf\u00e9\r\n" + Upgrade)]
    [InlineData("GET /ws#x HTTP/1.1\r\nHost: h\r\n" + Upgrade)]
    [InlineData("GET /ws  HTTP/1.1\r\nHost: h\r\n" + Upgrade)]
    public void An_unusual_head_is_declined_for_Kestrel_to_judge(string text) =>
        Assert.Equal(HeadStatus.Declined, Parse(text + "\r\n", out _));

    [Theory]
    [InlineData("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")]
    [InlineData("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 8\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")]
    [InlineData("Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")]
    [InlineData("Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n")]
    [InlineData("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n")]
    [InlineData("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: c2hvcnQ=\r\n")]
    [InlineData("Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: not base64!\r\n")]
    public void A_get_of_ws_that_is_not_a_websocket_upgrade_is_declined_for_the_endpoint_to_answer_400(string headers) =>
        Assert.Equal(HeadStatus.Declined, Parse($"GET /ws HTTP/1.1\r\nHost: h\r\n{headers}\r\n", out _));

    [Fact]
    public void A_head_longer_than_Kestrel_allows_is_declined_before_its_end()
    {
        var text = $"GET /ws HTTP/1.1\r\nHost: h\r\nX-Long: {new string('x', (int)Limits.MaxBytes)}";

        Assert.Equal(HeadStatus.Declined, Parse(text, out _));
    }

    [Fact]
    public void A_head_with_more_headers_than_Kestrel_allows_is_declined()
    {
        var many = string.Concat(Enumerable.Range(0, Limits.MaxHeaders).Select(i => $"X-{i}: {i}\r\n"));

        Assert.Equal(HeadStatus.Declined, Parse($"GET /ws HTTP/1.1\r\nHost: h\r\n{many}{Upgrade}\r\n", out _));
    }

    [Fact]
    public void A_head_split_over_segments_is_parsed_whole()
    {
        var text = $"GET /ws?access_token=t HTTP/1.1\r\nHost: h\r\n{Upgrade}\r\n";
        var bytes = Encoding.ASCII.GetBytes(text);
        var first = new Segment(bytes.AsMemory(0, 5));
        var last = first.Append(bytes.AsMemory(5, 40)).Append(bytes.AsMemory(45));

        Assert.Equal(HeadStatus.Parsed, UpgradeHeadParser.Parse(new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length), Limits, out var head));
        Assert.Equal(bytes.Length, head!.Length);
    }

    private static HeadStatus Parse(string text, out UpgradeHead? head) =>
        UpgradeHeadParser.Parse(new ReadOnlySequence<byte>(Encoding.Latin1.GetBytes(text)), Limits, out head);

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory) => Memory = memory;

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory) { RunningIndex = RunningIndex + Memory.Length };
            Next = next;
            return next;
        }
    }
}
