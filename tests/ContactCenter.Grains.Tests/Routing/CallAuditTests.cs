using ContactCenter.Agents;
using ContactCenter.Queues;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Routing;

/// <summary>An agent never stays on a call that ended without the agent hearing of it (the news lost with a silo).</summary>
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
}
