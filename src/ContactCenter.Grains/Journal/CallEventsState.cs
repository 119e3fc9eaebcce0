namespace ContactCenter.Journal;

/// <summary>
/// A call's accepted events as one grain state: what a naive Call grain with <c>IPersistentState&lt;CallEventsState&gt;</c>
/// would keep, and what the benchmark baseline (<c>ContactCenter:CallStore=GrainStatePerEvent</c>) writes whole after every event.
/// </summary>
/// <remarks>
/// Plain settable properties and [Id]s, so the state round-trips through whichever serializer the grain storage
/// provider is configured with: Orleans' binary serializer or its Newtonsoft JSON one.
/// </remarks>
[GenerateSerializer, Alias("cc.CallEventsState")]
public sealed class CallEventsState
{
    [Id(0)]
    public List<StoredCallEvent> Events { get; set; } = [];
}

/// <summary>One accepted event inside <see cref="CallEventsState"/>.</summary>
/// <remarks>
/// The event itself is kept in the journal's JSON form (<see cref="Payload"/>), the same bytes the journal stores per
/// row, so both designs pay the same to serialize an event; its id and sequence are kept beside it to recognise a
/// resent event without parsing.
/// </remarks>
[GenerateSerializer, Alias("cc.StoredCallEvent")]
public sealed class StoredCallEvent
{
    [Id(0)]
    public int Sequence { get; set; }

    [Id(1)]
    public string EventId { get; set; } = "";

    [Id(2)]
    public string GatewayId { get; set; } = "";

    [Id(3)]
    public string Payload { get; set; } = "";

    [Id(4)]
    public DateTimeOffset RecordedAt { get; set; }
}
