using System.Text;
using System.Text.Json;
using Notifications.Api.Backplane;

namespace Notifications.UnitTests;

public class NotificationEnvelopeTests
{
    private static readonly DateTimeOffset SentAt = new(2026, 11, 30, 8, 0, 0, 123, TimeSpan.Zero);

    /// <summary>What the publish script (HistoryScripts.Publish) builds from a tail: seq and epoch, then the tail.</summary>
    private static byte[] Compose(long seq, string epoch, ReadOnlySpan<byte> tail) =>
        [.. Encoding.UTF8.GetBytes($$"""{"seq":{{seq}},"epoch":"{{epoch}}",""" ), .. tail];

    [Fact]
    public void Round_trips_every_field_through_tail_and_compose_and_keeps_data_as_json()
    {
        using var data = JsonDocument.Parse("""{"title":"Hi","n":[1,2.5,null],"nested":{"ok":true},"text":"é<>&","sentAt":1}""");
        var tail = NotificationEnvelope.Tail(SentAt, "m1", "user:alice", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", data.RootElement);

        var stored = Compose(42, "e1", tail);
        Assert.True(NotificationEnvelope.TryParse(stored, out var parsed));

        Assert.Equal(42, parsed.Seq);
        Assert.Equal("e1", parsed.Epoch);
        Assert.Equal("m1", parsed.Id);
        Assert.Equal("user:alice", parsed.Stream);
        Assert.Equal(SentAt, parsed.SentAt);
        Assert.Equal("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", parsed.TraceParent);
        Assert.True(JsonElement.DeepEquals(data.RootElement, parsed.Data));
    }

    [Fact]
    public void The_stored_form_starts_with_seq_epoch_and_sentAt_in_milliseconds_for_the_Lua_script()
    {
        var tail = NotificationEnvelope.Tail(SentAt, "m1", "broadcast", null, JsonDocument.Parse("1").RootElement);

        var stored = Encoding.UTF8.GetString(Compose(7, "e1", tail));

        Assert.StartsWith($$"""{"seq":7,"epoch":"e1","sentAt":{{SentAt.ToUnixTimeMilliseconds()}},"id":"m1",""", stored, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"seq":1,"epoch":"e","sentAt":1,"id":"m1","stream":"broadcast"}""")]
    [InlineData("""{"seq":1,"epoch":"e","sentAt":1,"id":"","stream":"broadcast","data":1}""")]
    [InlineData("""{"seq":0,"epoch":"e","sentAt":1,"id":"m1","stream":"broadcast","data":1}""")]
    [InlineData("""{"seq":1,"sentAt":1,"id":"m1","stream":"broadcast","data":1}""")]
    [InlineData("""{"seq":1,"epoch":"e","sentAt":"yesterday","id":"m1","stream":"broadcast","data":1}""")]
    public void Refuses_malformed_or_incomplete_envelopes_without_throwing(string payload)
    {
        Assert.False(NotificationEnvelope.TryParse(Encoding.UTF8.GetBytes(payload), out _));
    }

    [Fact]
    public void Accepts_null_as_data()
    {
        Assert.True(NotificationEnvelope.TryParse("""{"seq":1,"epoch":"e","sentAt":1,"id":"m1","stream":"broadcast","data":null}"""u8, out var parsed));
        Assert.Equal(JsonValueKind.Null, parsed.Data.ValueKind);
    }
}
