using Notifications.Api.Cluster;

namespace Notifications.UnitTests;

public class LatencyHistogramTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(15, 15)]
    [InlineData(16, 16)]
    [InlineData(17, 17)]
    [InlineData(31, 31)]
    [InlineData(32, 33)]
    [InlineData(1000, 1023)]
    [InlineData(123_456, 126_975)]
    public void A_value_reads_back_as_the_highest_of_its_bucket_never_below_and_less_than_a_sixteenth_above(long microseconds, long expected)
    {
        var highest = LatencyHistogram.HighestIn(LatencyHistogram.BucketOf(microseconds));

        Assert.Equal(expected, highest);
        Assert.InRange(highest, microseconds, microseconds + Math.Max(1, microseconds / 16));
    }

    [Fact]
    public void Buckets_cover_every_value_in_order_and_anything_past_67_seconds_lands_in_the_last()
    {
        var previous = -1;
        for (var value = 0L; value < 1L << 27; value = value < 1024 ? value + 1 : value + (value / 97))
        {
            var bucket = LatencyHistogram.BucketOf(value);
            Assert.InRange(bucket, previous, LatencyHistogram.BucketCount - 1);
            previous = bucket;
        }

        Assert.Equal(LatencyHistogram.BucketCount - 1, LatencyHistogram.BucketOf(long.MaxValue));
        Assert.Equal(LatencyHistogram.BucketCount - 1, LatencyHistogram.BucketOf(1L << 26));
        Assert.Equal(0, LatencyHistogram.BucketOf(-5));
    }

    [Fact]
    public void Percentiles_are_the_nearest_rank_of_the_interval_between_two_snapshots()
    {
        var histogram = new LatencyHistogram();
        var before = new long[LatencyHistogram.BucketCount];
        var now = new long[LatencyHistogram.BucketCount];
        histogram.Record(5_000_000);
        histogram.CopyTo(before);
        for (var i = 1; i <= 100; i++)
        {
            histogram.Record(i);
        }

        histogram.CopyTo(now);

        // The 50th value (50 µs) shares a 2 µs wide bucket with 51; 95 and 99 end their 4 µs wide buckets.
        Assert.Equal(51, LatencyHistogram.Percentile(now, before, 0.50));
        Assert.Equal(95, LatencyHistogram.Percentile(now, before, 0.95));
        Assert.Equal(99, LatencyHistogram.Percentile(now, before, 0.99));
        Assert.Null(LatencyHistogram.Percentile(now, now, 0.5));
    }

    [Fact]
    public void A_window_reports_each_interval_once_and_nothing_for_an_interval_without_deliveries()
    {
        var histogram = new LatencyHistogram();
        var window = new LatencyWindow(histogram);
        foreach (var microseconds in Enumerable.Repeat(1_000L, 98).Append(40_000).Append(90_000))
        {
            histogram.Record(microseconds);
        }

        var first = window.Next();
        var second = window.Next();
        histogram.Record(2_000);
        var third = window.Next();

        Assert.NotNull(first);
        Assert.Equal(100, first.Count);
        Assert.Equal(1.023, first.P50Ms);
        Assert.Equal(1.023, first.P95Ms);
        Assert.Equal(40.959, first.P99Ms);
        Assert.Null(second);
        Assert.Equal(new LatencyPercentiles(1, 2.047, 2.047, 2.047), third);
    }

    [Fact]
    public void A_window_of_several_intervals_keeps_a_delivery_in_every_report_until_it_has_slid_out()
    {
        var histogram = new LatencyHistogram();
        var window = new LatencyWindow(histogram, intervals: 3);
        histogram.Record(2_000);
        var reports = Enumerable.Range(0, 4).Select(_ => window.Next()).ToList();
        histogram.Record(2_000);
        histogram.Record(2_000);
        var later = window.Next();

        Assert.All(reports.Take(3), report => Assert.Equal(new LatencyPercentiles(1, 2.047, 2.047, 2.047), report));
        Assert.Null(reports[3]);
        Assert.Equal(2, later!.Count);
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 5)]
    [InlineData(3, 4)]
    [InlineData(30, 1)]
    public void The_window_spans_ten_seconds_of_report_intervals_and_at_least_one(int reportSeconds, int expected) =>
        Assert.Equal(expected, LatencyWindow.IntervalsFor(TimeSpan.FromSeconds(reportSeconds)));

    [Fact]
    public async Task Concurrent_recording_loses_no_count()
    {
        var histogram = new LatencyHistogram();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                histogram.Record(i % 3_000);
            }
        })));

        var counts = new long[LatencyHistogram.BucketCount];
        histogram.CopyTo(counts);
        Assert.Equal(40_000, counts.Sum());
    }
}
