using Notifications.Api.Backplane;
using Notifications.Api.Connections;

namespace Notifications.UnitTests;

public class ConnectionEpochTests
{
    private static readonly string[] Streams = ["user:alice", "broadcast"];

    [Fact]
    public void The_epochs_of_the_connection_s_streams_travel_as_one_string_and_come_back_per_stream()
    {
        var heads = new Dictionary<string, StreamHead> { ["broadcast"] = new("b1", 7), ["user:alice"] = new("u1", 3) };

        var epoch = ConnectionEpoch.Compose(Streams, heads);

        Assert.Equal("u1.b1", epoch);
        Assert.Equal(new Dictionary<string, string> { ["user:alice"] = "u1", ["broadcast"] = "b1" }, ConnectionEpoch.Parse(epoch, Streams));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("3f9c2a71b04e5d86")]
    [InlineData("u1.b1.x1")]
    public void An_epoch_of_another_shape_gives_no_stream_an_epoch(string? epoch) =>
        Assert.Empty(ConnectionEpoch.Parse(epoch, Streams));

    [Theory]
    [InlineData("e1", "e1", true)]
    [InlineData("-", "e1", true)]
    [InlineData("-", "-", true)]
    [InlineData("e1", "e2", false)]
    [InlineData("e1", "-", false)]
    [InlineData(null, "e1", false)]
    public void Positions_continue_in_the_same_epoch_or_from_before_the_stream_had_one(string? client, string current, bool continues) =>
        Assert.Equal(continues, ConnectionEpoch.Continues(client, current));
}
