using System.Globalization;
using System.Runtime.CompilerServices;
using ContactCenter.GroupCommit;
using ContactCenter.State;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace ContactCenter.GrainState;

/// <summary>
/// An Orleans grain storage provider whose writes are group-committed: the writes of every grain on the silo
/// that arrive while one transaction is in flight go together in the next. A grain still awaits its own write
/// and learns its new version (the ETag), and a stale write still fails with
/// <see cref="InconsistentStateException"/>, exactly as with Orleans' ADO.NET provider; what changes is that a
/// thousand grains writing at once cost a few round trips instead of a thousand.
/// A state that is an <see cref="IChangeLogState"/> is written as a log: what changed since its previous write,
/// and a whole snapshot once the log since the last one has grown as large as the snapshot itself (at least
/// <see cref="MinLogBytes"/>) or holds <see cref="MaxLogChanges"/> changes. Each write then costs about twice the
/// size of its change, and reading back costs at most about twice the snapshot.
/// </summary>
public sealed class GroupCommitGrainStorage : IGrainStorage, IAsyncDisposable
{
    private readonly IGrainStateStore _store;
    private readonly IGrainStorageSerializer _serializer;
    private readonly GroupCommitter<StateWrite, int> _committer;

    /// <summary>The log a small state may grow before it is snapshot again: below this, a snapshot is cheap, not the log.</summary>
    public const int MinLogBytes = 64 * 1024;

    /// <summary>The most changes replayed on reading a state back.</summary>
    public const int MaxLogChanges = 1_000;

    /// <summary>Per state object (one per activation and read): how large its snapshot and its log are, to know when to snapshot again.</summary>
    private readonly ConditionalWeakTable<object, LogSize> _logs = new();

    private sealed class LogSize
    {
        public long SnapshotBytes;
        public long ChangeBytes;
        public int Changes;

        /// <summary>A write failed, and what it took of the state's changes is lost: the next write is a whole snapshot.</summary>
        public bool SnapshotDue;

        public void Written(StateWrite write)
        {
            if (write.Kind == StateWriteKind.Change)
            {
                ChangeBytes += write.Payload.Length;
                Changes++;
            }
            else
            {
                (SnapshotBytes, ChangeBytes, Changes, SnapshotDue) = (write.Payload.Length, 0, 0, false);
            }
        }

        public bool ShouldSnapshot => SnapshotDue || Changes >= MaxLogChanges || ChangeBytes >= Math.Max(SnapshotBytes, MinLogBytes);
    }

    public GroupCommitGrainStorage(IGrainStateStore store, IGrainStorageSerializer serializer)
    {
        _store = store;
        _serializer = serializer;
        _committer = new GroupCommitter<StateWrite, int>("grain-state", store.WriteBatchAsync);
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var stored = await _store.ReadAsync(grainId.ToString(), stateName, CancellationToken.None);
        if (stored is null)
        {
            grainState.ETag = null;
            grainState.RecordExists = false;
            return;
        }

        if (Activator.CreateInstance<T>() is IChangeLogState log)
        {
            log.RestoreSnapshot(_serializer, new BinaryData(stored.Payload));
            foreach (var change in stored.Changes)
            {
                log.ApplyChange(_serializer, new BinaryData(change));
            }

            grainState.State = (T)log;
            _logs.AddOrUpdate(log, new LogSize
            {
                SnapshotBytes = stored.Payload.Length,
                ChangeBytes = stored.Changes.Sum(c => (long)c.Length),
                Changes = stored.Changes.Count,
            });
        }
        else
        {
            grainState.State = _serializer.Deserialize<T>(new BinaryData(stored.Payload));
        }

        grainState.ETag = stored.Version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = ExpectedVersion(grainState.ETag);
        var log = grainState.State as IChangeLogState;
        var size = log is null ? null : _logs.GetValue(log, _ => new LogSize { SnapshotDue = true });
        // Taken here, before the first await: what the grain changes while this write is in flight goes in the next.
        (StateWriteKind Kind, BinaryData? Payload) taken = log switch
        {
            null => (StateWriteKind.Whole, _serializer.Serialize(grainState.State)),
            _ when expected == 0 || size!.ShouldSnapshot => (StateWriteKind.Snapshot, log.TakeSnapshot(_serializer)),
            _ => (StateWriteKind.Change, log.TakeChange(_serializer)),
        };
        var (kind, payload) = taken;
        if (payload is null)
        {
            return; // nothing changed since the last write
        }

        var write = new StateWrite(grainId.ToString(), stateName, expected, payload.ToArray(), kind);
        try
        {
            var version = await _committer.CommitAsync(write);
            grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
            size?.Written(write);
        }
        catch (StateVersionConflictException conflict)
        {
            size?.SnapshotDue = true;
            throw new InconsistentStateException(conflict.Message, "unknown", grainState.ETag ?? "none");
        }
        catch
        {
            size?.SnapshotDue = true;
            throw;
        }
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var expected = ExpectedVersion(grainState.ETag);
        if (expected > 0 && !await _store.DeleteAsync(grainId.ToString(), stateName, expected, CancellationToken.None))
        {
            throw new InconsistentStateException($"state '{stateName}' of {grainId} changed before it could be cleared", "unknown", grainState.ETag!);
        }

        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    public ValueTask DisposeAsync() => _committer.DisposeAsync();

    private static int ExpectedVersion(string? etag) => etag is null ? 0 : int.Parse(etag, CultureInfo.InvariantCulture);
}
