namespace ContactCenter.Ingest;

/// <summary>The ingest path's settings, section <c>ContactCenter:Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "ContactCenter:Ingest";

    /// <summary>
    /// How far an event's <c>occurredAt</c> may be from the silo's clock, ahead or behind, before the event is
    /// rejected: a gateway whose clock is wrong by more (no NTP, a reset to 1970) would put its calls at
    /// impossible times in CDRs and reports. Events that waited in a gateway's outbox through an outage are
    /// behind by that long too, so this is minutes, not seconds.
    /// </summary>
    public double MaxClockSkewSeconds { get; init; } = 300;

    public TimeSpan MaxClockSkew => TimeSpan.FromSeconds(MaxClockSkewSeconds);

    internal void Validate()
    {
        if (!(MaxClockSkewSeconds > 0))
        {
            throw new InvalidOperationException($"{Section}:MaxClockSkewSeconds must be a positive number of seconds, not {MaxClockSkewSeconds}");
        }
    }
}
