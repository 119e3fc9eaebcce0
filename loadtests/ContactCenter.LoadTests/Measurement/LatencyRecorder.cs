namespace ContactCenter.LoadTests.Measurement;

/// <summary>Latency percentiles in milliseconds (nearest rank).</summary>
public sealed record LatencySummary(long Count, double Mean, double P50, double P90, double P95, double P99, double P999, double Max);

/// <summary>
/// Keeps every latency in microseconds and answers percentiles exactly, by sorting once at the end. A run
/// records at most a few million values (8 bytes each), so exact values are cheaper to trust than a bucketed
/// histogram and need no package.
/// </summary>
public sealed class LatencyRecorder
{
    private readonly List<long> _micros = [];

    public long Count => _micros.Count;

    public void Record(TimeSpan latency) => _micros.Add(latency.Ticks / TimeSpan.TicksPerMicrosecond);

    public void AddFrom(LatencyRecorder other) => _micros.AddRange(other._micros);

    public LatencySummary Summarize()
    {
        if (_micros.Count == 0)
        {
            return new LatencySummary(0, 0, 0, 0, 0, 0, 0, 0);
        }

        var sorted = _micros.ToArray();
        Array.Sort(sorted);
        return new LatencySummary(
            sorted.Length,
            Milliseconds(sorted.Average()),
            Milliseconds(Percentile(sorted, 50)),
            Milliseconds(Percentile(sorted, 90)),
            Milliseconds(Percentile(sorted, 95)),
            Milliseconds(Percentile(sorted, 99)),
            Milliseconds(Percentile(sorted, 99.9)),
            Milliseconds(sorted[^1]));
    }

    /// <summary>Nearest rank: the smallest value that at least <paramref name="percent"/>% of the values do not exceed.</summary>
    public static long Percentile(long[] sorted, double percent)
    {
        var rank = (int)Math.Ceiling(percent / 100 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private static double Milliseconds(double micros) => Math.Round(micros / 1000, 2);
}
