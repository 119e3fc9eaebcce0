using ContactCenter.Agents;
using ContactCenter.Calls;
using ContactCenter.Gateways;
using ContactCenter.Queues;
using ContactCenter.Tests.Calls;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Routing;

/// <summary>
/// Neither an agent nor a queue keeps a call whose news it never heard (lost with a silo after the event was
/// acknowledged): each checks the call grain now and then, and catches up with what its journal says.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CallAuditTests(ClusterFixture fixture)
{
    private readonly RoutingScenario _world = new(fixture);

    [Fact]
    public async Task AnAgentOnACallThatNoLongerExistsIsFreedByTheAudit()
    {
        var queue = await _world.QueueAsync("gotone", c => c with { WrapUpTime = TimeSpan.Zero });
        var agent = await _world.AgentAsync("a1", ready: true, ("gotone", 1));
        await queue.EnqueueAsync(_world.Call("lost"));
        // Answered, as the call's effects would report it; the call grain itself never heard of the call, as if
        // its end had been lost with a silo.
        await queue.RemoveAsync(_world.Id("lost"), QueueExit.Answered, _world.Now, _world.Id("a1"));
        await agent.CallAnsweredAsync(_world.Id("lost"));
        Assert.Equal(AgentPresence.OnCall, (await agent.GetStatusAsync()).Presence);

        _world.Advance(AgentGrain.CallAuditPeriod);

        await RoutingScenario.EventuallyAsync(async () => (await agent.GetStatusAsync()).Presence != AgentPresence.OnCall, "the audit frees the agent");
        var status = await agent.GetStatusAsync();
        Assert.Contains(status.Presence, new[] { AgentPresence.WrapUp, AgentPresence.Available });
        Assert.Equal(1, status.Figures.Handled);
    }

    [Fact]
    public async Task ACallThatEndedWhileOfferedLeavesItsQueueAndFreesItsAgentThroughTheAudits()
    {
        var queue = await _world.QueueAsync("gotone", c => c with { OfferTimeout = TimeSpan.FromMinutes(2) });
        var agent = await _world.AgentAsync("a1", ready: true, ("gotone", 1));
        await queue.EnqueueAsync(_world.Call("lost"));
        Assert.Equal(_world.Id("a1"), await _world.OfferedToAsync("gotone", "lost"));
        // The caller hung up while the agent's phone rang; the event was committed, its news never left.
        var call = new CallScript(_world.Id("lost"), _world.Now);
        await _world.CommitWithoutEffectsAsync(call.Offered(), call.Queued(_world.Id("gotone")), call.After(5).Ended(HangupSide.Caller));

        _world.Advance(WaitingCallAudit.Period);

        await RoutingScenario.EventuallyAsync(async () => (await queue.GetStatusAsync()).Waiting.IsEmpty, "the queue's audit removes the call");
        await RoutingScenario.EventuallyAsync(async () => (await agent.GetStatusAsync()).Presence == AgentPresence.Available, "the agent is free");
        var figures = (await queue.GetStatusAsync()).Figures;
        Assert.Equal(1, figures.Abandoned + figures.ShortAbandoned);
        Assert.Equal(0, figures.Answered);
        Assert.Equal(0, (await agent.GetStatusAsync()).Figures.Handled);
    }

    [Fact]
    public async Task ACallAnsweredAndEndedUnheardIsCountedAnsweredAndHandledThroughTheAudits()
    {
        var queue = await _world.QueueAsync("gotone", c => c with { OfferTimeout = TimeSpan.FromMinutes(2), WrapUpTime = TimeSpan.Zero });
        var agent = await _world.AgentAsync("a1", ready: true, ("gotone", 1));
        await queue.EnqueueAsync(_world.Call("lost"));
        var call = new CallScript(_world.Id("lost"), _world.Now);
        await _world.CommitWithoutEffectsAsync(
            call.Offered(), call.Queued(_world.Id("gotone")), call.After(3).Answered(_world.Id("a1")), call.After(60).Ended(HangupSide.Agent));

        _world.Advance(WaitingCallAudit.Period);

        await RoutingScenario.EventuallyAsync(async () => (await queue.GetStatusAsync()).Waiting.IsEmpty, "the queue's audit removes the call");
        await RoutingScenario.EventuallyAsync(async () => (await agent.GetStatusAsync()).Presence == AgentPresence.Available, "the agent's audit catches up");
        Assert.Equal(1, (await queue.GetStatusAsync()).Figures.Answered);
        Assert.Equal(1, (await agent.GetStatusAsync()).Figures.Handled);
    }

    [Fact]
    public async Task AnAgentWhoseAuditFindsItsOfferAnsweredTellsTheQueueSoTheEndedCallIsNotOfferedAgain()
    {
        var queue = await _world.QueueAsync("gotone", c => c with { OfferTimeout = TimeSpan.FromMinutes(2), WrapUpTime = TimeSpan.Zero });
        var agent = await _world.AgentAsync("a1", ready: true, ("gotone", 1));
        // Half a period on, the call arrives: the agent's audit is due before the queue's check of the call.
        _world.Advance(WaitingCallAudit.Period / 2);
        await queue.EnqueueAsync(_world.Call("lost"));
        Assert.Equal(_world.Id("a1"), await _world.OfferedToAsync("gotone", "lost"));
        var call = new CallScript(_world.Id("lost"), _world.Now);
        await _world.CommitWithoutEffectsAsync(
            call.Offered(), call.Queued(_world.Id("gotone")), call.After(3).Answered(_world.Id("a1")), call.After(6).Ended(HangupSide.Agent));
        await _world.TakeCommandsAsync();

        _world.Advance(AgentGrain.CallAuditPeriod / 2);

        await RoutingScenario.EventuallyAsync(async () => (await queue.GetStatusAsync()).Waiting.IsEmpty, "the queue hears of the answer from the agent");
        await RoutingScenario.EventuallyAsync(async () => (await agent.GetStatusAsync()).Presence == AgentPresence.Available, "the agent is free");
        Assert.Equal(1, (await queue.GetStatusAsync()).Figures.Answered);
        Assert.DoesNotContain(await _world.TakeCommandsAsync(), c => c is ConnectToAgent);
    }

    [Fact]
    public async Task TheAuditLeavesACallThatStillWaitsHere()
    {
        var queue = await _world.QueueAsync("gotone");
        await _world.AgentAsync("a1", ready: false, ("gotone", 1));
        foreach (var name in new[] { "patient", "gone" })
        {
            await queue.EnqueueAsync(_world.Call(name));
        }

        var patient = new CallScript(_world.Id("patient"), _world.Now);
        await _world.CommitWithoutEffectsAsync(patient.Offered(), patient.Queued(_world.Id("gotone")));
        var gone = new CallScript(_world.Id("gone"), _world.Now);
        await _world.CommitWithoutEffectsAsync(gone.Offered(), gone.Queued(_world.Id("gotone")), gone.After(2).Ended(HangupSide.Caller));

        _world.Advance(WaitingCallAudit.Period);

        await RoutingScenario.EventuallyAsync(async () => (await queue.GetStatusAsync()).Waiting.Length == 1, "the audit removes the ended call");
        Assert.Equal(_world.Id("patient"), (await queue.GetStatusAsync()).Waiting.Single().CallId);
    }
}
