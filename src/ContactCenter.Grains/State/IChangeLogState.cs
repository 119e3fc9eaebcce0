using Orleans.Storage;

namespace ContactCenter.State;

/// <summary>
/// A grain state that the group-commit storage writes as a log: each write appends what changed since the one
/// before, and now and then a whole snapshot replaces the log. A queue holding 500 waiting calls then writes a
/// few hundred bytes per routed call instead of its 100 KB whole (see deploy/sql/postgresql/100-grain-state-changes.sql).
/// Reading it back is the last snapshot with the changes after it replayed in order.
/// </summary>
/// <remarks>
/// Taking a snapshot or a change forgets the changes it covers. Should that write fail, the storage takes a
/// snapshot next time (the activation is normally dropped anyway, see <see cref="UncommittedChangeFilter"/>).
/// </remarks>
public interface IChangeLogState
{
    /// <summary>The whole state; forgets the changes made so far.</summary>
    BinaryData TakeSnapshot(IGrainStorageSerializer serializer);

    /// <summary>What changed since the last snapshot or change taken, or null when nothing did; forgets it.</summary>
    BinaryData? TakeChange(IGrainStorageSerializer serializer);

    /// <summary>Becomes the state a snapshot holds.</summary>
    void RestoreSnapshot(IGrainStorageSerializer serializer, BinaryData snapshot);

    /// <summary>Replays one change written after the snapshot restored, in the order they were written.</summary>
    void ApplyChange(IGrainStorageSerializer serializer, BinaryData change);
}

/// <summary>
/// The usual shape of an <see cref="IChangeLogState"/>: a serializable snapshot type and a serializable change type,
/// so the stored form stays versioned by Orleans' <c>[Id]</c>s like any other grain state.
/// </summary>
public abstract class ChangeLogState<TSnapshot, TChange> : IChangeLogState where TChange : class
{
    /// <summary>The whole state, as stored; the changes so far are forgotten.</summary>
    protected abstract TSnapshot Snapshot();

    /// <summary>What changed since the last <see cref="Snapshot"/> or <see cref="Change"/>, or null; forgotten once returned.</summary>
    protected abstract TChange? Change();

    protected abstract void Restore(TSnapshot snapshot);

    protected abstract void Apply(TChange change);

    BinaryData IChangeLogState.TakeSnapshot(IGrainStorageSerializer serializer) => serializer.Serialize(Snapshot());

    BinaryData? IChangeLogState.TakeChange(IGrainStorageSerializer serializer) => Change() is { } change ? serializer.Serialize(change) : null;

    void IChangeLogState.RestoreSnapshot(IGrainStorageSerializer serializer, BinaryData snapshot) => Restore(serializer.Deserialize<TSnapshot>(snapshot)!);

    void IChangeLogState.ApplyChange(IGrainStorageSerializer serializer, BinaryData change) => Apply(serializer.Deserialize<TChange>(change)!);
}
