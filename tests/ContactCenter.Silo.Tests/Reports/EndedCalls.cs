using ContactCenter.Calls;
using ContactCenter.Journal;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Tests.Reports;

/// <summary>
/// Ended calls written to a silo's journal store as a Call grain writes them: the events go through the real
/// state machine, the CDR is built from the final state, and the store commits events and CDRs in one batch.
/// Times are whole seconds; waits, talk and hold are in seconds.
/// </summary>
public sealed class EndedCalls(SiloHost host)
{
    private readonly List<JournalAppend> _appends = [];

    /// <summary>Queued, answered by <paramref name="agent"/> after the wait, talked (with a hold in the middle), ended by the caller.</summary>
    public EndedCalls Answered(string queue, string agent, DateTimeOffset queuedAt, double wait, double talk, double hold = 0, string region = "nanjing")
    {
        var answeredAt = queuedAt.AddSeconds(wait);
        var call = new Call(region, queuedAt).Queued(queue, queuedAt).Then((id, callId, n) => new CallAnswered(id, callId, n, answeredAt, agent));
        if (hold > 0)
        {
            call.Then((id, callId, n) => new CallHeld(id, callId, n, answeredAt.AddSeconds(1)))
                .Then((id, callId, n) => new CallResumed(id, callId, n, answeredAt.AddSeconds(1 + hold)));
        }

        return Add(call.Then((id, callId, n) => new CallEnded(id, callId, n, answeredAt.AddSeconds(talk + hold), "normal", HangupSide.Caller)));
    }

    /// <summary>The caller hangs up after the wait, while queued, or while <paramref name="ringingAgent"/>'s phone rings.</summary>
    public EndedCalls Abandoned(string queue, DateTimeOffset queuedAt, double wait, string region = "nanjing", string? ringingAgent = null)
    {
        var call = new Call(region, queuedAt).Queued(queue, queuedAt);
        if (ringingAgent is not null)
        {
            call.Then((id, callId, n) => new AgentRinging(id, callId, n, queuedAt.AddSeconds(wait / 2), ringingAgent));
        }

        return Add(call.Then((id, callId, n) => new CallEnded(id, callId, n, queuedAt.AddSeconds(wait), "normal", HangupSide.Caller)));
    }

    /// <summary>The system ends the call unanswered after the wait (the queue's maximum wait).</summary>
    public EndedCalls Unanswered(string queue, DateTimeOffset queuedAt, double wait, string region = "nanjing") =>
        Add(new Call(region, queuedAt).Queued(queue, queuedAt)
            .Then((id, callId, n) => new CallEnded(id, callId, n, queuedAt.AddSeconds(wait), "max_wait", HangupSide.System)));

    /// <summary>Served by the voice menus alone: never queued.</summary>
    public EndedCalls SelfService(DateTimeOffset endedAt, string region = "nanjing") =>
        Add(new Call(region, endedAt.AddSeconds(-60))
            .Then((id, callId, n) => new IvrEntered(id, callId, n, endedAt.AddSeconds(-50), "main"))
            .Then((id, callId, n) => new CallEnded(id, callId, n, endedAt, "normal", HangupSide.Caller)));

    /// <summary>Commits every call added so far in one journal batch, as the group-commit writer would.</summary>
    public async Task WriteAsync()
    {
        var conflicts = await host.Services.GetRequiredService<IJournalStore>().WriteBatchAsync(_appends, CancellationToken.None);
        Assert.Empty(conflicts);
        _appends.Clear();
    }

    private EndedCalls Add(Call call)
    {
        var state = (CallSnapshot?)null;
        foreach (var e in call.Events)
        {
            var transition = CallStateMachine.Apply(state, TestTokens.NanjingGateway, e);
            Assert.True(transition.IsValid, transition.Error);
            state = transition.Next;
        }

        _appends.Add(new JournalAppend(TestTokens.NanjingGateway, call.Events, state!, CallDetailRecord.From(state!)));
        return this;
    }

    /// <summary>A call's events in order, numbered from 1; offered 30 s before it was queued.</summary>
    private sealed class Call
    {
        public Call(string region, DateTimeOffset queuedAt) =>
            Then((id, callId, n) => new CallOffered(id, callId, n, queuedAt.AddSeconds(-30), "+8613812345678", "10086", region));

        public string CallId { get; } = $"report-{Guid.NewGuid():N}";

        public List<CallEvent> Events { get; } = [];

        public Call Queued(string queue, DateTimeOffset at) => Then((id, callId, n) => new CallQueued(id, callId, n, at, queue));

        /// <summary>Adds the next event, made from its event id, the call id and its sequence number.</summary>
        public Call Then(Func<string, string, int, CallEvent> next)
        {
            var sequence = Events.Count + 1;
            Events.Add(next($"{CallId}-{sequence}", CallId, sequence));
            return this;
        }
    }
}
