using System.Collections.Immutable;
using ContactCenter.Journal;
using Microsoft.Extensions.Logging;
using Orleans.Placement;

namespace ContactCenter.Calls;

/// <summary>
/// One live call. The journal is its storage: events are validated against the state machine, committed to
/// the journal (group commit, shared with every other call on this silo), and only then applied and
/// acknowledged. On activation the grain replays its journal, so it resumes on any silo after a restart.
/// </summary>
[PreferLocalPlacement] // on the silo whose gateway reported the call
public sealed partial class CallGrain(ICallJournal journal, CallEffects effects, TimeProvider clock, ILogger<CallGrain> logger) : Grain, ICallGrain
{
    /// <summary>How often effects that could not reach their grain are tried again.</summary>
    private static readonly TimeSpan EffectRetryPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How far ahead of the expected sequence an event may arrive and still be held for the gap to fill.</summary>
    internal const int MaxSequenceGap = 64;

    private readonly Dictionary<string, int> _sequenceByEventId = new(StringComparer.Ordinal);

    /// <summary>The reasons of the call's refused events, by event id: one sent again is refused again, for the same reason.</summary>
    private readonly Dictionary<string, string> _refusals = new(StringComparer.Ordinal);
    private readonly SortedDictionary<int, (string GatewayId, CallEvent Event)> _held = [];
    private CallSnapshot? _call;

    /// <summary>
    /// The steps replayed from the journal, until the first request after activation: if the silo died between
    /// a commit and its effects, that request is the gateway resending the unacknowledged events, and their
    /// effects are applied then (see <see cref="RecoverEffectsAsync"/>).
    /// </summary>
    private Dictionary<string, CallStep>? _replayed;

    private PendingEffects? _pendingEffects;
    private IGrainTimer? _effectRetry;

    private string CallId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var history = await journal.ReadAsync(CallId, cancellationToken);
        _replayed = history.Count > 0 ? new(StringComparer.Ordinal) : null;
        foreach (var entry in history)
        {
            // The journal holds only events that were valid when accepted; replaying them cannot fail unless the
            // state machine changed incompatibly, which must be loud rather than silently skipped.
            var transition = CallStateMachine.Apply(_call, entry.GatewayId, entry.Event);
            var next = transition.Next ?? throw new InvalidOperationException(
                $"journal replay of call {CallId} failed at sequence {entry.Event.Sequence}: {transition.Error}");
            _replayed![entry.Event.EventId] = new CallStep(entry.Event, _call, next);
            _call = next;
            Remember(entry.Event);
        }

