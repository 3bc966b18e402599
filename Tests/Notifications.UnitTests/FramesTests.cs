using System.Text;
using System.Text.Json;
using Notifications.Api.Backplane;
using Notifications.Api.Connections;

namespace Notifications.UnitTests;

public class FramesTests
{
    [Fact]
    public void Notification_frame_carries_the_contract_fields_and_the_data_unchanged()
    {
        using var data = JsonDocument.Parse("""{"title":"Grüße","items":[1,{"a":"<b>"}]}""");
        var sentAt = new DateTimeOffset(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);
        var frame = Frames.Notification(new NotificationEnvelope("m1", "user:alice", data.RootElement, sentAt, null));

        using var parsed = JsonDocument.Parse(frame);
        var root = parsed.RootElement;
        Assert.Equal("notification", root.GetProperty("type").GetString());
        Assert.Equal("m1", root.GetProperty("id").GetString());
        Assert.Equal("user:alice", root.GetProperty("stream").GetString());
        Assert.Equal(sentAt, root.GetProperty("sentAt").GetDateTimeOffset());
        Assert.True(JsonElement.DeepEquals(data.RootElement, root.GetProperty("data")));
        Assert.False(root.TryGetProperty("traceparent", out _));
        // Non-ASCII text stays readable UTF-8 rather than \u escapes.
        Assert.Contains("Grüße", Encoding.UTF8.GetString(frame), StringComparison.Ordinal);
    }

    [Fact]
    public void Welcome_frame_names_connection_user_node_and_heartbeat()
    {
        using var parsed = JsonDocument.Parse(Frames.Welcome("c1", "alice", "notifications-api-abc", 30));
        var root = parsed.RootElement;
        Assert.Equal("welcome", root.GetProperty("type").GetString());
        Assert.Equal("c1", root.GetProperty("connectionId").GetString());
        Assert.Equal("alice", root.GetProperty("userId").GetString());
        Assert.Equal("notifications-api-abc", root.GetProperty("node").GetString());
        Assert.Equal(30, root.GetProperty("heartbeatSeconds").GetInt32());
    }

    [Theory]
    [InlineData("""{"type":"ping","t":12345}""", """{"type":"pong","t":12345}""")]
    [InlineData("""{"type":"ping","t":{"sent":"x","n":[1,2]}}""", """{"type":"pong","t":{"sent":"x","n":[1,2]}}""")]
    [InlineData("""{ "t" : "abc" , "type" : "ping" }""", """{"type":"pong","t":"abc"}""")]
    [InlineData("""{"type":"ping"}""", """{"type":"pong"}""")]
    public void Ping_is_answered_with_a_pong_echoing_t(string ping, string expectedPong)
    {
        var message = ClientMessage.Parse(Encoding.UTF8.GetBytes(ping));

        Assert.Equal(ClientMessageKind.Ping, message.Kind);
        Assert.Equal(expectedPong, Encoding.UTF8.GetString(Frames.Pong(message.PingT.Span)));
    }

    [Theory]
    [InlineData("""{"type":"subscribe","t":1}""", ClientMessageKind.Unknown)]
    [InlineData("""{"type":"ping","t":1} trailing""", ClientMessageKind.Invalid)]
    [InlineData("""{"type":1}""", ClientMessageKind.Invalid)]
    [InlineData("""{"t":1}""", ClientMessageKind.Invalid)]
    [InlineData("""["ping"]""", ClientMessageKind.Invalid)]
    [InlineData("""{"type":"ping","t":}""", ClientMessageKind.Invalid)]
    [InlineData("", ClientMessageKind.Invalid)]
    [InlineData("ping", ClientMessageKind.Invalid)]
    public void Other_client_frames_are_unknown_or_invalid(string frame, ClientMessageKind expected)
    {
        Assert.Equal(expected, ClientMessage.Parse(Encoding.UTF8.GetBytes(frame)).Kind);
    }
}
