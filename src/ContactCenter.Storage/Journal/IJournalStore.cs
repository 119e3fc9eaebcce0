using ContactCenter.ActiveCalls;

namespace ContactCenter.Journal;

/// <summary>The database side of the journal. <see cref="GroupCommitJournal"/> calls it with whole batches.</summary>
public interface IJournalStore
{
    /// <summary>
    /// Commits every append of the batch in one transaction, except those that conflict with rows already in the
    /// journal: those are left out (the rest still commit) and their indexes returned.
    /// </summary>
    Task<IReadOnlySet<int>> WriteBatchAsync(IReadOnlyList<JournalAppend> batch, CancellationToken cancellationToken);

    Task<IReadOnlyList<JournaledEvent>> ReadAsync(string callId, CancellationToken cancellationToken);

    Task<ActiveCallPage> QueryActiveCallsAsync(ActiveCallQuery query, CancellationToken cancellationToken);

    /// <summary>Round-trips to the database: the readiness check.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
