using System.Diagnostics;
using Notifications.Api.Limits;

namespace Notifications.UnitTests;

public class InboundRateTests
{
    private static long After(long start, double seconds) => start + (long)(seconds * Stopwatch.Frequency);

    [Fact]
    public void A_burst_passes_then_the_rate_applies()
    {
        var rate = new InboundRate(perSecond: 2, burst: 3);
        var start = Stopwatch.GetTimestamp();

        Assert.True(rate.TryTake(start));
        Assert.True(rate.TryTake(start));
        Assert.True(rate.TryTake(start));
        Assert.False(rate.TryTake(start));

        Assert.True(rate.TryTake(After(start, 0.5)));
        Assert.False(rate.TryTake(After(start, 0.6)));
    }

    [Fact]
    public void Tokens_refill_up_to_the_burst_and_no_further()
    {
        var rate = new InboundRate(perSecond: 10, burst: 2);
        var start = Stopwatch.GetTimestamp();
        rate.TryTake(start);
        rate.TryTake(start);

        var later = After(start, 60);
        Assert.True(rate.TryTake(later));
        Assert.True(rate.TryTake(later));
        Assert.False(rate.TryTake(later));
    }
}
