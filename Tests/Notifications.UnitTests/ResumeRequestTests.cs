using Notifications.Api.Connections;

namespace Notifications.UnitTests;

public class ResumeRequestTests
{
    private static readonly HashSet<string> Readable = new(StringComparer.Ordinal) { "user:alice", "broadcast" };

    [Fact]
    public void No_since_means_no_resume()
    {
        Assert.True(ResumeRequest.TryParse("e1", null, Readable, out var request, out var error));
        Assert.Null(request);
        Assert.Null(error);
    }

    [Fact]
    public void Positions_split_at_the_last_colon()
    {
        Assert.True(ResumeRequest.TryParse("e1", "user:alice:41, broadcast:1020", Readable, out var request, out _));

        Assert.Equal("e1", request!.Epoch);
        Assert.Equal(41, request.Since["user:alice"]);
        Assert.Equal(1020, request.Since["broadcast"]);
    }

    [Fact]
    public void A_missing_epoch_is_kept_as_unknown()
    {
        Assert.True(ResumeRequest.TryParse(null, "broadcast:0", Readable, out var request, out _));
        Assert.Null(request!.Epoch);
        Assert.Equal(0, request.Since["broadcast"]);
    }

    [Theory]
    [InlineData("user:alice")]
    [InlineData("user:alice:")]
    [InlineData("user:alice:-1")]
    [InlineData("user:alice:x")]
    [InlineData(":5")]
    [InlineData("user:alice:1,user:alice:2")]
    [InlineData("user:bob:5")]
    [InlineData("group:x:5")]
    public void Malformed_duplicate_or_foreign_positions_are_refused_with_a_reason(string since)
    {
        Assert.False(ResumeRequest.TryParse("e1", since, Readable, out var request, out var error));
        Assert.Null(request);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
