namespace ContactCenter.LoadTests.Measurement;

/// <summary>The part of the run an event's outcome arrived in. Only <see cref="Measured"/> counts for throughput.</summary>
public enum RunPhase
{
    Warmup,
    Measured,
    Drain,
}

/// <summary>
/// What one call loop of a gateway, or a gateway's client, saw in one phase. Each owns its tallies (no locks on
/// the hot path); they are merged once the run is over.
/// </summary>
public sealed class PhaseTally
{
    /// <summary>Requests the gateway's client sent, resends included.</summary>
    public long Requests { get; set; }

    /// <summary>Events on the wire, resends included.</summary>
    public long EventsSent { get; set; }

    public long Accepted { get; set; }

    public long Duplicates { get; set; }

    public long CallsCompleted { get; set; }

    /// <summary>Per acknowledged event: from appending it to the client to holding its receipt.</summary>
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
