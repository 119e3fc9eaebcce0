namespace ContactCenter.Ingest;

/// <summary>The ingest path's settings, section <c>ContactCenter:Ingest</c>.</summary>
public sealed class IngestOptions
{
    public const string Section = "ContactCenter:Ingest";

    /// <summary>
    /// How far a gateway's clock may be from the silo's, ahead or behind, before its events are rejected: one
    /// whose clock is wrong by more (no NTP, a reset to 1970) would put its calls at impossible times in CDRs
    /// and reports. Judged by the request's <c>sentAt</c> when it has one, else by each event's <c>occurredAt</c>.
    /// </summary>
    public double MaxClockSkewSeconds { get; init; } = 300;

    public TimeSpan MaxClockSkew => TimeSpan.FromSeconds(MaxClockSkewSeconds);

    /// <summary>
    /// How long before its request's <c>sentAt</c> an event may have happened: how long a gateway's outbox may
    /// hold events through an outage of both regions. A day covers any outage that leaves the gateway running.
    /// </summary>
    public double MaxEventAgeHours { get; init; } = 24;

    public TimeSpan MaxEventAge => TimeSpan.FromHours(MaxEventAgeHours);

    internal void Validate()
    {
        // Bounded above too: a window of years would overflow the time arithmetic and make every request fail.
        if (!(MaxClockSkewSeconds > 0 && MaxClockSkewSeconds <= 86_400))
        {
            throw new InvalidOperationException($"{Section}:MaxClockSkewSeconds must be from 0 to 86400 seconds (a day), not {MaxClockSkewSeconds}");
        }

        if (!(MaxEventAgeHours > 0 && MaxEventAgeHours <= 720))
        {
            throw new InvalidOperationException($"{Section}:MaxEventAgeHours must be from 0 to 720 hours (30 days), not {MaxEventAgeHours}");
        }
    }
}
