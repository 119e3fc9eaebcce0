using ContactCenter.GroupCommit;

namespace ContactCenter.GrainState;

/// <summary>What a state write stores.</summary>
public enum StateWriteKind
{
    /// <summary>The whole state, of a grain whose state is not a log.</summary>
    Whole,

    /// <summary>The whole state of a log-written grain (<see cref="State.IChangeLogState"/>): replaces its log.</summary>
    Snapshot,

    /// <summary>What changed since the previous write, appended to the grain's log.</summary>
    Change,
}

/// <summary>One grain's state write: it succeeds only if the stored version is still <see cref="ExpectedVersion"/> (0: no row yet).</summary>
public sealed record StateWrite(string GrainId, string StateName, int ExpectedVersion, byte[] Payload, StateWriteKind Kind = StateWriteKind.Whole);

/// <summary>A stored state and its version: the last whole state written, and the changes written after it, oldest first.</summary>
public sealed record StoredState(int Version, byte[] Payload, IReadOnlyList<byte[]> Changes)
{
    /// <summary>
    /// The state as read, checked: a log with a change missing (its count short of the versions it spans) would read
    /// back as a state that never was, so it is refused rather than activated.
    /// </summary>
    public static StoredState Checked(string grainId, string stateName, int version, int? snapshotVersion, byte[] payload, IReadOnlyList<byte[]> changes)
    {
        var expected = version - (snapshotVersion ?? version);
        if (changes.Count != expected)
        {
            throw new InvalidOperationException(
                $"state '{stateName}' of {grainId} is at version {version} with its snapshot at {snapshotVersion}, but {changes.Count} changes were found in the log instead of {expected}");
        }

        return new StoredState(version, payload, changes);
    }
}

/// <summary>The database side of <see cref="GroupCommitGrainStorage"/>.</summary>
public interface IGrainStateStore
{
    Task<StoredState?> ReadAsync(string grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>Writes a batch in one transaction: each write's new version, or a conflict for that write alone.</summary>
    Task<IReadOnlyList<CommitOutcome<int>>> WriteBatchAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken);

    /// <summary>Deletes the row (and its log) if it is still at <paramref name="expectedVersion"/>; false when it had moved on.</summary>
    Task<bool> DeleteAsync(string grainId, string stateName, int expectedVersion, CancellationToken cancellationToken);
}

/// <summary>The stored version is not the one the grain read: another activation wrote in between.</summary>
public sealed class StateVersionConflictException(StateWrite write)
    : Exception($"state '{write.StateName}' of {write.GrainId} is no longer at version {write.ExpectedVersion}");
