namespace ContactCenter.LoadTests.Measurement;

/// <summary>
/// Latencies counted in logarithmic buckets (32 per power of two, so a percentile is read within 3%), safe to
/// record from any thread. A simulation run records tens of millions of latencies, one per event, and needs
/// percentiles for every second of the run as well as for the whole; exact values would cost a gigabyte.
/// Percentiles are reported as their bucket's upper edge: a latency is never understated.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBuckets = 32;
    private const int SubBucketBits = 5;
    // Microseconds up to 2^40 (12 days): far beyond any timeout.
    private const int Powers = 41;

    private readonly long[] _counts = new long[Powers * SubBuckets];
    private long _count;
    private long _sumMicros;
    private long _maxMicros;

    public long Count => Interlocked.Read(ref _count);

    public void Record(TimeSpan latency)
    {
        var micros = Math.Max(0, latency.Ticks / TimeSpan.TicksPerMicrosecond);
        Interlocked.Increment(ref _counts[Bucket(micros)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sumMicros, micros);
        long seen;
        while (micros > (seen = Interlocked.Read(ref _maxMicros)) && Interlocked.CompareExchange(ref _maxMicros, micros, seen) != seen)
        {
        }
    }

    public void AddFrom(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] += Interlocked.Read(ref other._counts[i]);
        }

        _count += other.Count;
        _sumMicros += Interlocked.Read(ref other._sumMicros);
        _maxMicros = Math.Max(_maxMicros, Interlocked.Read(ref other._maxMicros));
    }

    /// <summary>The latency in milliseconds that <paramref name="percent"/>% of the recorded ones do not exceed (nearest rank); 0 when empty.</summary>
    public double Percentile(double percent)
    {
        var count = Count;
        if (count == 0)
        {
            return 0;
        }

        var rank = Math.Clamp((long)Math.Ceiling(percent / 100 * count), 1, count);
        var seen = 0L;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(UpperEdge(i), Interlocked.Read(ref _maxMicros)) / 1000.0;
            }
        }

        return MaxMilliseconds;
    }

    public double MeanMilliseconds => Count == 0 ? 0 : Interlocked.Read(ref _sumMicros) / (double)Count / 1000;

    public double MaxMilliseconds => Interlocked.Read(ref _maxMicros) / 1000.0;

    public LatencySummary Summarize() => new(
        Count, Math.Round(MeanMilliseconds, 2), Round(Percentile(50)), Round(Percentile(90)), Round(Percentile(95)),
        Round(Percentile(99)), Round(Percentile(99.9)), Round(MaxMilliseconds));

    private static double Round(double milliseconds) => Math.Round(milliseconds, 2);

    /// <summary>Below 32 µs one bucket per microsecond; above, the power of two and the next five bits.</summary>
    private static int Bucket(long micros)
    {
        if (micros < SubBuckets)
        {
            return (int)micros;
        }

        var power = 63 - (int)long.LeadingZeroCount(micros);
        var sub = (int)(micros >> (power - SubBucketBits)) & (SubBuckets - 1);
        return Math.Min((power - SubBucketBits + 1) * SubBuckets + sub, Powers * SubBuckets - 1);
    }

    private static long UpperEdge(int bucket)
    {
        if (bucket < SubBuckets)
        {
            return bucket;
        }

        var power = bucket / SubBuckets + SubBucketBits - 1;
        var sub = bucket % SubBuckets;
        return ((long)(SubBuckets + sub + 1) << (power - SubBucketBits)) - 1;
    }
}