        if (history.Count > 0)
        {
            LogReplayed(CallId, history.Count, _call!.Phase);
            LiveCallsByPhase.Moved(null, _call);
        }
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        LiveCallsByPhase.Moved(_call, null); // a live call deactivated here counts again where it activates next
        return base.OnDeactivateAsync(reason, cancellationToken);
    }

    public Task<CallSnapshot?> GetSnapshotAsync() => Task.FromResult(_call);

    public async Task QueueRefusedAsync(string queue, string reason)
    {
        if (_call is not { Phase: CallPhase.Queued, Refusal: null } || _call.Queue != queue)
        {
            return; // moved on already, or told before
        }

        var refused = _call with { Refusal = new QueueRefusal(queue, reason, clock.GetUtcNow()) };
        try
        {
            // No event of the gateway's: only the active-calls row changes, in the journal's own transaction order.
            await journal.AppendAsync(new JournalAppend(_call.GatewayId, [], refused, null));
            LiveCallsByPhase.Moved(_call, refused);
            _call = refused;
        }
        catch (Exception ex)
        {
            LogRefusalNotRecorded(ex, CallId, queue, reason); // the queue's own records still say so
        }
    }

    public async Task ReconcileAsync()
    {
        if (_call is null or { IsEnded: true })
        {
            return;
        }

        try
        {
            await effects.ReconcileAsync(_call);
        }
        catch (Exception ex)
        {
            // The queue that asked finds the call again on its next check of the journal.
            LogReconcileFailed(ex, CallId, _call.Phase);
        }
    }

    public async Task<ImmutableArray<EventResult>> ProcessAsync(string gatewayId, ImmutableArray<CallEvent> events)
    {
        var batch = new PendingBatch(_call);
        var results = new EventResult[events.Length];
        foreach (var index in Enumerable.Range(0, events.Length).OrderBy(i => events[i].Sequence))
        {
            results[index] = Offer(batch, gatewayId, events[index]);
        }

        await RecoverEffectsAsync(events, results);
        if (batch.Accepted.Count == 0)
        {
            return [.. results];
        }

        var cdr = batch.State!.IsEnded ? CallDetailRecord.From(batch.State) : null;
        try
        {
            await journal.AppendAsync(new JournalAppend(gatewayId, batch.Accepted, batch.State!, cdr));
        }
        catch (Exception ex)
        {
            return [.. FailUncommitted(results, batch, ex)];
        }

        Commit(batch);
        if (batch.Accepted[0] is CallOffered offered)
        {
            LogOffered(CallId, PhoneNumbers.Mask(offered.Caller), offered.Dialled, gatewayId, offered.Region);
        }

        // Only now, with the events durable, do other grains hear of them. Should the silo die before they do,
        // the gateway resends the unacknowledged events and RecoverEffectsAsync applies them then.
        await ApplyEffectsAsync(batch.Steps);
        if (_call!.IsEnded)
        {
            LogEnded(CallId, cdr!.Disposition, cdr.TalkTime.TotalSeconds);
            LetGoWhenDone();
        }

        return [.. results];
    }

    /// <summary>
    /// Applies the steps' effects after any still pending. Those that cannot reach their grain now (its silo was
    /// lost a moment ago) are retried every second, without holding back the gateway's acknowledgement: the
    /// events are committed, and a queue or agent grain comes back on a live silo within seconds.
    /// </summary>
    private async Task ApplyEffectsAsync(IEnumerable<CallStep> steps)
    {
        _pendingEffects ??= new PendingEffects(effects, clock, logger);
        _pendingEffects.Add(steps);
        if (!await _pendingEffects.ApplyAsync() && _effectRetry is null)
        {
            // KeepAlive: a call with effects still to deliver must not be collected before it delivers them.
            _effectRetry = this.RegisterGrainTimer(RetryEffectsAsync, new GrainTimerCreationOptions(EffectRetryPeriod, EffectRetryPeriod) { KeepAlive = true });
        }
    }

    private async Task RetryEffectsAsync(CancellationToken cancellationToken)
    {
        if (await _pendingEffects!.ApplyAsync())
        {
            _effectRetry?.Dispose();
            _effectRetry = null;
            if (_call?.IsEnded == true)
            {
                LetGoWhenDone();
            }
        }
    }

    /// <summary>
    /// A finished call only answers late duplicates and queries; replaying it on demand is cheap, and letting it
    /// go keeps the silo's memory flat however many calls it has seen. Not before its effects are delivered.
    /// </summary>
    private void LetGoWhenDone()
    {
        if (_pendingEffects?.IsEmpty != false)
        {
            DeactivateOnIdle();
        }
    }

    /// <summary>
    /// On the first request after activation, applies again the effects of the call's latest events when that
    /// request resends them: they were committed, but their effects may have been lost with the silo that
    /// committed them, and the gateway resends exactly what it was never acknowledged. Only a resend that
    /// reaches the call's last event counts: an old event sent again alone changes nothing. Every effect is
    /// idempotent by call id, so recovering effects that had in fact been applied is harmless.
    /// </summary>
    private async Task RecoverEffectsAsync(ImmutableArray<CallEvent> events, EventResult[] results)
    {
        if (_replayed is not { } replayed)
        {
            return;
        }

        _replayed = null;
        // A refused event resent is answered with its refusal, not as a duplicate: it counts the same (its step has no effects,
        // but a resend that reaches it reaches the call's last event).
        var resent = Enumerable.Range(0, events.Length)
            .Where(i => replayed.TryGetValue(events[i].EventId, out var step)
                && (results[i].Outcome == EventOutcome.Duplicate || results[i].Outcome == EventOutcome.Rejected && step.Event is EventRefused))
            .Select(i => replayed[events[i].EventId])
            .OrderBy(step => step.Event.Sequence)
            .ToList();
        if (resent.Count > 0 && resent[^1].After.LastSequence == _call!.LastSequence)
        {
            LogRecoveringEffects(CallId, resent.Count);
            await ApplyEffectsAsync(resent);
        }
    }

    /// <summary>Decides one event against the state the batch has reached so far.</summary>
    private EventResult Offer(PendingBatch batch, string gatewayId, CallEvent e)
    {
        if (batch.State is { } state && state.GatewayId != gatewayId)
        {
            return EventResult.Forbidden(e.EventId);
        }

        var expected = (batch.State?.LastSequence ?? 0) + 1;
        if (_sequenceByEventId.TryGetValue(e.EventId, out var sequence) || batch.SequenceByEventId.TryGetValue(e.EventId, out sequence))
        {
            if (sequence == e.Sequence)
            {
                return _refusals.TryGetValue(e.EventId, out var reason) || batch.Refusals.TryGetValue(e.EventId, out reason)
                    ? EventResult.Rejected(e.EventId, reason)
                    : EventResult.Duplicate(e.EventId);
            }

            // Another event's id at a new place: refused; in its turn it still takes that place, under an id of its own (the
            // id is the other event's), so the call's later events are not held for it.
            var reused = $"event id already used for sequence {sequence}";
            if (e.Sequence == expected && batch.State is { IsEnded: false })
            {
                Apply(batch, gatewayId, new EventRefused($"{e.EventId}@{e.Sequence}", e.CallId, e.Sequence, e.OccurredAt, reused));
                ApplyHeldEventsThatNowFit(batch);
            }

            return EventResult.Rejected(e.EventId, reused);
        }

        if (e.Sequence < expected)
        {
            return EventResult.Rejected(e.EventId, $"sequence {e.Sequence} was already used by another event; next expected is {expected}");
        }

        if (e.Sequence > expected)
        {
            return Hold(gatewayId, e, expected);
        }

        var result = Apply(batch, gatewayId, e);
        if (batch.State?.LastSequence == e.Sequence)
        {
            ApplyHeldEventsThatNowFit(batch);
        }

        return result;
    }

    /// <summary>
    /// Applies the event in its turn. One the call's state refuses still takes its place in the sequence, as an
    /// <see cref="EventRefused"/>: otherwise every later event of the call would be held for it for ever, and the call
    /// would never end. Not so once the call has ended (nothing follows its end) or before it began.
    /// </summary>
    private static EventResult Apply(PendingBatch batch, string gatewayId, CallEvent e)
    {
        var transition = CallStateMachine.Apply(batch.State, gatewayId, e);
        if (transition.IsValid)
        {
            batch.Accept(e, transition.Next!);
            return e is EventRefused refused ? EventResult.Rejected(e.EventId, refused.Reason) : EventResult.Accepted(e.EventId);
        }

        if (batch.State is { IsEnded: false } live)
        {
            var refusal = new EventRefused(e.EventId, e.CallId, e.Sequence, e.OccurredAt, transition.Error!);
            batch.Accept(refusal, CallStateMachine.Apply(live, gatewayId, refusal).Next!);
        }

        return EventResult.Rejected(e.EventId, transition.Error!);
    }

    private EventResult Hold(string gatewayId, CallEvent e, int expected)
    {
        if (e.Sequence - expected >= MaxSequenceGap)
        {
            return EventResult.Rejected(e.EventId, $"sequence {e.Sequence} is too far ahead of the expected {expected} (at most {MaxSequenceGap - 1} may be missing)");
        }

        _held[e.Sequence] = (gatewayId, e);
        return EventResult.Held(e.EventId, $"waiting for sequence {expected}; not yet durable, resend until acknowledged");
    }

    /// <summary>
    /// Held events are applied as soon as the gap before them fills. Their own request already returned
    /// "held", so the gateway resends them and then gets "duplicate": acknowledged once, applied once.
    /// </summary>
    private void ApplyHeldEventsThatNowFit(PendingBatch batch)
    {
        while (_held.Remove(batch.State!.LastSequence + 1, out var held))
        {
            if (held.GatewayId != batch.State.GatewayId)
            {
                return;
            }

            // A refused held event takes its place too (its resend is answered with the reason); only the call's end stops the drain.
            Apply(batch, held.GatewayId, held.Event);
            if (batch.State.LastSequence != held.Event.Sequence)
            {
                return;
            }
        }
    }

    private void Commit(PendingBatch batch)
    {
        LiveCallsByPhase.Moved(_call, batch.State);
        _call = batch.State;
        foreach (var e in batch.Accepted)
        {
            Remember(e);
        }

        foreach (var stale in _held.Keys.Where(s => s <= _call!.LastSequence).ToList())
        {
            _held.Remove(stale);
        }
    }

    private void Remember(CallEvent e)
    {
        _sequenceByEventId[e.EventId] = e.Sequence;
        if (e is EventRefused refused)
        {
            _refusals[e.EventId] = refused.Reason;
        }
    }

    private IEnumerable<EventResult> FailUncommitted(EventResult[] results, PendingBatch batch, Exception ex)
    {
        if (ex is JournalConflictException)
        {
            // Another activation wrote this call (possible for a moment during a silo failure): our view is
            // stale. Deactivate so the next request replays the journal instead of guessing.
            DeactivateOnIdle();
        }

        LogAppendFailed(ex, CallId, batch.Accepted.Count);
        var reason = ex is JournalConflictException ? "the call changed elsewhere; resend" : "the journal could not commit; resend";
        // A refusal whose place was not committed is not final either: resent, it is refused again and its place taken then.
        return results.Select(r => batch.SequenceByEventId.ContainsKey(r.EventId) && r.Outcome is EventOutcome.Accepted or EventOutcome.Duplicate or EventOutcome.Rejected
            ? EventResult.Unavailable(r.EventId, reason)
            : r);
    }

    /// <summary>The events of one request accepted so far, and the state they lead to; nothing is visible until committed.</summary>
    private sealed class PendingBatch(CallSnapshot? start)
    {
        public CallSnapshot? State { get; private set; } = start;
        public List<CallEvent> Accepted { get; } = [];
        public Dictionary<string, int> SequenceByEventId { get; } = new(StringComparer.Ordinal);

        /// <summary>The reasons of this batch's refused events that took their place.</summary>
        public Dictionary<string, string> Refusals { get; } = new(StringComparer.Ordinal);

        /// <summary>Each accepted event with the state before and after it: what the effects are computed from.</summary>
        public List<CallStep> Steps { get; } = [];

        public void Accept(CallEvent e, CallSnapshot next)
        {
            Steps.Add(new CallStep(e, State, next));
            State = next;
            Accepted.Add(e);
            SequenceByEventId[e.EventId] = e.Sequence;
            if (e is EventRefused refused)
            {
                Refusals[e.EventId] = refused.Reason;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} offered from {Caller} to {Dialled} at {GatewayId} ({Region})")]
    private partial void LogOffered(string callId, string caller, string dialled, string gatewayId, string region);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} replayed {Count} events from the journal; phase {Phase}")]
    private partial void LogReplayed(string callId, int count, CallPhase phase);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} ended: {Disposition}, talk {TalkSeconds:F0}s")]
    private partial void LogEnded(string callId, CallDisposition disposition, double talkSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: the gateway resent its {Count} latest events after a restart; applying their effects again")]
    private partial void LogRecoveringEffects(string callId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: {QueueId}'s refusal ({Reason}) could not be recorded in the active calls")]
    private partial void LogRefusalNotRecorded(Exception ex, string callId, string queueId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: could not tell its queue and agent again what {Phase} means; its queue asks again")]
    private partial void LogReconcileFailed(Exception ex, string callId, CallPhase phase);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: {Count} events not committed to the journal")]
    private partial void LogAppendFailed(Exception ex, string callId, int count);
}
