using System.Buffers;
using System.Text;
using Notifications.Api.Connections;
using Notifications.Api.ServerSentEvents;

namespace Notifications.UnitTests;

public class EventPositionsTests
{
    private static readonly string[] Streams = ["user:alice", "broadcast"];

    private static readonly byte[] Welcome = Encoding.UTF8.GetBytes(
        """{"type":"welcome","connectionId":"c","userId":"alice","node":"n","heartbeatSeconds":30,"epoch":"aa.bb","positions":{"user:alice":10,"broadcast":20}}""");

    private static bool Observe(EventPositions positions, string frame)
    {
        var bytes = Encoding.UTF8.GetBytes(frame);
        return positions.Observe(bytes, EventFormat.TypeOf(bytes));
    }

    private static string Cursor(EventPositions positions)
    {
        var buffer = new ArrayBufferWriter<byte>();
        positions.WriteCursor(buffer);
        return Encoding.ASCII.GetString(buffer.WrittenSpan);
    }

    private static string Expected(string user, string broadcast) => $"1.{EventCursor.StreamsTag(Streams)}.{user}.{broadcast}";

    [Fact]
    public void A_fresh_connection_starts_at_the_welcome_s_positions_and_each_notification_moves_its_stream()
    {
        var positions = new EventPositions(resume: null);

        Assert.True(positions.Observe(Welcome, EventFormat.TypeOf(Welcome)));
        Assert.Equal(Expected("aa:10", "bb:20"), Cursor(positions));
        Assert.True(Observe(positions, """{"type":"notification","id":"x","stream":"broadcast","seq":21,"data":{"stream":"user:alice","seq":99},"sentAt":"t"}"""));
        Assert.Equal(Expected("aa:10", "bb:21"), Cursor(positions));
        Assert.False(Observe(positions, """{"type":"pong","t":1}"""));
    }

    [Fact]
    public void A_resume_keeps_the_client_s_positions_until_the_replay_moves_them_and_resumed_puts_every_stream_at_the_welcome()
    {
        var positions = new EventPositions(new ResumeRequest("aa.old", new Dictionary<string, long> { ["user:alice"] = 7, ["broadcast"] = 15 }));

        positions.Observe(Welcome, EventFormat.TypeOf(Welcome));
        Assert.Equal(Expected("aa:7", "old:15"), Cursor(positions));
        Assert.True(Observe(positions, """{"type":"batch","replay":true,"items":[{"type":"notification","id":"a","stream":"user:alice","seq":8,"data":1,"sentAt":"t"},{"type":"notification","id":"b","stream":"user:alice","seq":9,"data":1,"sentAt":"t"}]}"""));
        Assert.Equal(Expected("aa:9", "old:15"), Cursor(positions));
        Assert.True(Observe(positions, """{"type":"resumed","recovered":false,"missed":2,"reason":"epoch_changed","streams":["broadcast"]}"""));
        Assert.Equal(Expected("aa:10", "bb:20"), Cursor(positions));
    }

    [Fact]
    public void A_stream_resumed_without_a_known_epoch_gets_one_that_matches_none()
    {
        var positions = new EventPositions(new ResumeRequest(null, new Dictionary<string, long> { ["user:alice"] = 7 }));

        positions.Observe(Welcome, EventFormat.TypeOf(Welcome));

        Assert.Equal(Expected($"{EventCursor.UnknownEpoch}:7", "bb:20"), Cursor(positions));
    }
}
