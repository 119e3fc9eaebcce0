namespace ContactCenter.Ingest;

/// <summary>The bounds on what one gateway request may carry. Every input is bounded.</summary>
public static class IngestLimits
{
    /// <summary>Request body size: a full batch of the longest events fits with room to spare.</summary>
    public const long MaxBodyBytes = 1024 * 1024;

    public const int MaxEventsPerBatch = 1_000;

    /// <summary>Ids and names: event, call, gateway, queue, agent, menu, region, participant, cause.</summary>
    public const int MaxIdLength = 128;

    /// <summary>Free-form references: the IVR menu path, a recording's media reference.</summary>
    public const int MaxReferenceLength = 512;

    public const int MaxSequence = 1_000_000;

    /// <summary>Gateway clocks run a little ahead sometimes; an event further in the future is an error.</summary>
    public static readonly TimeSpan MaxClockAhead = TimeSpan.FromMinutes(10);
}
