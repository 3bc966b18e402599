using Notifications.Client;

namespace Notifications.UnitTests;

public class ClientPolicyTests
{
    private static readonly ReconnectPolicy Policy = new() { BaseDelay = TimeSpan.FromMilliseconds(250), MaxDelay = TimeSpan.FromSeconds(30) };

    [Fact]
    public void The_ceiling_doubles_per_attempt_up_to_the_maximum()
    {
        Assert.Equal(TimeSpan.FromMilliseconds(250), Policy.Ceiling(0));
        Assert.Equal(TimeSpan.FromMilliseconds(500), Policy.Ceiling(1));
        Assert.Equal(TimeSpan.FromSeconds(16), Policy.Ceiling(6));
        Assert.Equal(TimeSpan.FromSeconds(30), Policy.Ceiling(7));
        Assert.Equal(TimeSpan.FromSeconds(30), Policy.Ceiling(10_000));
    }

    [Fact]
    public void Every_delay_lies_between_zero_and_the_ceiling()
    {
        var random = new Random(1234);
        for (var attempt = 0; attempt < 40; attempt++)
        {
            for (var draw = 0; draw < 200; draw++)
            {
                var delay = Policy.NextDelay(attempt, random);
                Assert.InRange(delay, TimeSpan.Zero, Policy.Ceiling(attempt));
            }
        }
    }

    [Fact]
    public void Thousands_of_clients_dropped_together_spread_their_first_reconnects_over_the_window()
    {
        // 5,000 clients of a replica that went down draw their first delay; full jitter spreads them evenly.
        var random = new Random(42);
        var buckets = new int[10];
        for (var client = 0; client < 5_000; client++)
        {
            var delay = Policy.NextDelay(attempt: 3, random);
            buckets[(int)(delay / Policy.Ceiling(3) * buckets.Length)]++;
        }

        // No tenth of the window gets more than 1.5 times its share: no storm at the start.
        Assert.All(buckets, count => Assert.InRange(count, 350, 750));
    }

    [Fact]
    public void Positions_drop_duplicates_and_old_seqs_per_stream()
    {
        var positions = new StreamPositions();

        Assert.True(positions.TryAdvance("user:alice", 1));
        Assert.True(positions.TryAdvance("user:alice", 2));
        Assert.False(positions.TryAdvance("user:alice", 2));
        Assert.False(positions.TryAdvance("user:alice", 1));
        Assert.True(positions.TryAdvance("broadcast", 1));
        Assert.True(positions.TryAdvance("user:alice", 5));

        Assert.Equal(5, positions.Current["user:alice"]);
        Assert.Equal(1, positions.Current["broadcast"]);
    }

    [Fact]
    public void A_reset_starts_a_stream_over_even_below_its_position()
    {
        var positions = new StreamPositions();
        positions.TryAdvance("broadcast", 900);

        positions.Reset("broadcast", 3);

        Assert.True(positions.TryAdvance("broadcast", 4));
        Assert.Equal("broadcast:4", positions.ToSinceParameter());
    }

    [Fact]
    public void The_since_parameter_lists_every_stream()
    {
        var positions = new StreamPositions();
        positions.TryAdvance("user:a:b", 7);
        positions.TryAdvance("broadcast", 9);

        Assert.Equal(["broadcast:9", "user:a:b:7"], positions.ToSinceParameter().Split(',').Order());
    }

    [Theory]
    [InlineData(1002, true)]
    [InlineData(1003, true)]
    [InlineData(1007, true)]
    [InlineData(1009, true)]
    [InlineData(1008, false)]
    [InlineData(1012, false)]
    [InlineData(4000, false)]
    [InlineData(4001, false)]
    [InlineData(4002, false)]
    public void Only_the_client_error_close_codes_stop_reconnecting(int code, bool stops)
    {
        Assert.Equal(stops, CloseCodes.IsClientError(code));
    }

    [Theory]
    [InlineData(401, true)]
    [InlineData(403, true)]
    [InlineData(400, true)]
    [InlineData(503, false)]
    [InlineData(502, false)]
    public void Unauthorized_and_forbidden_upgrades_stop_retrying(int status, bool final)
    {
        Assert.Equal(final, CloseCodes.IsFinalRefusal(status));
    }
}
