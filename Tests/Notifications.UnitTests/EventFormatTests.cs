using System.Buffers;
using System.Text;
using System.Text.Json;
using Notifications.Api.ServerSentEvents;

namespace Notifications.UnitTests;

public class EventFormatTests
{
    private static string Written(Action<ArrayBufferWriter<byte>> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Theory]
    [InlineData("""{"type":"welcome","connectionId":"c"}""", "welcome")]
    [InlineData("""{"id":"x","data":{"type":"inner"},"type":"notification"}""", "notification")]
    [InlineData("""{"data":{"type":"inner"}}""", "")]
    public void The_event_type_is_the_frame_s_top_level_type(string frame, string type) =>
        Assert.Equal(type, Encoding.UTF8.GetString(EventFormat.TypeOf(Encoding.UTF8.GetBytes(frame))));

    [Fact]
    public void A_frame_is_one_event_with_its_type_its_id_when_given_and_its_JSON_on_one_data_line()
    {
        var frame = """{"type":"notification","seq":3,"data":"a\nb"}"""u8.ToArray();

        Assert.Equal("event: notification\nid: 1.abc\ndata: {\"type\":\"notification\",\"seq\":3,\"data\":\"a\\nb\"}\n\n",
            Written(buffer => EventFormat.WriteEvent(buffer, "notification"u8, id => EventFormat.Write(id, "1.abc"u8), frame)));
        Assert.Equal("event: pong\ndata: {}\n\n", Written(buffer => EventFormat.WriteEvent(buffer, "pong"u8, null, "{}"u8)));
    }

    [Fact]
    public void The_close_event_carries_the_code_and_the_reason_as_JSON()
    {
        var text = Written(buffer => EventFormat.WriteClose(buffer, 4000, "slow \"consumer\"\nresume"));

        Assert.StartsWith("event: close\ndata: ", text, StringComparison.Ordinal);
        Assert.EndsWith("\n\n", text, StringComparison.Ordinal);
        var data = text["event: close\ndata: ".Length..^2];
        Assert.DoesNotContain('\n', data);
        using var close = JsonDocument.Parse(data);
        Assert.Equal("close", close.RootElement.GetProperty("type").GetString());
        Assert.Equal(4000, close.RootElement.GetProperty("code").GetInt32());
        Assert.Equal("slow \"consumer\"\nresume", close.RootElement.GetProperty("reason").GetString());
    }

    [Fact]
    public void Retry_and_heartbeat_are_what_EventSource_reads_and_ignores()
    {
        Assert.Equal("retry: 2500\n\n", Written(buffer => EventFormat.WriteRetry(buffer, 2500)));
        Assert.Equal(":\n\n", Encoding.UTF8.GetString(EventFormat.Heartbeat));
    }
}
