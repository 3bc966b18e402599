using System.Buffers;
using System.Text;
using Notifications.Api.ServerSentEvents;

namespace Notifications.UnitTests;

public class EventCursorTests
{
    private static readonly string[] Streams = ["user:alice", "broadcast", "topic:team-42"];

    private static string Encode(string[] streams, string[] epochs, long[] seqs)
    {
        var buffer = new ArrayBufferWriter<byte>();
        EventCursor.Write(buffer, EventCursor.StreamsTag(streams), epochs, seqs);
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void A_cursor_carries_every_stream_s_epoch_and_position_and_comes_back_as_the_resume_it_stands_for()
    {
        var cursor = Encode(Streams, ["3f9c2a71b04e5d86", "-", "08de3ea0a5bf4343"], [41, 0, 1020]);

        Assert.Equal($"1.{EventCursor.StreamsTag(Streams)}.3f9c2a71b04e5d86:41.-:0.08de3ea0a5bf4343:1020", cursor);
        Assert.True(EventCursor.TryParse(cursor, Streams, out var resume, out var error), error);
        Assert.Equal("3f9c2a71b04e5d86.-.08de3ea0a5bf4343", resume!.Epoch);
        Assert.Equal(new Dictionary<string, long> { ["user:alice"] = 41, ["broadcast"] = 0, ["topic:team-42"] = 1020 }, resume.Since);
    }

    [Fact]
    public void The_streams_tag_names_the_streams_in_their_order()
    {
        Assert.Matches("^[0-9a-f]{8}$", EventCursor.StreamsTag(Streams));
        Assert.NotEqual(EventCursor.StreamsTag(["user:alice", "broadcast"]), EventCursor.StreamsTag(["user:bob", "broadcast"]));
        Assert.NotEqual(EventCursor.StreamsTag(["user:alice", "broadcast"]), EventCursor.StreamsTag(["broadcast", "user:alice"]));
    }

    [Theory]
    [InlineData("")]
    [InlineData("garbage")]
    [InlineData("2.{tag}.e1:1.e2:2.e3:3")]
    [InlineData("1.00000000.e1:1.e2:2.e3:3")]
    [InlineData("1.{tag}.e1:1.e2:2")]
    [InlineData("1.{tag}.e1:1.e2:2.e3:3.e4:4")]
    [InlineData("1.{tag}.e1:1.e2:-2.e3:3")]
    [InlineData("1.{tag}.e1:1.e2:x.e3:3")]
    [InlineData("1.{tag}.e1:1.e2.e3:3")]
    [InlineData("1.{tag}.e1:1.:2.e3:3")]
    [InlineData("1.{tag}.E1:1.e2:2.e3:3")]
    [InlineData("1.{tag}.e1:1.e2:2.000000000000000000000000000000000:3")]
    [InlineData("1.{tag}.e1:1.e2:2.e3:99999999999999999999")]
    public void A_malformed_or_foreign_cursor_is_refused_with_a_reason(string cursor)
    {
        Assert.False(EventCursor.TryParse(cursor.Replace("{tag}", EventCursor.StreamsTag(Streams), StringComparison.Ordinal), Streams,
            out var resume, out var error));
        Assert.Null(resume);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void A_cursor_of_another_user_is_foreign()
    {
        var alice = Encode(["user:alice", "broadcast"], ["e1", "e2"], [1, 2]);

        Assert.False(EventCursor.TryParse(alice, ["user:bob", "broadcast"], out _, out var error));
        Assert.Contains("other streams", error, StringComparison.Ordinal);
    }
}
