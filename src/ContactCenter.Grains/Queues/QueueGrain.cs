using ContactCenter.Agents;
using ContactCenter.Gateways;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Queues;

/// <summary>
/// One queue. Its state (waiting calls, known agents, offers in flight) is persisted after every change through
/// the group-committed grain storage, so neither a deactivation nor a restart loses a waiting call. Decisions
/// come from <see cref="QueueRouter"/>; this grain carries them out: reserving agents (the agent grain arbitrates
/// between queues), telling the owning gateway, and acting on time once a second.
/// </summary>
public sealed partial class QueueGrain(
    [PersistentState("queue", StorageNames.GroupCommit)] IPersistentState<QueueState> state,
    IGatewayCommands commands,
    TimeProvider clock,
    ILogger<QueueGrain> logger) : Grain, IQueueGrain
{
    /// <summary>How long a queue remembers a call that went on (overflowed, or left for the maximum wait), to pass on late news about it.</summary>
    private static readonly TimeSpan ForwardingMemory = TimeSpan.FromHours(2);

    private string QueueId => this.GetPrimaryKeyString();

    private QueueState Queue => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // The queue saves who serves it, not each agent's every presence change (that is the agent's own
        // durable state): a fresh activation asks its agents where they are now.
        var agents = await Task.WhenAll(Queue.Agents.Keys.ToList().Select(id => Agent(id).GetStatusAsync()));
        foreach (var agent in agents)
        {
            if (agent.Presence == AgentPresence.LoggedOut || agent.Profile?.Skills.Any(s => s.Queue == QueueId) != true)
            {
                Queue.Agents.Remove(agent.AgentId);
            }
            else
            {
                Queue.Agents[agent.AgentId] = Queue.Agents[agent.AgentId] with { Presence = agent.Presence, Since = agent.Since, Version = agent.Version };
            }
        }

        this.RegisterGrainTimer(_ => EvaluateAsync(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
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

        var outcome = Queue switch
        {
            { Configuration: null } => EnqueueOutcome.UnknownQueue,
            _ when Queue.Waiting.Count >= Queue.Configuration.MaxLength => EnqueueOutcome.Full,
            _ when Queue.LoggedInAgents == 0 => EnqueueOutcome.NobodyLoggedIn,
            _ => EnqueueOutcome.Queued,
        };

        if (outcome != EnqueueOutcome.Queued)
        {
            await RefuseAsync(call, outcome);
            return outcome;
        }

        Queue.Waiting[call.CallId] = new WaitingCall(call, clock.GetUtcNow());
        Queue.Forwarded.Remove(call.CallId);
        Queue.Left.Remove(call.CallId);
        Queue.Figures = Queue.Figures with { Offered = Queue.Figures.Offered + 1 };
        LogQueued(call.CallId, QueueId, call.Vip);
        // One write covers the call's arrival and, when an agent is idle, its offer: the queued-to-offered
        // path is the agent's write, then this one alongside the gateway's command.
        await RouteAndSaveAsync(changed: true);
        return EnqueueOutcome.Queued;
    }

    public async Task RemoveAsync(string callId, QueueExit exit, DateTimeOffset at)
    {
        if (!Queue.Waiting.Remove(callId, out var waiting))
        {
            if (Queue.Forwarded.Remove(callId, out var forwarding))
            {
                // The news followed the call; the call may now come back here as a new arrival (a transfer).
                await GrainFactory.GetGrain<IQueueGrain>(forwarding.ToQueue).RemoveAsync(callId, exit, at);
                await state.WriteStateAsync();
            }
            else if (Queue.Left.Remove(callId))
            {
                await state.WriteStateAsync();
            }

            return;
        }

        Queue.Figures = Count(Queue.Figures, Queue.Configuration!, waiting, exit, at);
        if (waiting.OfferedTo is { } agent && exit != QueueExit.Answered)
        {
            // The caller left while the agent's phone rang: the agent is free again, through no fault of theirs.
            await Agent(agent).ReleaseOfferAsync(callId, agentMissedIt: false);
        }

        await RouteAndSaveAsync(changed: true);
    }

    public async Task AgentChangedAsync(string agentId, int tier, AgentPresence presence, DateTimeOffset since, long version)
    {
        var known = Queue.Agents.GetValueOrDefault(agentId);
        if (known is not null && known.Version >= version)
        {
            return;
        }

        // Who serves the queue, and at which tier, is saved; a mere presence change is not (see OnActivateAsync).
        var membershipChanged = known is null || known.Tier != tier || presence == AgentPresence.LoggedOut;
        if (presence == AgentPresence.LoggedOut)
        {
            Queue.Agents.Remove(agentId);
        }
        else
        {
            Queue.Agents[agentId] = new QueueAgent(tier, presence, since, version);
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
            LogOfferTimedOut(expired.Call.CallId, expired.OfferedTo!, QueueId);
            await Agent(expired.OfferedTo!).ReleaseOfferAsync(expired.Call.CallId, agentMissedIt: true);
            await WithdrawOfferAsync(expired);
            Queue.Figures = Queue.Figures with { OfferTimeouts = Queue.Figures.OfferTimeouts + 1 };
            changed = true;
        }

        foreach (var late in QueueRouter.PastMaxWait(Queue, now))
        {
            Queue.Waiting.Remove(late.Call.CallId);
            Queue.Left[late.Call.CallId] = now;
            Queue.Figures = Count(Queue.Figures, Queue.Configuration, late, QueueExit.MaxWait, now);
            await commands.SendAsync(late.Call.GatewayId, new PlayAnnouncement(late.Call.CallId, QueueId, Announcements.MaxWaitReached));
            changed = true;
        }

        foreach (var due in QueueRouter.DueForOverflow(Queue, now))
        {
            changed |= await OverflowAsync(due, now);
        }

        foreach (var stale in Queue.Forwarded.Where(f => now - f.Value.At > ForwardingMemory).Select(f => f.Key).ToList())
        {
            Queue.Forwarded.Remove(stale);
            changed = true;
        }

        foreach (var stale in Queue.Left.Where(l => now - l.Value > ForwardingMemory).Select(l => l.Key).ToList())
        {
            Queue.Left.Remove(stale);
            changed = true;
        }

        await RouteAndSaveAsync(changed);
    }

    public Task<QueueStatus> GetStatusAsync() => Task.FromResult(new QueueStatus(
        QueueId,
        Queue.Configuration,
        [.. Queue.Waiting.Values.OrderBy(w => w.Call.WaitingSince).Select(w =>
            new WaitingCallView(w.Call.CallId, w.Call.Vip, w.Call.Priority, w.Call.WaitingSince, w.EnqueuedAt, w.OfferedTo))],
        [.. Queue.Agents.Where(a => a.Value.Presence == AgentPresence.Available).OrderBy(a => a.Value.Tier).ThenBy(a => a.Value.Since).Select(a => a.Key)],
        Queue.LoggedInAgents,
        Queue.Figures));

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
            var refused = new HashSet<string>(StringComparer.Ordinal);
            foreach (var waiting in QueueRouter.CallsToRoute(Queue).ToList())
            {
                while (QueueRouter.BestAgent(Queue, waiting, now, refused) is { } agentId)
                {
                    var call = waiting.Call;
                    var offer = new AgentOffer(call.CallId, QueueId, call.GatewayId, call.Caller, now, now + configuration.OfferTimeout, configuration.WrapUpTime);
                    var reservation = await Agent(agentId).TryReserveAsync(offer);
                    if (!reservation.Succeeded)
                    {
                        // Another queue was faster, or our picture is behind; the agent's next notification corrects it.
                        refused.Add(agentId);
                        continue;
                    }

                    Queue.Waiting[call.CallId] = waiting with { OfferedTo = agentId, OfferDeadline = offer.Deadline };
                    Queue.Agents[agentId] = Queue.Agents[agentId] with { Presence = AgentPresence.Reserved };
                    durable.Add(commands.SendAsync(call.GatewayId, new ConnectToAgent(call.CallId, agentId, reservation.Endpoint!, QueueId)));
                    LogOffered(call.CallId, agentId, QueueId, (now - call.WaitingSince).TotalSeconds);
                    changed = true;
                    break;
                }
            }
        }

        if (changed)
        {
            durable.Add(state.WriteStateAsync());
        }

        await Task.WhenAll(durable);
    }

    private async Task<bool> OverflowAsync(WaitingCall waiting, DateTimeOffset now)
    {
        var target = Queue.Configuration!.OverflowQueue!;
        // The call keeps its original WaitingSince, so it lines up in the next queue by its whole wait.
        var outcome = await GrainFactory.GetGrain<IQueueGrain>(target).EnqueueAsync(waiting.Call with { OverflowedFrom = QueueId });
        if (outcome != EnqueueOutcome.Queued)
        {
            // The target cannot take it either: keep the call here rather than lose it; try again next second.
            return false;
        }

        Queue.Waiting.Remove(waiting.Call.CallId);
        Queue.Forwarded[waiting.Call.CallId] = new Forwarding(target, now);
        Queue.Figures = Queue.Figures with { Overflowed = Queue.Figures.Overflowed + 1 };
        await commands.SendAsync(waiting.Call.GatewayId, new CallOverflowed(waiting.Call.CallId, QueueId, target));
        LogOverflowed(waiting.Call.CallId, QueueId, target);
        return true;
    }

    private async Task WithdrawOfferAsync(WaitingCall offered)
    {
        Queue.Waiting[offered.Call.CallId] = offered with { OfferedTo = null, OfferDeadline = null };
        if (offered.OfferedTo is { } agent && Queue.Agents.TryGetValue(agent, out var known) && known.Presence == AgentPresence.Reserved)
        {
            // Unknown until the agent's own notification arrives; not offering to them meanwhile is the safe guess.
            Queue.Agents[agent] = known with { Presence = AgentPresence.NotReady };
        }

        await commands.SendAsync(offered.Call.GatewayId, new CancelConnect(offered.Call.CallId, offered.OfferedTo!));
    }

    private async Task RefuseAsync(QueuedCall call, EnqueueOutcome outcome)
    {
        Queue.Figures = Queue.Figures with { Refused = Queue.Figures.Refused + 1 };
        GatewayCommand answer = outcome == EnqueueOutcome.NobodyLoggedIn
            ? new PlayAnnouncement(call.CallId, QueueId, Announcements.NobodyLoggedIn)
            : new PlayBusy(call.CallId, QueueId, outcome == EnqueueOutcome.Full ? "queue_full" : "unknown_queue");
        // The answer to the gateway and the counter are committed side by side, not one after the other.
        await Task.WhenAll(
            commands.SendAsync(call.GatewayId, answer),
            Queue.Configuration is null ? Task.CompletedTask : state.WriteStateAsync());

        LogRefused(call.CallId, QueueId, outcome);
    }

    /// <summary>Books a call's exit in the queue's figures; waits count from the call's original queueing time.</summary>
    private static QueueFigures Count(QueueFigures figures, QueueConfiguration configuration, WaitingCall waiting, QueueExit exit, DateTimeOffset at)
    {
        var waited = at - waiting.Call.WaitingSince;
        return exit switch
        {
            QueueExit.Answered => figures with
            {
                Answered = figures.Answered + 1,
                AnsweredWithinThreshold = figures.AnsweredWithinThreshold + (waited <= configuration.ServiceLevelThreshold ? 1 : 0),
            },
            QueueExit.Abandoned when waited < configuration.ShortAbandonThreshold => figures with { ShortAbandoned = figures.ShortAbandoned + 1 },
            QueueExit.Abandoned => figures with { Abandoned = figures.Abandoned + 1 },
            _ => figures,
        };
    }

    private IAgentGrain Agent(string agentId) => GrainFactory.GetGrain<IAgentGrain>(agentId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} queued in {QueueId} (VIP {Vip})")]
    private partial void LogQueued(string callId, string queueId, bool vip);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId} offered to agent {AgentId} by {QueueId} after {WaitSeconds:F1}s")]
    private partial void LogOffered(string callId, string agentId, string queueId, double waitSeconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: agent {AgentId} did not answer in time; back to the head of {QueueId}")]
    private partial void LogOfferTimedOut(string callId, string agentId, string queueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} overflowed from {QueueId} to {TargetQueueId}")]
    private partial void LogOverflowed(string callId, string queueId, string targetQueueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} refused by {QueueId}: {Outcome}")]
    private partial void LogRefused(string callId, string queueId, EnqueueOutcome outcome);
}
