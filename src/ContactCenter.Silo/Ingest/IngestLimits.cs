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

    /// <summary>Fields of one event: the widest type has eight; the rest is room for fields a newer gateway adds.</summary>
    public const int MaxFieldsPerEvent = 64;

    /// <summary>
    /// Nesting of the body: the batch object, its array, an event, and room for what a newer gateway may nest in an
    /// unknown field (which is ignored). Deeper is not a batch (400).
    /// </summary>
    public const int MaxDepth = 16;
}
