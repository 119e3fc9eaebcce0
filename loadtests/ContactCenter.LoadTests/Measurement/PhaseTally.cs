namespace ContactCenter.LoadTests.Measurement;

/// <summary>The part of the run a request completed in. Only <see cref="Measured"/> counts for throughput.</summary>
public enum RunPhase
{
    Warmup,
    Measured,
    Drain,
}

/// <summary>
/// What one gateway saw in one phase. Each gateway owns its tallies (no locks on the hot path); they are
/// merged once the run is over.
/// </summary>
public sealed class PhaseTally
{
    public long Requests { get; set; }

    public long EventsSent { get; set; }

    public long Accepted { get; set; }

    public long Duplicates { get; set; }

    public long CallsCompleted { get; set; }

    public LatencyRecorder Latency { get; } = new();

    public ErrorTally Errors { get; } = new();

    public long Acknowledged => Accepted + Duplicates;

    public void AddFrom(PhaseTally other)
    {
        Requests += other.Requests;
        EventsSent += other.EventsSent;
        Accepted += other.Accepted;
        Duplicates += other.Duplicates;
        CallsCompleted += other.CallsCompleted;
        Latency.AddFrom(other.Latency);
        Errors.AddFrom(other.Errors);
    }
}
