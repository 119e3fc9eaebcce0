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

    /// <summary>The journals of several calls in one round trip, each in sequence order; a call with none is absent.</summary>
    Task<IReadOnlyDictionary<string, List<JournaledEvent>>> ReadManyAsync(IReadOnlyList<string> callIds, CancellationToken cancellationToken);

    Task<ActiveCallPage> QueryActiveCallsAsync(ActiveCallQuery query, CancellationToken cancellationToken);

    /// <summary>Round-trips to the database: the readiness check.</summary>
    Task PingAsync(CancellationToken cancellationToken);
}
