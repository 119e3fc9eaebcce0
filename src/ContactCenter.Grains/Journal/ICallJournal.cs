using ContactCenter.Calls;

namespace ContactCenter.Journal;

/// <summary>
/// The durable, append-only record of every accepted call event. It is the Call grains' storage: a grain
/// acknowledges an event only after <see cref="AppendAsync"/> completes, and rebuilds itself with <see cref="ReadAsync"/>.
/// </summary>
public interface ICallJournal
{
    /// <summary>Commits one call's newly accepted events, with the call's resulting state; completes once durable.</summary>
    /// <exception cref="JournalConflictException">Another writer already recorded one of these sequence numbers.</exception>
    Task AppendAsync(JournalAppend append, CancellationToken cancellationToken = default);

    /// <summary>A call's accepted events in sequence order.</summary>
    Task<IReadOnlyList<JournaledEvent>> ReadAsync(string callId, CancellationToken cancellationToken = default);
}

/// <summary>One call's events to commit together, and what they lead to.</summary>
/// <param name="GatewayId">The gateway that sent them.</param>
/// <param name="Events">Accepted events, in sequence order, all for <see cref="CallSnapshot.CallId"/> of <paramref name="After"/>.</param>
/// <param name="After">The call's state once they are applied: it maintains the active-calls index.</param>
/// <param name="Cdr">The call detail record, when these events end the call; committed in the same transaction.</param>
public sealed record JournalAppend(string GatewayId, IReadOnlyList<CallEvent> Events, CallSnapshot After, CallDetailRecord? Cdr)
{
    public string CallId => After.CallId;
}

/// <summary>An event as the journal holds it.</summary>
public sealed record JournaledEvent(string GatewayId, CallEvent Event, DateTimeOffset RecordedAt);

/// <summary>The journal already holds a different event under one of the sequence numbers being appended.</summary>
public sealed class JournalConflictException(string callId)
    : Exception($"the journal already holds events for call {callId} under these sequence numbers")
{
    public string CallId { get; } = callId;
}
