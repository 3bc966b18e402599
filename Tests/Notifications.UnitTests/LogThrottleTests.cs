using Microsoft.Extensions.Time.Testing;
using Notifications.Api.Telemetry;

namespace Notifications.UnitTests;

public class LogThrottleTests
{
    [Fact]
    public void A_burst_of_lines_passes_then_one_per_interval_saying_how_many_were_left_out()
    {
        var time = new FakeTimeProvider();
        var throttle = new LogThrottle(time);

        var passed = Enumerable.Range(0, 1000).Count(attempt => throttle.TryEnter("origin", out _));
        Assert.Equal(LogThrottle.Burst, passed);

        time.Advance(LogThrottle.Interval);
        Assert.True(throttle.TryEnter("origin", out var suppressed));
        Assert.Equal(1000 - LogThrottle.Burst, suppressed);
        Assert.False(throttle.TryEnter("origin", out _));
    }

    [Fact]
    public void Each_reason_has_its_own_budget()
    {
        var throttle = new LogThrottle(new FakeTimeProvider());
        for (var i = 0; i < LogThrottle.Burst * 3; i++)
        {
            throttle.TryEnter("binary", out _);
        }

        Assert.True(throttle.TryEnter("too_big", out var suppressed));
        Assert.Equal(0, suppressed);
    }
}
