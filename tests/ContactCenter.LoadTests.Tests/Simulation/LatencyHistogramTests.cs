using ContactCenter.LoadTests.Measurement;
using ContactCenter.LoadTests.Simulation;

namespace ContactCenter.LoadTests.Tests.Simulation;

public sealed class LatencyHistogramTests
{
    [Theory]
    [InlineData(50)]
    [InlineData(95)]
    [InlineData(99)]
    [InlineData(99.9)]
    public void APercentileIsWithinThreePercentAboveTheExactValueAndNeverBelow(double percent)
    {
        var random = new Random(3);
        var micros = Enumerable.Range(0, 100_000).Select(_ => (long)random.LogNormal(20_000, 1.5)).ToArray();
        var histogram = new LatencyHistogram();
        foreach (var value in micros)
        {
            histogram.Record(TimeSpan.FromMicroseconds(value));
        }

        Array.Sort(micros);
        var exact = LatencyRecorder.Percentile(micros, percent) / 1000.0;
        Assert.InRange(histogram.Percentile(percent), exact, exact * 1.03 + 0.001);
    }

    [Fact]
    public void MergedHistogramsAnswerForAllTheirValues()
    {
        var fast = new LatencyHistogram();
        var slow = new LatencyHistogram();
        for (var i = 0; i < 99; i++)
        {
            fast.Record(TimeSpan.FromMilliseconds(2));
        }

        slow.Record(TimeSpan.FromMilliseconds(900));
        var all = new LatencyHistogram();
        all.AddFrom(fast);
        all.AddFrom(slow);

        Assert.Equal(100, all.Count);
        Assert.InRange(all.Percentile(99), 2, 2.07);
        Assert.Equal(900, all.Percentile(100));
        Assert.Equal(900, all.MaxMilliseconds);
    }
}
