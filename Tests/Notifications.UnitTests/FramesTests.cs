using System.Text;
using System.Text.Json;
using Notifications.Api.Backplane;
using Notifications.Api.Connections;

namespace Notifications.UnitTests;

public class FramesTests
{
    private static readonly DateTimeOffset SentAt = new(2026, 11, 30, 8, 0, 0, TimeSpan.Zero);

    private static NotificationEnvelope Envelope(long seq, string data = """{"title":"Grüße","items":[1,{"a":"<b>"}]}""") =>
        new(seq, "e1", SentAt, $"m{seq}", "user:alice", null, JsonDocument.Parse(data).RootElement);

    [Fact]
    public void Notification_frame_carries_the_contract_fields_and_the_data_unchanged()
    {
        var envelope = Envelope(5);
        var frame = Frames.Notification(envelope);

        using var parsed = JsonDocument.Parse(frame);
        var root = parsed.RootElement;
        Assert.Equal(["type", "id", "stream", "seq", "data", "sentAt"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("notification", root.GetProperty("type").GetString());
        Assert.Equal("m5", root.GetProperty("id").GetString());
        Assert.Equal("user:alice", root.GetProperty("stream").GetString());
        Assert.Equal(5, root.GetProperty("seq").GetInt64());
        Assert.Equal(SentAt, root.GetProperty("sentAt").GetDateTimeOffset());
        Assert.True(JsonElement.DeepEquals(envelope.Data, root.GetProperty("data")));
        // Non-ASCII text stays readable UTF-8 rather than \u escapes.
        Assert.Contains("Grüße", Encoding.UTF8.GetString(frame), StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_frame_holds_notifications_in_order()
    {
        using var parsed = JsonDocument.Parse(Frames.Batch([Envelope(3), Envelope(4, "null")]));

        var items = parsed.RootElement.GetProperty("items").EnumerateArray().ToArray();
        Assert.Equal("batch", parsed.RootElement.GetProperty("type").GetString());
        Assert.True(parsed.RootElement.GetProperty("replay").GetBoolean());
        Assert.Equal([3L, 4L], items.Select(item => item.GetProperty("seq").GetInt64()));
        Assert.All(items, item => Assert.Equal("notification", item.GetProperty("type").GetString()));
        Assert.Equal(JsonValueKind.Null, items[1].GetProperty("data").ValueKind);
    }

    [Fact]
    public void Welcome_frame_names_connection_user_node_heartbeat_epoch_and_positions()
    {
        using var parsed = JsonDocument.Parse(Frames.Welcome("c1", "alice", "notifications-api-abc", 30, "e1",
            new Dictionary<string, long> { ["user:alice"] = 41, ["broadcast"] = 1020 }));
        var root = parsed.RootElement;
        Assert.Equal("welcome", root.GetProperty("type").GetString());
        Assert.Equal("c1", root.GetProperty("connectionId").GetString());
        Assert.Equal("alice", root.GetProperty("userId").GetString());
        Assert.Equal("notifications-api-abc", root.GetProperty("node").GetString());
        Assert.Equal(30, root.GetProperty("heartbeatSeconds").GetInt32());
        Assert.Equal("e1", root.GetProperty("epoch").GetString());
        Assert.Equal(41, root.GetProperty("positions").GetProperty("user:alice").GetInt64());
        Assert.Equal(1020, root.GetProperty("positions").GetProperty("broadcast").GetInt64());
    }

    [Fact]
    public void Resumed_frame_says_why_not_only_when_not_recovered()
    {
        using var recovered = JsonDocument.Parse(Frames.Resumed(new ResumeOutcome(true, 3, null, [])));
        using var lost = JsonDocument.Parse(Frames.Resumed(new ResumeOutcome(false, 0, ResumeReasons.HistoryTrimmed, ["broadcast"])));

        Assert.Equal("""{"type":"resumed","recovered":true,"missed":3}""", recovered.RootElement.GetRawText());
        Assert.Equal("""{"type":"resumed","recovered":false,"missed":0,"reason":"history_trimmed","streams":["broadcast"]}""", lost.RootElement.GetRawText());
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
    [InlineData("""{"type":"presence","t":1}""", ClientMessageKind.Unknown)]
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
