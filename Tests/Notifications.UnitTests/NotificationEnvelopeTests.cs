using System.Text;
using System.Text.Json;
using Notifications.Api.Backplane;

namespace Notifications.UnitTests;

public class NotificationEnvelopeTests
{
    private static readonly DateTimeOffset SentAt = new(2026, 11, 30, 8, 0, 0, 123, TimeSpan.Zero);

    [Fact]
    public void Round_trips_every_field_and_keeps_data_as_json()
    {
        using var data = JsonDocument.Parse("""{"title":"Hi","n":[1,2.5,null],"nested":{"ok":true},"text":"é<>&"}""");
        var envelope = new NotificationEnvelope("m1", "user:alice", data.RootElement, SentAt, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01");

        var bytes = envelope.ToUtf8Bytes();
        Assert.True(NotificationEnvelope.TryParse(bytes, out var parsed));

        Assert.Equal("m1", parsed.Id);
        Assert.Equal("user:alice", parsed.Stream);
        Assert.Equal(SentAt, parsed.SentAt);
        Assert.Equal(envelope.TraceParent, parsed.TraceParent);
        Assert.True(JsonElement.DeepEquals(data.RootElement, parsed.Data));
        Assert.Contains("\"traceparent\":", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"id":"m1","stream":"broadcast"}""")]
    [InlineData("""{"id":"","stream":"broadcast","data":1,"sentAt":"2026-11-30T08:00:00Z"}""")]
    [InlineData("""{"stream":"broadcast","data":1,"sentAt":"2026-11-30T08:00:00Z"}""")]
    [InlineData("""{"id":"m1","stream":"broadcast","data":1,"sentAt":"yesterday"}""")]
    public void Refuses_malformed_or_incomplete_envelopes_without_throwing(string payload)
    {
        Assert.False(NotificationEnvelope.TryParse(Encoding.UTF8.GetBytes(payload), out _));
    }

    [Fact]
    public void Accepts_null_as_data()
    {
        Assert.True(NotificationEnvelope.TryParse("""{"id":"m1","stream":"broadcast","data":null,"sentAt":"2026-11-30T08:00:00Z"}"""u8, out var parsed));
        Assert.Equal(JsonValueKind.Null, parsed.Data.ValueKind);
    }

    [Theory]
    [InlineData("user:alice", "alice", true)]
    [InlineData("user:alice", "alic", false)]
    [InlineData("user:alice", "alice2", false)]
    [InlineData("broadcast", "alice", false)]
    [InlineData("group:alice", "alice", false)]
    public void Knows_whose_stream_a_stream_is(string stream, string userId, bool expected)
    {
        Assert.Equal(expected, Streams.IsStreamOfUser(stream, userId));
    }
}
