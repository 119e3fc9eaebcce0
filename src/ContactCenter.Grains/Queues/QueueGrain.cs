using ContactCenter.Agents;
using ContactCenter.Calls;
using ContactCenter.Gateways;
using ContactCenter.Journal;
using ContactCenter.Kpis;
using ContactCenter.Placement;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Queues;

/// <summary>
/// One queue. Its state (waiting calls, known agents, offers in flight) is persisted after every change through
/// the group-committed grain storage, so neither a deactivation nor a restart loses a waiting call. Decisions
/// come from <see cref="QueueRouter"/>; this grain carries them out: reserving agents (the agent grain arbitrates
/// between queues), telling the owning gateway, and acting on time once a second.
/// </summary>
[QueueHomePlacement]
public sealed partial class QueueGrain(
    [PersistentState("queue", StorageNames.GroupCommit)] IPersistentState<QueueState> state,
    IGatewayCommands commands,
    IGatewayHealth gateways,
    ILiveCallIndex liveCalls,
    TimeProvider clock,
    CenterCalendar calendar,
    LocalSiloRegion siloRegion,
    ILogger<QueueGrain> logger) : Grain, IQueueGrain, IQueuePeer
{
    /// <summary>How often a queue applies what time has decided (<see cref="EvaluateAsync"/>).</summary>
    private static readonly TimeSpan EvaluationPeriod = TimeSpan.FromSeconds(1);

    /// <summary>How long a queue remembers a call that went on (overflowed, or left for the maximum wait), to pass on late news about it.</summary>
    private static readonly TimeSpan ForwardingMemory = TimeSpan.FromHours(2);

    /// <summary>
    /// How long a queue remembers a call it counted without holding it, against a resend counting it twice: a
    /// gateway resends within minutes, and a busy queue must not carry hours of such calls in every write.
    /// </summary>
    private static readonly TimeSpan PassedThroughMemory = TimeSpan.FromMinutes(10);

    /// <summary>How long a queue keeps a logged-out agent's last version, against notifications overtaken on the way.</summary>
    private static readonly TimeSpan LoggedOutMemory = TimeSpan.FromDays(1);

    /// <summary>How long a queue waits for an overflow target's answer before routing the call itself again.</summary>
    private static readonly TimeSpan OverflowAnswerTimeout = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Offers the agents hold and this queue's saved state does not (a crash between the agent's write and the
    /// queue's), found on activation: the gateway may be ringing that agent, so the call is not offered again.
    /// </summary>
    private readonly Dictionary<string, FoundOffer> _offersFoundOnAgents = new(StringComparer.Ordinal);

    private sealed record FoundOffer(string AgentId, AgentOffer Offer);

    /// <summary>
    /// Facts that need no write of their own and go with the queue's next one (at the latest next second's
    /// evaluation): handle times (<see cref="CallHandledAsync"/>), offers' command ids (<see cref="SendConnectAsync"/>).
    /// </summary>
    private bool _unsavedFacts;

    private string QueueId => this.GetPrimaryKeyString();

    private QueueState Queue => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The queue saves who serves it, not each agent's every presence change (that is the agent's own
        // durable state): a fresh activation asks its agents where they are now.
        var agents = await Task.WhenAll(Queue.Agents.Keys.ToList().Select(async id =>
        {
            try
            {
                return await Agent(id).GetStatusAsync();
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException)
            {
                return null; // keep what the queue last knew; the agent's next change corrects it
            }
        }));
        foreach (var agent in agents.OfType<AgentStatus>())
        {
            var serves = agent.Profile?.Skills.Any(s => s.Queue == QueueId) == true;
            Queue.Agents[agent.AgentId] = Queue.Agents[agent.AgentId] with
            {
                Presence = serves ? agent.Presence : AgentPresence.LoggedOut,
                Since = agent.Since,
                Version = agent.Version,
            };
            if (agent is { Presence: AgentPresence.Reserved, Offer: { } offer } && offer.Queue == QueueId)
            {
                AdoptOffer(agent.AgentId, offer);
            }
        }

        // Kept alive by its timer: a queue must act on time (overflow, tiers, maximum wait) even when no request
        // arrives, and a center has tens of queues, not millions.
        this.RegisterGrainTimer(UncommittedChangeFilter.Tick(this, logger, EvaluateAsync, ComeBackAfterDrop), new GrainTimerCreationOptions(EvaluationPeriod, EvaluationPeriod) { KeepAlive = true });
        // The two checks only read (other grains, the journal's index) and interleave: a queue holding 500 calls must
        // not stop routing while it asks 100 of them how they are. What they find is changed in a turn of its own.
        this.RegisterGrainTimer(UncommittedChangeFilter.Tick(this, logger, AuditWaitingCallsAsync), new GrainTimerCreationOptions(WaitingCallAudit.Period, WaitingCallAudit.Period) { KeepAlive = true, Interleave = true });
        this.RegisterGrainTimer(UncommittedChangeFilter.Tick(this, logger, RepairFromJournalAsync), new GrainTimerCreationOptions(JournalRepair.SettleTime, JournalRepair.Period) { KeepAlive = true, Interleave = true });
    }

    /// <summary>
    /// A queue whose evaluation could not be committed (a command or its state not written) is dropped, to read
    /// its committed state again (<see cref="UncommittedChangeFilter"/>); with no request arriving, nothing would
    /// activate it before the <c>QueueKeeper</c>'s next round, up to half a minute in which offers do not time out and
    /// calls do not overflow. So it asks for itself again each period, on the thread pool (its own scheduler is
    /// gone), until an activation takes the request, or for a minute, after which the keeper's rounds remain.
    /// </summary>
    private void ComeBackAfterDrop()
    {
        var self = this.AsReference<IQueueGrain>();
        _ = Task.Run(async () =>
        {
            for (var attempt = 0; attempt < 60; attempt++)
            {
                await Task.Delay(EvaluationPeriod);
                try
                {
                    await self.EvaluateAsync();
                    return;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // That activation failed too (its own drop is logged); ask again next period.
                }
            }
        });
    }

    /// <summary>Has the calls the journal places here, and this queue never heard of, told again (see <see cref="JournalRepair"/>).</summary>
    private async Task RepairFromJournalAsync()
    {
        if (Queue.Configuration is null)
        {
            return;
        }

        var live = await liveCalls.InQueueAsync(QueueId, JournalRepair.MaxCallsPerCheck);
        foreach (var callId in JournalRepair.CallsToReconcile(Queue, live, clock.GetUtcNow()))
        {
            LogRepairing(callId, QueueId);
            // One-way: the call answers by calling this queue, which is busy with this very tick.
            await GrainFactory.ReferenceTo<ICallGrain>(callId).ReconcileAsync();
        }
    }

    /// <summary>Removes the calls that left this queue without its hearing of it (see <see cref="WaitingCallAudit"/>).</summary>
    private async Task AuditWaitingCallsAsync()
    {
        var now = clock.GetUtcNow();
        var checks = WaitingCallAudit.CallsToCheck(Queue, now).ToList().Select(async waiting =>
        {
            try
            {
                // Interleaves at the call, so a call grain waiting on this queue with its news still answers.
                var call = await GrainFactory.ReferenceTo<ICallGrain>(waiting.Call.CallId).GetSnapshotAsync();
                return (waiting.Call.CallId, Exit: WaitingCallAudit.ExitOf(call, waiting, QueueId));
            }
            catch (Exception ex) when (ex is TimeoutException or OrleansException)
            {
                return (waiting.Call.CallId, Exit: null); // asked again next period
            }
        });

        foreach (var (callId, exit) in await Task.WhenAll(checks))
        {
            if (exit is not null && Queue.Waiting.ContainsKey(callId))
            {
                LogAuditRemoved(callId, QueueId, exit.Exit);
                // Through the grain's own mailbox, not inline: this tick interleaves, and a change must not.
                await this.AsReference<IQueueGrain>().RemoveAsync(callId, exit.Exit, exit.At, exit.AnsweredBy);
            }
        }
    }

    public async Task ConfigureAsync(QueueConfiguration configuration)
    {
        if (configuration.Validate() is { } error)
        {
            throw new ArgumentException($"queue {QueueId}: {error}", nameof(configuration));
        }

        Queue.Configuration = configuration;
        await RouteAndSaveAsync(changed: true);
    }

    public async Task<EnqueueOutcome> EnqueueAsync(QueuedCall call)
    {
        if (Queue.Waiting.ContainsKey(call.CallId))
        {
            return EnqueueOutcome.Queued;
        }

        if (call.OverflowedFrom is null && (Queue.Forwarded.ContainsKey(call.CallId) || Queue.Left.ContainsKey(call.CallId)))
        {
            // The call was here and went on (overflow, maximum wait): this is a late repeat of its arrival, such
            // as a Call grain recovering its effects after a restart. Taking it again would queue it twice.
            return EnqueueOutcome.Queued;
        }

        if (call.OverflowedFrom is { } from && Queue.Forwarded.TryGetValue(call.CallId, out var forwarded) && forwarded.ToQueue != from)
        {
            // A hand-over asked again after this queue had taken the call and passed it on: it is taken, and lives on
            // where it went. (A call coming back from where it went, as twin queues overflow, is a new arrival.)
            return EnqueueOutcome.Queued;
        }

        var outcome = Queue switch
        {
            { Configuration: null } => EnqueueOutcome.UnknownQueue,
            _ when Queue.Waiting.Count >= Queue.Configuration.MaxLength => EnqueueOutcome.Full,
            _ when Queue.LoggedInAgents == 0 => EnqueueOutcome.NobodyLoggedIn,
            _ => EnqueueOutcome.Queued,
        };

        if (outcome != EnqueueOutcome.Queued)
        {
            if (call.OverflowedFrom is null)
            {
                // An overflow this queue cannot take is not refused to the caller: the call stays where it is.
                await RefuseAsync(call, outcome);
            }

            return outcome;
        }

        Queue.Waiting[call.CallId] = new WaitingCall(call, clock.GetUtcNow(), HeldFor: Queue.TransferHolds.Remove(call.CallId, out var hold) ? hold : null);
        if (_offersFoundOnAgents.Remove(call.CallId, out var found))
        {
            // The call's arrival is being repeated after a crash that lost it here, while its offer survived.
            Queue.Waiting[call.CallId] = Queue.Waiting[call.CallId] with { OfferedTo = found.AgentId, OfferDeadline = found.Offer.Deadline };
        }

        Queue.Forwarded.Remove(call.CallId);
        Queue.Left.Remove(call.CallId);
        Queue.Refused.Remove(call.CallId);
        var byOverflow = call.OverflowedFrom is null ? 0 : 1;
        Queue.Kpis.Record(clock.GetUtcNow(), calendar, k => k with { Offered = k.Offered + 1, ArrivedByOverflow = k.ArrivedByOverflow + byOverflow });
        LogQueued(call.CallId, QueueId, call.Vip);
        // One write covers the call's arrival and, when an agent is idle, its offer: the queued-to-offered
        // path is the agent's write, then this one alongside the gateway's command.
        await RouteAndSaveAsync(changed: true);
        return EnqueueOutcome.Queued;
    }

    public async Task RemoveAsync(string callId, QueueExit exit, DateTimeOffset at, string? answeredBy = null)
    {
        if (!Queue.Waiting.Remove(callId, out var waiting))
        {
            if (Queue.Forwarded.TryGetValue(callId, out var forwarding))
            {
                // The news follows the call (one-way: the queues may overflow into each other); the call may
                // now come back here as a new arrival, such as a transfer.
                await GrainFactory.ReferenceTo<IQueuePeer>(forwarding.ToQueue).CallLeftAsync(callId, exit, at, answeredBy);
                Queue.Forwarded.Remove(callId);
                await state.WriteStateAsync();
            }
            else if (Queue.Left.Remove(callId))
            {
                await state.WriteStateAsync();
            }

            return;
        }

        if (waiting.OverflowingTo is { } target)
        {
            // Being handed over as it left: the target may already hold it.
            await GrainFactory.ReferenceTo<IQueuePeer>(target).CallLeftAsync(callId, exit, at, answeredBy);
        }

        CountExit(waiting, exit, at);
        if (waiting.OfferedTo is { } agent && (exit != QueueExit.Answered || answeredBy != agent))
        {
            // The caller left, or someone else answered, while this agent's phone rang: the agent is free
            // again through no fault of theirs, and the gateway stops ringing them (a hang-up stops it anyway).
            await Agent(agent).ReleaseOfferAsync(callId, agentMissedIt: false);
            if (exit != QueueExit.Abandoned)
            {
                await commands.SendAsync(waiting.Call.GatewayId, new CancelConnect(callId, agent));
            }
        }

        await RouteAndSaveAsync(changed: true);
    }

    public async Task TakeOverflowAsync(QueuedCall call)
    {
        var outcome = await EnqueueAsync(call);
        await GrainFactory.ReferenceTo<IQueuePeer>(call.OverflowedFrom!).OverflowSettledAsync(call.CallId, QueueId, outcome == EnqueueOutcome.Queued);
    }

    public async Task OverflowSettledAsync(string callId, string target, bool accepted)
    {
        if (!Queue.Waiting.TryGetValue(callId, out var waiting) || waiting.OverflowingTo != target)
        {
            await SettleLateAnswerAsync(callId, target, accepted);
            return;
        }

        if (waiting.MovedBy is not null)
        {
            await FinishMoveAsync(callId, target, accepted); // a supervisor's move, asked again by this queue
            return;
        }

        if (!accepted)
        {
            // The target cannot take it either: the call stays here, routable again; overflow is tried next second.
            Queue.Waiting[callId] = waiting with { OverflowingTo = null, OverflowingSince = null };
            await RouteAndSaveAsync(changed: true);
            return;
        }

        var now = clock.GetUtcNow();
        Queue.Waiting.Remove(callId);
        Queue.Forwarded[callId] = new Forwarding(target, now);
        Queue.Kpis.Record(now, calendar, k => k with { Overflowed = k.Overflowed + 1 });
        await Task.WhenAll(
            commands.SendAsync(waiting.Call.GatewayId, new CallOverflowed(callId, QueueId, target)),
            state.WriteStateAsync());
        LogOverflowed(callId, QueueId, target);
    }

    public Task CallLeftAsync(string callId, QueueExit exit, DateTimeOffset at, string? answeredBy) => RemoveAsync(callId, exit, at, answeredBy);

    /// <summary>
    /// An answer to a hand-over this queue no longer waits for. A refusal changes nothing. An acceptance of a call
    /// already passed to that target is a repeat; of any other, the target holds a call this queue kept (or that left
    /// it without the target hearing): the target lets it go, so the call has one queue, and one agent rings for it.
    /// </summary>
    private async Task SettleLateAnswerAsync(string callId, string target, bool accepted)
    {
        if (accepted && !(Queue.Forwarded.TryGetValue(callId, out var forwarding) && forwarding.ToQueue == target))
        {
            LogHandOverRevoked(callId, QueueId, target);
            await GrainFactory.ReferenceTo<IQueuePeer>(target).RevokeHandOverAsync(callId, QueueId);
        }
    }

    public async Task RevokeHandOverAsync(string callId, string fromQueue)
    {
        if (Queue.Waiting.TryGetValue(callId, out var waiting) && waiting.Call.OverflowedFrom == fromQueue)
        {
            await RemoveAsync(callId, QueueExit.Transferred, clock.GetUtcNow());
        }
    }

    public async Task AgentChangedAsync(string agentId, int tier, AgentPresence presence, DateTimeOffset since, long version)
    {
        var known = Queue.Agents.GetValueOrDefault(agentId);
        if (known is not null && known.Version >= version)
        {
            return;
        }

        // Who serves the queue, and at which tier, is saved; a mere presence change is not (see OnActivateAsync).
        // An agent who logs out stays known with the version of that change, so a notification overtaken on
        // the way (Orleans does not promise order) cannot bring them back.
        var membershipChanged = known is null || known.Tier != tier || (known.Presence == AgentPresence.LoggedOut) != (presence == AgentPresence.LoggedOut);
        Queue.Agents[agentId] = new QueueAgent(tier, presence, since, version);
        if (presence != AgentPresence.Reserved)
        {
            foreach (var found in _offersFoundOnAgents.Where(f => f.Value.AgentId == agentId).Select(f => f.Key).ToList())
            {
                _offersFoundOnAgents.Remove(found); // that offer is over
            }
        }

        var abandonedOffer = Queue.Waiting.Values.FirstOrDefault(w => w.OfferedTo == agentId);
        var withdrawn = abandonedOffer is not null && presence is not (AgentPresence.Reserved or AgentPresence.OnCall);
        if (withdrawn)
        {
            // The agent declined, logged out or went not ready while ringing: the call goes back to the head.
            await WithdrawOfferAsync(abandonedOffer!);
        }

        if (presence == AgentPresence.Available || withdrawn)
        {
            await RouteAndSaveAsync(changed: membershipChanged || withdrawn);
        }
        else if (membershipChanged)
        {
            await state.WriteStateAsync();
        }
    }

    public async Task EvaluateAsync()
    {
        if (Queue.Configuration is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var changed = false;
        foreach (var expired in QueueRouter.ExpiredOffers(Queue, now))
        {
            var missed = await AgentMissedAsync(expired);
            LogOfferTimedOut(expired.Call.CallId, expired.OfferedTo!, QueueId, missed);
            await EndUnansweredOfferAsync(expired, missed, now);
            changed = true;
        }

        foreach (var late in QueueRouter.PastMaxWait(Queue, now))
        {
            // Told first, then removed: if the command cannot be committed, the call is still here next second.
            await commands.SendAsync(late.Call.GatewayId, new PlayAnnouncement(late.Call.CallId, QueueId, Announcements.MaxWaitReached));
            Queue.Waiting.Remove(late.Call.CallId);
            Queue.Left[late.Call.CallId] = now;
            CountExit(late, QueueExit.MaxWait, now);
            await CallOf(late.Call).QueueRefusedAsync(QueueId, Announcements.MaxWaitReached);
            changed = true;
        }

        foreach (var due in QueueRouter.DueForOverflow(Queue, now))
        {
            await OfferToOverflowAsync(due, now);
            changed = true;
        }

        changed |= await AskUnansweredHandOversAgainAsync(now);

        foreach (var stale in Queue.Forwarded.Where(f => now - f.Value.At > ForwardingMemory).Select(f => f.Key).ToList())
        {
            Queue.Forwarded.Remove(stale);
            changed = true;
        }

        foreach (var (memory, keep) in new[] { (Queue.Left, ForwardingMemory), (Queue.PassedThrough, PassedThroughMemory) })
        {
            foreach (var stale in memory.Where(l => now - l.Value > keep).Select(l => l.Key).ToList())
            {
                memory.Remove(stale);
                changed = true;
            }
        }

        foreach (var stale in Queue.Refused.Where(r => now - r.Value.At > ForwardingMemory).Select(r => r.Key).ToList())
        {
            Queue.Refused.Remove(stale);
            changed = true;
        }

        foreach (var lapsed in Queue.TransferHolds.Where(h => h.Value.Until <= now).Select(h => h.Key).ToList())
        {
            // The transfer never brought the call (the caller hung up first, or the gateway did not carry it out).
            Queue.TransferHolds.Remove(lapsed);
            changed = true;
        }

        foreach (var gone in Queue.Agents.Where(a => a.Value.Presence == AgentPresence.LoggedOut && now - a.Value.Since > LoggedOutMemory).Select(a => a.Key).ToList())
        {
            Queue.Agents.Remove(gone);
            changed = true;
        }

        await RouteAndSaveAsync(changed);
    }

    public async Task OfferFailedAsync(string callId, string agentId)
    {
        if (!Queue.Waiting.TryGetValue(callId, out var offered) || offered.OfferedTo != agentId)
        {
            return; // that offer is over already (timed out, or the call left)
        }

        LogOfferFailed(callId, agentId, QueueId);
        // The phone refused or could not be reached: the agent's, as an unanswered ring is, so the call is not
        // offered straight back to a phone that cannot take it.
        await EndUnansweredOfferAsync(offered, agentMissedIt: true, clock.GetUtcNow());
        await RouteAndSaveAsync(changed: true);
    }

    /// <summary>An offer that ended without an answer: the agent is released (not ready when it was their fault), the gateway told to stop ringing.</summary>
    private async Task EndUnansweredOfferAsync(WaitingCall offered, bool agentMissedIt, DateTimeOffset now)
    {
        await Agent(offered.OfferedTo!).ReleaseOfferAsync(offered.Call.CallId, agentMissedIt);
        await WithdrawOfferAsync(offered);
        Queue.Kpis.Record(now, calendar, k => k with { OfferTimeouts = k.OfferTimeouts + 1 });
    }

    public async Task<TransferHoldOutcome> HoldForTransferAsync(string callId, string agentId)
    {
        if (Queue.Configuration is null)
        {
            return TransferHoldOutcome.UnknownQueue;
        }

        var now = clock.GetUtcNow();
        if (!Queue.Agents.TryGetValue(agentId, out var agent) || agent.Presence == AgentPresence.LoggedOut)
        {
            return TransferHoldOutcome.NotInQueue;
        }

        if (Queue.TransferHolds.TryGetValue(callId, out var asked) && asked.AgentId == agentId && asked.Until > now)
        {
            return TransferHoldOutcome.Held; // asked again (a retried request): the same hold
        }

        if (agent.Presence != AgentPresence.Available || QueueRouter.HeldAgents(Queue, now).Contains(agentId)
            || Queue.Waiting.Values.Any(w => w.OfferedTo == agentId))
        {
            return TransferHoldOutcome.NotAvailable;
        }

        Queue.TransferHolds[callId] = new TransferHold(agentId, now + TransferHolds.HoldTime);
        await state.WriteStateAsync();
        return TransferHoldOutcome.Held;
    }

    public Task<QueueStatus> GetStatusAsync() => Task.FromResult(new QueueStatus(
        QueueId,
        Queue.Configuration,
        [.. Queue.Waiting.Values.OrderBy(w => w.Call.WaitingSince).Select(w =>
            new WaitingCallView(w.Call.CallId, w.Call.Vip, w.Call.Priority, w.Call.WaitingSince, w.EnqueuedAt, w.OfferedTo, w.OverflowingTo))],
        [.. Queue.Agents.Where(a => a.Value.Presence == AgentPresence.Available).OrderBy(a => a.Value.Tier).ThenBy(a => a.Value.Since).Select(a => a.Key)],
        Queue.LoggedInAgents,
        QueueFigures.Of(Queue.Kpis.TodayAt(clock.GetUtcNow(), calendar)),
        [.. Queue.Agents.Where(a => a.Value.Presence != AgentPresence.LoggedOut).Select(a => a.Key).Order(StringComparer.Ordinal)],
        siloRegion.Name));

    public async Task CountPassingCallAsync(QueuedCall call, QueueExit exit, DateTimeOffset at, string? answeredBy)
    {
        if (Queue.Configuration is null || Queue.Waiting.ContainsKey(call.CallId) || Queue.PassedThrough.ContainsKey(call.CallId))
        {
            return; // unknown queue, or counted already (a resend after a restart)
        }

        // Offered now, as a call put in the queue would be (its wait still runs from its first queueing).
        Queue.Kpis.Record(clock.GetUtcNow(), calendar, k => k with { Offered = k.Offered + 1 });
        CountExit(new WaitingCall(call, call.WaitingSince), exit, at);
        Queue.PassedThrough[call.CallId] = at;
        await state.WriteStateAsync();
    }

    public Task CallHandledAsync(HandledCall call)
    {
        Queue.Kpis.Record(call.At, calendar, k => k with
        {
            Handled = k.Handled + 1,
            Talk = k.Talk + call.Talk,
            Hold = k.Hold + call.Hold,
            WrapUp = k.WrapUp + call.WrapUp,
        });
        // Saved with the queue's next write, at the latest by next second's evaluation: a statistic need not add a
        // write of its own to every routed call.
        _unsavedFacts = true;
        return Task.CompletedTask;
    }

    public Task<QueueKpis> GetKpisAsync()
    {
        var now = clock.GetUtcNow();
        var configuration = Queue.Configuration ?? throw new ArgumentException($"queue {QueueId} is not configured");
        var oldest = Queue.Waiting.Count == 0 ? now : Queue.Waiting.Values.Min(w => w.Call.WaitingSince);
        return Task.FromResult(new QueueKpis(
            QueueId,
            configuration.Name,
            configuration.Region,
            siloRegion.Name,
            configuration.ServiceLevelThreshold,
            configuration.ServiceLevelTarget,
            configuration.LongestWaitAlert,
            Queue.Waiting.Count,
            now > oldest ? now - oldest : TimeSpan.Zero,
            [.. Queue.Agents.Where(a => a.Value.Presence != AgentPresence.LoggedOut)
                .Select(a => new AgentPresenceView(a.Key, a.Value.Presence, a.Value.Since, a.Value.Version))],
            Queue.Kpis.Snapshot(now, calendar),
            now));
    }

    /// <summary>
    /// Offers waiting calls to idle agents until one or the other runs out, then saves the queue (when it or
    /// an offer changed it) while the gateways' connect commands are committed alongside, not after.
    /// </summary>
    private async Task RouteAndSaveAsync(bool changed)
    {
        var durable = new List<Task>();
        if (Queue.Configuration is { } configuration)
        {
            var now = clock.GetUtcNow();
            var candidates = QueueRouter.IdleAgents(Queue);
            var held = candidates.Count == 0 ? [] : QueueRouter.HeldAgents(Queue, now);
            // A call whose gateway is lost is not offered: its connect would never be taken, and the call ends
            // with the gateway (gateway_lost) unless the gateway comes back first.
            List<WaitingCall> calls = candidates.Count == 0 ? [] : [.. QueueRouter.CallsToRoute(Queue).Where(w => !gateways.IsLost(w.Call.GatewayId))];
            foreach (var waiting in calls)
            {
                if (candidates.Count == 0)
                {
                    break;
                }

                while (QueueRouter.BestAgent(Queue, waiting, now, candidates, held) is { } agentId)
                {
                    candidates.Remove(agentId);
                    var call = waiting.Call;
                    var offer = new AgentOffer(call.CallId, QueueId, call.GatewayId, call.Caller, now, now + configuration.OfferTimeout, configuration.WrapUpTime);
                    var reservation = await TryReserveAsync(agentId, offer);
                    if (!reservation.Succeeded)
                    {
                        // Another queue was faster, or our picture is behind; the agent's next notification corrects it.
                        continue;
                    }

                    Queue.Waiting[call.CallId] = waiting with { OfferedTo = agentId, OfferDeadline = offer.Deadline };
                    Queue.Agents[agentId] = Queue.Agents[agentId] with { Presence = AgentPresence.Reserved };
                    durable.Add(SendConnectAsync(call, agentId, reservation.Endpoint!));
                    LogOffered(call.CallId, agentId, QueueId, (now - call.WaitingSince).TotalSeconds);
                    changed = true;
                    break;
                }
            }
        }

        if (changed || _unsavedFacts)
        {
            _unsavedFacts = false;
            durable.Add(state.WriteStateAsync());
        }

        await Task.WhenAll(durable);
    }

    /// <summary>
    /// An unanswered offer is the agent's fault only when the agent's phone rang: its gateway took the connect and is
    /// alive. An offer whose connect was never taken (the gateway stopped polling) must not make agent after agent
    /// not ready for "no answer". An offer whose command id is unknown (adopted from an agent after a crash) counts as
    /// rung, as before such ids were kept.
    /// </summary>
    private async Task<bool> AgentMissedAsync(WaitingCall offered) =>
        !gateways.IsLost(offered.Call.GatewayId)
        && (offered.OfferCommand is not { } command || await commands.WasDeliveredAsync(command));

    /// <summary>
    /// Commits the offer's connect alongside the queue's write, not before it (the queued-to-offered path stays one
    /// round trip), so its id is known only afterwards: kept for the offer and saved with the queue's next write.
    /// </summary>
    private async Task SendConnectAsync(QueuedCall call, string agentId, string endpoint)
    {
        var command = await commands.SendAsync(call.GatewayId, new ConnectToAgent(call.CallId, agentId, endpoint, QueueId));
        if (Queue.Waiting.TryGetValue(call.CallId, out var offered) && offered.OfferedTo == agentId && offered.OfferCommand is null)
        {
            Queue.Waiting[call.CallId] = offered with { OfferCommand = command };
            _unsavedFacts = true;
        }
    }

    /// <summary>Takes back an offer an agent holds for one of this queue's calls, instead of offering the call again.</summary>
    private void AdoptOffer(string agentId, AgentOffer offer)
    {
        if (Queue.Waiting.TryGetValue(offer.CallId, out var waiting))
        {
            if (waiting.OfferedTo is null)
            {
                Queue.Waiting[offer.CallId] = waiting with { OfferedTo = agentId, OfferDeadline = offer.Deadline };
            }
        }
        else
        {
            _offersFoundOnAgents[offer.CallId] = new FoundOffer(agentId, offer);
        }
    }

    /// <summary>
    /// An agent that cannot be reached now, or could not commit its reservation, counts as refusing: one failing
    /// agent must not stop the queue. Should its reservation have been committed after all, the agent frees itself
    /// once the offer it holds is stale (see <see cref="AgentState.StaleOfferGrace"/>).
    /// </summary>
    private async Task<Reservation> TryReserveAsync(string agentId, AgentOffer offer)
    {
        try
        {
            return await Agent(agentId).TryReserveAsync(offer);
        }
        catch (Exception ex) when (!UncommittedChangeFilter.IsRefusal(ex))
        {
            LogAgentUnreachable(ex, agentId, offer.CallId);
            return Reservation.Refused;
        }
    }

    /// <summary>Asks the overflow queue to take the call; until it answers, the call stays here, not routed.</summary>
    private async Task OfferToOverflowAsync(WaitingCall waiting, DateTimeOffset now)
    {
        var target = Queue.Configuration!.OverflowQueue!;
        Queue.Waiting[waiting.Call.CallId] = waiting with { OverflowingTo = target, OverflowingSince = now };
        // The call keeps its original WaitingSince, so it lines up in the next queue by its whole wait.
        await GrainFactory.ReferenceTo<IQueuePeer>(target).TakeOverflowAsync(waiting.Call with { OverflowedFrom = QueueId });
    }

    private async Task WithdrawOfferAsync(WaitingCall offered)
    {
        // A call transferred to this agent who did not take it is anyone's now.
        Queue.Waiting[offered.Call.CallId] = offered with { OfferedTo = null, OfferDeadline = null, OfferCommand = null, HeldFor = null };
        if (offered.OfferedTo is { } agent && Queue.Agents.TryGetValue(agent, out var known) && known.Presence == AgentPresence.Reserved)
        {
            // Unknown until the agent's own notification arrives; not offering to them meanwhile is the safe guess.
            Queue.Agents[agent] = known with { Presence = AgentPresence.NotReady };
        }

        await commands.SendAsync(offered.Call.GatewayId, new CancelConnect(offered.Call.CallId, offered.OfferedTo!));
    }

    private async Task RefuseAsync(QueuedCall call, EnqueueOutcome outcome)
    {
        if (Queue.Configuration is not null)
        {
            Queue.Kpis.Record(clock.GetUtcNow(), calendar, k => k with { Refused = k.Refused + 1 });
        }

        Queue.Refused[call.CallId] = new Refusal(outcome, clock.GetUtcNow());
        var reason = outcome switch
        {
            EnqueueOutcome.NobodyLoggedIn => Announcements.NobodyLoggedIn,
            EnqueueOutcome.Full => "queue_full",
            _ => "unknown_queue",
        };
        GatewayCommand answer = outcome == EnqueueOutcome.NobodyLoggedIn
            ? new PlayAnnouncement(call.CallId, QueueId, reason)
            : new PlayBusy(call.CallId, QueueId, reason);
        // The answer to the gateway and the counter are committed side by side, not one after the other.
        await Task.WhenAll(
            commands.SendAsync(call.GatewayId, answer),
            Queue.Configuration is null ? Task.CompletedTask : state.WriteStateAsync());
        await CallOf(call).QueueRefusedAsync(QueueId, reason);

        LogRefused(call.CallId, QueueId, outcome);
    }

    /// <summary>
    /// Books a call's exit in the queue's KPIs (its figures are today's), in the minute it left: waits count from the call's
    /// original queueing, abandons shorter than the queue's threshold are short abandons.
    /// </summary>
    private void CountExit(WaitingCall waiting, QueueExit exit, DateTimeOffset at)
    {
        var configuration = Queue.Configuration!;
        var waited = at - waiting.Call.WaitingSince;
        var withinThreshold = waited <= configuration.ServiceLevelThreshold ? 1 : 0;
        var isShort = waited < configuration.ShortAbandonThreshold;
        Queue.Kpis.Record(at, calendar, k => exit switch
        {
            QueueExit.Answered => k with
            {
                Answered = k.Answered + 1,
                AnsweredWithinThreshold = k.AnsweredWithinThreshold + withinThreshold,
                AnswerWait = k.AnswerWait + (waited > TimeSpan.Zero ? waited : TimeSpan.Zero),
            },
            QueueExit.Abandoned when isShort => k with { ShortAbandoned = k.ShortAbandoned + 1 },
            QueueExit.Abandoned => k with { Abandoned = k.Abandoned + 1 },
            _ => k,
        });
    }

    private IAgentGrain Agent(string agentId) => GrainFactory.ReferenceTo<IAgentGrain>(agentId);

    private ICallGrain CallOf(QueuedCall call) => GrainFactory.ReferenceTo<ICallGrain>(call.CallId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} queued in {QueueId} (VIP {Vip})")]
    private partial void LogQueued(string callId, string queueId, bool vip);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} offered to agent {AgentId} by {QueueId} after {WaitSeconds:F1}s")]
    private partial void LogOffered(string callId, string agentId, string queueId, double waitSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: agent {AgentId} did not answer in time (agent's fault: {Missed}); back to the head of {QueueId}")]
    private partial void LogOfferTimedOut(string callId, string agentId, string queueId, bool missed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: agent {AgentId}'s phone could not take it; back to the head of {QueueId}")]
    private partial void LogOfferFailed(string callId, string agentId, string queueId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: {TargetQueueId} accepted it after {QueueId} had kept it; the hand-over is revoked")]
    private partial void LogHandOverRevoked(string callId, string queueId, string targetQueueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} overflowed from {QueueId} to {TargetQueueId}")]
    private partial void LogOverflowed(string callId, string queueId, string targetQueueId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} could not be reached to offer call {CallId}")]
    private partial void LogAgentUnreachable(Exception ex, string agentId, string callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} had left {QueueId} ({Exit}) without its hearing of it: removed by the queue's audit")]
    private partial void LogAuditRemoved(string callId, string queueId, QueueExit exit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: the journal says it is in {QueueId}, which had not heard of it; asking the call to tell again")]
    private partial void LogRepairing(string callId, string queueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} refused by {QueueId}: {Outcome}")]
    private partial void LogRefused(string callId, string queueId, EnqueueOutcome outcome);
}
