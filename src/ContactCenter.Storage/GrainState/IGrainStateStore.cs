using ContactCenter.GroupCommit;

namespace ContactCenter.GrainState;

/// <summary>One grain's state write: it succeeds only if the stored version is still <see cref="ExpectedVersion"/> (0: no row yet).</summary>
public sealed record StateWrite(string GrainId, string StateName, int ExpectedVersion, byte[] Payload);

/// <summary>A stored state and its version.</summary>
public sealed record StoredState(int Version, byte[] Payload);

/// <summary>The database side of <see cref="GroupCommitGrainStorage"/>.</summary>
public interface IGrainStateStore
{
    Task<StoredState?> ReadAsync(string grainId, string stateName, CancellationToken cancellationToken);

    /// <summary>Writes a batch in one transaction: each write's new version, or a conflict for that write alone.</summary>
    Task<IReadOnlyList<CommitOutcome<int>>> WriteBatchAsync(IReadOnlyList<StateWrite> writes, CancellationToken cancellationToken);

    /// <summary>Deletes the row if it is still at <paramref name="expectedVersion"/>; false when it had moved on.</summary>
    Task<bool> DeleteAsync(string grainId, string stateName, int expectedVersion, CancellationToken cancellationToken);
}

/// <summary>The stored version is not the one the grain read: another activation wrote in between.</summary>
public sealed class StateVersionConflictException(StateWrite write)
    : Exception($"state '{write.StateName}' of {write.GrainId} is no longer at version {write.ExpectedVersion}");
