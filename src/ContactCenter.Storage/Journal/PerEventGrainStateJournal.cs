using System.Collections.Concurrent;
using ContactCenter.Calls;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace ContactCenter.Journal;

/// <summary>
/// The naive design the journal is measured against (issue 6), for benchmarks only: each call's events are the
/// grain state of its Call grain, written whole through Orleans' grain storage (the silo's default ADO.NET
/// provider) once for every accepted event, just as a Call grain with <c>IPersistentState&lt;CallEventsState&gt;</c>
/// calling <c>WriteStateAsync</c> per event would. Writes are ETag-checked, so a second writer of the same call
/// fails with <see cref="JournalConflictException"/>.
/// </summary>
/// <remarks>
/// <para>
/// What the baseline pays, and why that is fair: one database round trip and transaction per event, and each
/// write carries the call's whole event list so far. That is the cost of per-event grain state; nothing is
/// added on top. The state and its ETag are kept per call between writes, as the naive grain would keep its
/// <c>IPersistentState</c> in memory: <see cref="ReadAsync"/> (the grain's activation) loads them, each append
/// writes from them, and a call's entry is dropped when the call ends or a write fails (the next append then
/// reads it again). A reactivated grain always reads first, so an entry is never used stale by a later activation,
/// and an entry left behind by a call that never ends is replaced if it comes back: acceptable for a benchmark mode.
/// </para>
/// <para>
/// What it does not maintain: the active-calls index (<c>active_calls</c>), so the call list of the API stays
/// empty in this mode; single calls are still answered by their grains. The CDR is still written once per call,
/// through <see cref="IJournalStore"/> into <c>call_detail_records</c>, so loss checks and reports see the same rows.
/// </para>
/// </remarks>
public sealed class PerEventGrainStateJournal(IGrainStorage grainStorage, IJournalStore journalStore, TimeProvider clock) : ICallJournal
{
    /// <summary>The name of the naive Call grain's state.</summary>
    private const string StateName = "events";

    /// <summary>The Call grain's grain type, so each row is keyed exactly as the naive Call grain's own state would be.</summary>
    private static readonly GrainType CallGrainType = GrainType.Create("call");

    private readonly ConcurrentDictionary<string, GrainState<CallEventsState>> _heldStates = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<JournaledEvent>> ReadAsync(string callId, CancellationToken cancellationToken = default)
    {
        var state = await LoadAsync(callId);
        List<JournaledEvent> events = [.. state.State!.Events.Select(e => new JournaledEvent(e.GatewayId, JournalJson.Deserialize(e.Payload), e.RecordedAt))];
        // An ended call reactivated by a late resend takes no more events: holding its state would only leak it.
        if (events.Count == 0 || events[^1].Event is not CallEnded)
        {
            _heldStates[callId] = state;
        }

        return events;
    }

    public async Task AppendAsync(JournalAppend append, CancellationToken cancellationToken = default)
    {
        var callId = append.CallId;
        var state = _heldStates.TryGetValue(callId, out var held) ? held : await LoadAsync(callId);
        try
        {
            // Before the last event's state: should the silo die in between, the gateway resends the
            // unacknowledged events, the end is accepted again and the CDR insert, keyed by call id, is a no-op.
            // Written after it, a crash in between would leave an ended call without a CDR for ever.
            if (append.Cdr is not null)
            {
                await journalStore.WriteBatchAsync([append with { Events = [] }], cancellationToken);
            }

            foreach (var e in append.Events)
            {
                if (IsAlreadyStored(state.State!, callId, e))
                {
                    continue;
                }

                state.State!.Events.Add(new StoredCallEvent
                {
                    Sequence = e.Sequence,
                    EventId = e.EventId,
                    GatewayId = append.GatewayId,
                    Payload = JournalJson.Serialize(e),
                    RecordedAt = clock.GetUtcNow(),
                });
                await grainStorage.WriteStateAsync(StateName, GrainIdOf(callId), state);
            }
        }
        catch (InconsistentStateException)
        {
            _heldStates.TryRemove(callId, out _);
            throw new JournalConflictException(callId);
        }
        catch
        {
            _heldStates.TryRemove(callId, out _);
            throw;
        }

        if (append.After.IsEnded)
        {
            _heldStates.TryRemove(callId, out _);
        }
        else
        {
            _heldStates[callId] = state;
        }
    }

    /// <summary>The call's state and ETag as stored; never with a null state, which the callers rely on.</summary>
    private async Task<GrainState<CallEventsState>> LoadAsync(string callId)
    {
        var state = new GrainState<CallEventsState>(new CallEventsState());
        await grainStorage.ReadStateAsync(StateName, GrainIdOf(callId), state);
        state.State ??= new CallEventsState();
        return state;
    }

    /// <summary>
    /// An event already stored under its sequence number is a harmless resend of an append that failed part-way
    /// (some of its events were written); a different event there means another writer got in first.
    /// </summary>
    private static bool IsAlreadyStored(CallEventsState state, string callId, CallEvent e)
    {
        var stored = state.Events.Find(s => s.Sequence == e.Sequence);
        return stored is null ? false
            : stored.EventId == e.EventId ? true
            : throw new JournalConflictException(callId);
    }

    private static GrainId GrainIdOf(string callId) => GrainId.Create(CallGrainType, callId);
}
