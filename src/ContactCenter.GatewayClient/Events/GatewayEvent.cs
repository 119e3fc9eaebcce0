namespace ContactCenter.GatewayClient;

/// <summary>
/// One thing that happened to a call, as the gateway reports it to <c>POST /api/v1/gateway/events</c>. The
/// common fields are typed; the fields of each event type are in <see cref="Fields"/> under their JSON
/// names. The factory methods (<see cref="Offered"/>, <see cref="Queued"/>, ...) fill them in correctly.
/// </summary>
/// <param name="EventId">Unique per gateway: the silo deduplicates by it, which is what makes resending safe.</param>
/// <param name="CallId">The gateway's id for the call.</param>
/// <param name="Sequence">Per call, from 1 (the <c>offered</c> event) without gaps.</param>
/// <param name="Type">The wire name, e.g. <c>offered</c>, <c>queued</c>, <c>ended</c>.</param>
/// <param name="OccurredAt">When it happened at the gateway.</param>
/// <param name="Fields">The type's own fields, e.g. <c>queue</c> for <c>queued</c>; none for <c>held</c>.</param>
public sealed partial record GatewayEvent(
    string EventId,
    string CallId,
    int Sequence,
    string Type,
    DateTimeOffset OccurredAt,
    IReadOnlyDictionary<string, string>? Fields = null)
{
    private static readonly string[] CommonFields = ["eventId", "callId", "sequence", "type", "occurredAt"];

    /// <summary>Refuses an event the client could not even put in a batch; what the silo checks, it leaves to the silo.</summary>
    internal void ThrowIfIncomplete()
    {
        ArgumentException.ThrowIfNullOrEmpty(EventId, nameof(EventId));
        ArgumentException.ThrowIfNullOrEmpty(CallId, nameof(CallId));
        ArgumentException.ThrowIfNullOrEmpty(Type, nameof(Type));
        ArgumentOutOfRangeException.ThrowIfLessThan(Sequence, 1, nameof(Sequence));
        // Written after the common fields, one of these would give the JSON object the same name twice.
        if (Fields?.Keys.FirstOrDefault(CommonFields.Contains) is { } clash)
        {
            throw new ArgumentException($"'{clash}' is a common field of every event, not one of the type's own", nameof(Fields));
        }
    }
}

/// <summary>Why a further party is on the call (<c>participant_joined</c>).</summary>
public enum ParticipantRole
{
    Agent,
    Supervisor,
    External,
}

/// <summary>Which side ended the call (<c>ended</c>).</summary>
public enum HangupSide
{
    Caller,
    Agent,
    System,
}
