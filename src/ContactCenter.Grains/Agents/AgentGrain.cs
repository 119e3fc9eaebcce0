using ContactCenter.Calls;
using ContactCenter.Kpis;
using ContactCenter.Placement;
using ContactCenter.Queues;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Agents;

/// <summary>
/// One agent. Every presence change is persisted (group-committed grain storage) and then told to each queue the
/// agent has a skill for, one-way: queues keep their own picture of who is idle, and the agent is the arbiter
/// when two queues reach for the same person at once.
/// </summary>
[AgentHomePlacement]
public sealed partial class AgentGrain(
    [PersistentState("agent", StorageNames.GroupCommit)] IPersistentState<AgentState> state,
    TimeProvider clock,
    CenterCalendar calendar,
    ILogger<AgentGrain> logger) : Grain, IAgentGrain
{
    /// <summary>
    /// How often an agent on a call, or holding an offer, checks that call. The call grain tells the agent when it
    /// is answered or ends, and retries until it gets through; the check covers what no retry can: the call's silo
    /// lost while the news was on its way. A dead call then holds an agent for at most this long.
    /// </summary>
    public static readonly TimeSpan CallAuditPeriod = TimeSpan.FromSeconds(20);

    private IGrainTimer? _dueTimer;

    private string AgentId => this.GetPrimaryKeyString();

    private AgentState Agent => state.State;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Agent.Calendar = calendar;
        ScheduleEvaluation();
        this.RegisterGrainTimer(UncommittedChangeFilter.Tick(this, logger, AuditCallAsync), new GrainTimerCreationOptions(CallAuditPeriod, CallAuditPeriod) { KeepAlive = false });
        return Task.CompletedTask;
    }

    /// <summary>
    /// Catches up with a call whose news the agent missed: an offered call answered here or ended, a call in
    /// progress that ended or moved to someone else. The call grain's snapshot is the fact.
    /// </summary>
    private async Task AuditCallAsync()
    {
        if (Agent is not { Presence: AgentPresence.OnCall or AgentPresence.Reserved, CallId: { } callId })
        {
            return;
        }

        var call = await GrainFactory.ReferenceTo<ICallGrain>(callId).GetSnapshotAsync();
        if (Agent.CallId != callId)
        {
            return; // the news arrived while the snapshot was read
        }

        var answeredHere = call is { AnsweredAt: not null } && call.Agent == AgentId;
        if (Agent.Presence == AgentPresence.Reserved && answeredHere)
        {
            LogAuditAnswered(AgentId, callId);
            // The queue that offered the call missed the same news. Told first: a queue that hears this agent is
            // free while it still holds the offer takes the offer for declined, and would offer the call again.
            if (Agent.Offer is { CallId: var offered, Queue: var offeringQueue } && offered == callId)
            {
                await GrainFactory.ReferenceTo<IQueuePeer>(offeringQueue).CallLeftAsync(callId, QueueExit.Answered, call!.AnsweredAt!.Value, AgentId);
            }

            await CallAnsweredAsync(callId);
        }

        // An offer of a call no journal knows is left to the offer's own deadline (see AgentState.StaleOfferGrace).
        var unknown = call is null && Agent.Presence == AgentPresence.OnCall;
        if (unknown || call is { IsEnded: true } || call is { AnsweredAt: not null } && !answeredHere)
        {
            LogAuditFreed(AgentId, callId, call?.Phase);
            await CallEndedAsync(callId); // from an offer: released; from a call: wrap-up
        }
    }

    public async Task<AgentStatus> ConfigureAsync(AgentProfile profile)
    {
        var dropped = Agent.Profile?.Skills.Where(old => !profile.Skills.Any(s => s.Queue == old.Queue)).ToList() ?? [];
        Agent.Profile = profile;
        Agent.Version++;
        await state.WriteStateAsync();
        // A queue the agent no longer serves hears "logged out" and forgets the agent.
        await Task.WhenAll(dropped.Select(skill =>
            GrainFactory.ReferenceTo<IQueuePeer>(skill.Queue).AgentChangedAsync(AgentId, skill.Tier, AgentPresence.LoggedOut, Agent.Since, Agent.Version)));
        await NotifyQueuesAsync();
        return Status();
    }

    public Task<AgentStatus> LoginAsync(string endpoint) => ChangeAsync(now => Agent.Login(endpoint, now));

    public Task<AgentStatus> LogoutAsync() => ChangeAsync(Agent.Logout);

    public Task<AgentStatus> ReadyAsync() => ChangeAsync(Agent.Ready);

    public Task<AgentStatus> NotReadyAsync(string reason) => ChangeAsync(now => Agent.NotReady(reason, now));

    public Task<AgentStatus> GetStatusAsync() => Task.FromResult(Status());

    public Task<AgentKpis> GetKpisAsync()
    {
        var now = clock.GetUtcNow();
        return Task.FromResult(new AgentKpis(AgentId, Agent.Presence, Agent.Since, Agent.KpisAt(now), now));
    }

    public async Task<Reservation> TryReserveAsync(AgentOffer offer)
    {
        var before = Agent.Version;
        if (!Agent.TryReserve(offer, clock.GetUtcNow()))
        {
            return Reservation.Refused;
        }

        if (Agent.Version != before)
        {
            await SaveAndNotifyAsync();
            LogReserved(AgentId, offer.CallId, offer.Queue);
        }

        return new Reservation(Agent.Endpoint ?? "");
    }

    public async Task ReleaseOfferAsync(string callId, bool agentMissedIt)
    {
        if (Agent.ReleaseOffer(callId, agentMissedIt, clock.GetUtcNow()))
        {
            await SaveAndNotifyAsync();
        }
    }

    public async Task CallAnsweredAsync(string callId)
    {
        try
        {
            if (Agent.Answer(callId, clock.GetUtcNow()))
            {
                await SaveAndNotifyAsync();
            }
        }
        catch (AgentStateException ex)
        {
            // The gateway's report is the fact; the agent's picture was behind (e.g. logged out meanwhile).
            LogUnexpectedAnswer(AgentId, callId, ex.Message);
        }
    }

    public async Task CallHoldChangedAsync(string callId, bool onHold)
    {
        if (Agent.ChangeHold(callId, onHold, clock.GetUtcNow()))
        {
            await state.WriteStateAsync();
        }
    }

    public async Task CallEndedAsync(string callId)
    {
        if (Agent.EndCall(callId, clock.GetUtcNow()))
        {
            await SaveAndNotifyAsync();
        }
    }

    public async Task EvaluateAsync()
    {
        if (Agent.Evaluate(clock.GetUtcNow()))
        {
            await SaveAndNotifyAsync();
        }
        else
        {
            ScheduleEvaluation(); // fired early, or the clock stepped back: look again when it is due
        }
    }

    private async Task<AgentStatus> ChangeAsync(Action<DateTimeOffset> change)
    {
        var before = Agent.Version;
        change(clock.GetUtcNow());
        if (Agent.Version != before)
        {
            await SaveAndNotifyAsync();
            LogPresence(AgentId, Agent.Presence, Agent.Reason);
        }

        return Status();
    }

    private async Task SaveAndNotifyAsync()
    {
        await state.WriteStateAsync();
        await NotifyQueuesAsync();
        if (Agent.JustHandled is { Queue: { } queue } handled)
        {
            // One-way, after the save: the queue's handle time is a statistic, not a routing fact.
            await GrainFactory.ReferenceTo<IQueuePeer>(queue).CallHandledAsync(handled);
        }

        Agent.JustHandled = null;
        ScheduleEvaluation();
    }

    /// <summary>
    /// Tells every queue of the agent's skills. The calls are one-way (see <see cref="IQueuePeer.AgentChangedAsync"/>):
    /// awaiting them returns at once, so a queue that is itself waiting on this agent cannot deadlock with it.
    /// </summary>
    private Task NotifyQueuesAsync() => Task.WhenAll((Agent.Profile?.Skills ?? []).Select(skill =>
        GrainFactory.ReferenceTo<IQueuePeer>(skill.Queue).AgentChangedAsync(AgentId, skill.Tier, Agent.Presence, Agent.Since, Agent.Version)));

    /// <summary>Sets the one timer the agent needs: for the end of wrap-up, or for an offer its queue may have lost.</summary>
    private void ScheduleEvaluation()
    {
        _dueTimer?.Dispose();
        _dueTimer = null;
        if (Agent.NextDue is { } due)
        {
            var wait = due - clock.GetUtcNow();
            _dueTimer = this.RegisterGrainTimer(UncommittedChangeFilter.Tick(this, logger, EvaluateAsync), wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private AgentStatus Status() => Agent.ToStatus(AgentId, clock.GetUtcNow());

    [LoggerMessage(Level = LogLevel.Debug, Message = "Agent {AgentId} is {Presence} ({Reason})")]
    private partial void LogPresence(string agentId, AgentPresence presence, string? reason);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Agent {AgentId} reserved for call {CallId} from queue {QueueId}")]
    private partial void LogReserved(string agentId, string callId, string queueId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} was still holding call {CallId}, which is {Phase}: freed by the call audit")]
    private partial void LogAuditFreed(string agentId, string callId, CallPhase? phase);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} had answered offered call {CallId} without hearing of it: caught up by the call audit")]
    private partial void LogAuditAnswered(string agentId, string callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {AgentId} answered call {CallId} unexpectedly: {Reason}")]
    private partial void LogUnexpectedAnswer(string agentId, string callId, string reason);
}
