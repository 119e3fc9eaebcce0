using ContactCenter.Agents;
using ContactCenter.Calls;
using ContactCenter.Queues;
using ContactCenter.Tests.Calls;
using ContactCenter.Tests.Infrastructure;
using ContactCenter.Tests.Routing;
using Orleans.Core.Internal;

namespace ContactCenter.Tests.Kpis;

/// <summary>Queues and agents count their KPIs as calls happen; the wallboard reads them without any query.</summary>
[Collection(ClusterCollection.Name)]
public sealed class LiveKpiTests(ClusterFixture fixture)
{
    private readonly RoutingScenario _world = new(fixture);

    [Fact]
    public async Task AQueueAndItsAgentCountAnAnsweredCallWithItsWaitTalkHoldAndWrapUp()
    {
        var queue = await _world.QueueAsync("kpi", c => c with { WrapUpTime = TimeSpan.FromSeconds(15) });
        var agent = await _world.AgentAsync("a1", ready: true, ("kpi", 1));
        var callId = _world.Id("c1");
        await queue.EnqueueAsync(_world.Call("c1"));
        // The call's journal, as the gateway reported it: the agents' audit reads it while the call goes on.
        var call = new CallScript(callId, _world.Now);
        await _world.CommitWithoutEffectsAsync(call.Offered(), call.Queued(_world.Id("kpi")), call.After(8).Answered(_world.Id("a1")));

        _world.Advance(TimeSpan.FromSeconds(8));
        await queue.RemoveAsync(callId, QueueExit.Answered, _world.Now, _world.Id("a1"));
        await agent.CallAnsweredAsync(callId);
        _world.Advance(TimeSpan.FromSeconds(20));
        await agent.CallHoldChangedAsync(callId, onHold: true);
        _world.Advance(TimeSpan.FromSeconds(10));
        await agent.CallHoldChangedAsync(callId, onHold: false);
        _world.Advance(TimeSpan.FromSeconds(30));
        await agent.CallEndedAsync(callId);
        _world.Advance(TimeSpan.FromSeconds(15)); // the queue's wrap-up time

        await RoutingScenario.EventuallyAsync(async () => (await queue.GetKpisAsync()).Counters.Today.Handled == 1, "the queue hears the call was handled");
        var today = (await queue.GetKpisAsync()).Counters.Today;
        Assert.Equal((1, 1, 1), (today.Offered, today.Answered, today.AnsweredWithinThreshold));
        Assert.Equal(TimeSpan.FromSeconds(8), today.AverageSpeedOfAnswer);
        Assert.Equal(TimeSpan.FromSeconds(50 + 10 + 15), today.AverageHandleTime);
        Assert.Equal(today, (await queue.GetKpisAsync()).Counters.Last15Minutes);

        var agentToday = (await agent.GetKpisAsync()).Counters.Today;
        Assert.Equal(1, agentToday.Handled);
        Assert.Equal((TimeSpan.FromSeconds(50), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(15)), (agentToday.Talk, agentToday.Hold, agentToday.WrapUp));
        Assert.Equal(TimeSpan.FromSeconds(60 + 15), agentToday.Busy);
    }

    [Fact]
    public async Task AbandonsAreShortOrNotByTheQueuesThresholdAndTheLiveViewShowsWhoWaits()
    {
        var queue = await _world.QueueAsync("kpi", c => c with { ShortAbandonThreshold = TimeSpan.FromSeconds(5) });
        await _world.AgentAsync("a1", ready: false, ("kpi", 1));
        foreach (var name in new[] { "quick", "patient", "waiting" })
        {
            await queue.EnqueueAsync(_world.Call(name));
        }

        _world.Advance(TimeSpan.FromSeconds(3));
        await queue.RemoveAsync(_world.Id("quick"), QueueExit.Abandoned, _world.Now);
        _world.Advance(TimeSpan.FromSeconds(40));
        await queue.RemoveAsync(_world.Id("patient"), QueueExit.Abandoned, _world.Now);

        var kpis = await queue.GetKpisAsync();
        Assert.Equal((3, 1, 1), (kpis.Counters.Today.Offered, kpis.Counters.Today.ShortAbandoned, kpis.Counters.Today.Abandoned));
        Assert.Equal(0.5, kpis.Counters.Today.AbandonRate); // 1 / (3 offered - 1 short)
        Assert.Equal(0.0, kpis.Counters.Today.ServiceLevel); // 0 within / (0 answered + 1 abandoned)
        Assert.Equal(1, kpis.Waiting);
        Assert.Equal(TimeSpan.FromSeconds(43), kpis.LongestWait);
        Assert.Equal(AgentPresence.NotReady, Assert.Single(kpis.Agents).Presence);
    }

    [Fact]
    public async Task ACallInAndOutOfAQueueWithinOneBatchIsCountedOnceThoughNeverRouted()
    {
        var queue = await _world.QueueAsync("kpi");
        await _world.AgentAsync("a1", ready: false, ("kpi", 1));
        var call = new CallScript(_world.Id("burst"), _world.Now);
        CallEvent[] batch = [call.Offered(), call.Queued(_world.Id("kpi")), call.After(30).Ended(HangupSide.Caller)];
        var grain = _world.Grains.GetGrain<ICallGrain>(call.CallId);

        await grain.ProcessAsync(_world.Gateway, [.. batch]);
        // Resent to a fresh activation (as after a silo's loss), which applies the replayed effects again.
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await grain.ProcessAsync(_world.Gateway, [.. batch]);

        var today = (await queue.GetKpisAsync()).Counters.Today;
        Assert.Equal((1, 1, 0), (today.Offered, today.Abandoned, today.ShortAbandoned));
        Assert.Equal(0, (await queue.GetKpisAsync()).Waiting);
    }

    [Fact]
    public async Task ACallQueuedAgainWhereItWaitsAndAnsweredInOneBatchIsCountedOnceAndKeepsItsAgent()
    {
        var queue = await _world.QueueAsync("kpi");
        var agent = await _world.AgentAsync("a1", ready: true, ("kpi", 1));
        var call = new CallScript(_world.Id("again"), _world.Now);
        var grain = _world.Grains.GetGrain<ICallGrain>(call.CallId);
        await grain.ProcessAsync(_world.Gateway, [call.Offered(), call.Queued(_world.Id("kpi"))]);
        Assert.Equal(_world.Id("a1"), await _world.OfferedToAsync("kpi", "again"));

        await grain.ProcessAsync(_world.Gateway, [call.After(2).Queued(_world.Id("kpi")), call.After(1).Answered(_world.Id("a1"))]);

        var today = (await queue.GetKpisAsync()).Counters.Today;
        Assert.Equal((1, 1), (today.Offered, today.Answered));
        Assert.Equal(AgentPresence.OnCall, (await agent.GetStatusAsync()).Presence);
    }
}
