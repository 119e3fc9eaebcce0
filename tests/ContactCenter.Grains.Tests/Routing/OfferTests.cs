using ContactCenter.Agents;
using ContactCenter.Gateways;
using ContactCenter.Queues;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Routing;

/// <summary>An offer's life: accepted by one agent only, timed out, withdrawn when the agent leaves.</summary>
[Collection(ClusterCollection.Name)]
public sealed class OfferTests(ClusterFixture fixture)
{
    private readonly RoutingScenario _world = new(fixture);

    [Fact]
    public async Task TheGatewayIsToldToConnectTheCallToTheAgentsEndpoint()
    {
        var queue = await _world.QueueAsync("gotone");
        await _world.AgentAsync("a1", ready: true, ("gotone", 1));

        await queue.EnqueueAsync(_world.Call("c1"));

        var connect = Assert.IsType<ConnectToAgent>(Assert.Single(await _world.TakeCommandsAsync()));
        Assert.Equal((_world.Id("c1"), _world.Id("a1"), $"sip:{_world.Id("a1")}@pbx", _world.Id("gotone")), (connect.CallId, connect.AgentId, connect.Endpoint, connect.Queue));
        var agent = await _world.Agent("a1").GetStatusAsync();
        Assert.Equal((AgentPresence.Reserved, _world.Id("c1")), (agent.Presence, agent.Offer!.CallId));
    }

    [Fact]
    public async Task AnUnansweredOfferSendsTheAgentNotReadyAndTheCallBackToTheHead()
    {
        var queue = await _world.QueueAsync("gotone", c => c with { OfferTimeout = TimeSpan.FromSeconds(15) });
        await _world.AgentAsync("asleep", ready: true, ("gotone", 1));
        await _world.AgentAsync("awake", ready: false, ("gotone", 1));
        await queue.EnqueueAsync(_world.Call("first", waitingSince: _world.Now.AddSeconds(-5)));
        await queue.EnqueueAsync(_world.Call("second"));
        // The gateway takes the connect: the agent's phone rings.
        Assert.Equal([typeof(ConnectToAgent)], (await _world.TakeCommandsAsync()).Select(c => c.GetType()));

        _world.Advance(TimeSpan.FromSeconds(15));
        await queue.EvaluateAsync();

        var asleep = await _world.Agent("asleep").GetStatusAsync();
        Assert.Equal((AgentPresence.NotReady, NotReadyReasons.NoAnswer, 1), (asleep.Presence, asleep.Reason, asleep.Figures.Missed));
        Assert.Null(await _world.OfferedToAsync("gotone", "first"));
        Assert.Equal([typeof(CancelConnect)], (await _world.TakeCommandsAsync()).Select(c => c.GetType()));

        await _world.ReadyAsync("awake", "gotone");
        Assert.Equal(_world.Id("awake"), await _world.OfferedToAsync("gotone", "first"));
        Assert.Equal(1, (await queue.GetStatusAsync()).Figures.OfferTimeouts);
    }

    [Fact]
    public async Task AnOfferItsGatewayNeverTookIsNotTheAgentsFault()
    {
        var queue = await _world.QueueAsync("gotone", c => c with { OfferTimeout = TimeSpan.FromSeconds(15) });
        await _world.AgentAsync("a1", ready: true, ("gotone", 1));
        await queue.EnqueueAsync(_world.Call("c1"));

        // The gateway does not poll: the connect is never taken, and no phone rang.
        _world.Advance(TimeSpan.FromSeconds(15));
        await queue.EvaluateAsync();

        var agent = await _world.Agent("a1").GetStatusAsync();
        Assert.NotEqual(AgentPresence.NotReady, agent.Presence);
        Assert.Equal((0, 1), (agent.Figures.Missed, (await queue.GetStatusAsync()).Figures.OfferTimeouts));
    }

    [Fact]
    public async Task ManyCallsRacingForOneAgentMakeExactlyOneOffer()
    {
        var gotone = await _world.QueueAsync("gotone");
        var mzone = await _world.QueueAsync("m-zone");
        await _world.AgentAsync("only-agent", ready: false, ("gotone", 1), ("m-zone", 1));
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? gotone : mzone).EnqueueAsync(_world.Call($"c{i}"))));

        await _world.Agent("only-agent").ReadyAsync();
        await RoutingScenario.EventuallyAsync(
            async () => (await _world.Agent("only-agent").GetStatusAsync()).Presence == AgentPresence.Reserved,
            "the agent is reserved");
        // Let both queues hear of every change before counting.
        await gotone.EvaluateAsync();
        await mzone.EvaluateAsync();

        var offered = (await gotone.GetStatusAsync()).Waiting.Concat((await mzone.GetStatusAsync()).Waiting).Where(w => w.OfferedTo is not null).ToList();
        var agent = await _world.Agent("only-agent").GetStatusAsync();
        Assert.Equal(agent.Offer!.CallId, Assert.Single(offered).CallId);
        Assert.Single((await _world.TakeCommandsAsync()).OfType<ConnectToAgent>());
        Assert.Equal(20, (await gotone.GetStatusAsync()).Waiting.Length + (await mzone.GetStatusAsync()).Waiting.Length);
    }

    [Fact]
    public async Task AnAgentWhoLogsOutWhileRingingGivesTheCallBack()
    {
        var queue = await _world.QueueAsync("gotone");
        await _world.AgentAsync("leaving", ready: true, ("gotone", 1));
        await _world.AgentAsync("staying", ready: false, ("gotone", 1));
        await queue.EnqueueAsync(_world.Call("c1"));
        Assert.Equal(_world.Id("leaving"), await _world.OfferedToAsync("gotone", "c1"));
        // The gateway takes the connect: the agent's phone rings, and must be stopped.
        Assert.Single((await _world.TakeCommandsAsync()).OfType<ConnectToAgent>(), c => c.AgentId == _world.Id("leaving"));

        await _world.Agent("leaving").LogoutAsync();

        await RoutingScenario.EventuallyAsync(async () => await _world.OfferedToAsync("gotone", "c1") is null, "the offer is withdrawn");
        Assert.Contains(new CancelConnect(_world.Id("c1"), _world.Id("leaving")), await _world.TakeCommandsAsync());
        Assert.Equal(1, (await queue.GetStatusAsync()).LoggedInAgents);

        await _world.ReadyAsync("staying", "gotone");
        Assert.Equal(_world.Id("staying"), await _world.OfferedToAsync("gotone", "c1"));
    }

    [Fact]
    public async Task APhoneThatCannotTakeTheCallEndsItsOfferAtOnceAndTheNextAgentIsOffered()
    {
        var queue = await _world.QueueAsync("gotone", c => c with { OfferTimeout = TimeSpan.FromSeconds(30) });
        await _world.AgentAsync("busy-phone", ready: true, ("gotone", 1));
        await _world.AgentAsync("next", ready: true, ("gotone", 1));
        await queue.EnqueueAsync(_world.Call("c1"));
        var first = (await _world.OfferedToAsync("gotone", "c1"))!;
        var other = first == _world.Id("next") ? _world.Id("busy-phone") : _world.Id("next");

        await queue.OfferFailedAsync(_world.Id("c1"), first);
        await queue.OfferFailedAsync(_world.Id("c1"), first);

        Assert.Equal(other, await _world.OfferedToAsync("gotone", "c1"));
        var failed = await _world.Grains.GetGrain<IAgentGrain>(first).GetStatusAsync();
        Assert.Equal((AgentPresence.NotReady, NotReadyReasons.NoAnswer, 1), (failed.Presence, failed.Reason, failed.Figures.Missed));
        Assert.Equal(1, (await queue.GetStatusAsync()).Figures.OfferTimeouts);
        // The failure of a ring the queue has already moved on from changes nothing.
        await queue.OfferFailedAsync(_world.Id("c1"), first);
        Assert.Equal(other, await _world.OfferedToAsync("gotone", "c1"));
    }

    [Fact]
    public async Task ACallerWhoHangsUpWhileRingingFreesTheAgent()
    {
        var queue = await _world.QueueAsync("gotone");
        await _world.AgentAsync("a1", ready: true, ("gotone", 1));
        await queue.EnqueueAsync(_world.Call("c1"));

        await queue.RemoveAsync(_world.Id("c1"), Queues.QueueExit.Abandoned, _world.Now.AddSeconds(8));

        var agent = await _world.Agent("a1").GetStatusAsync();
        Assert.Equal((AgentPresence.Available, 0), (agent.Presence, agent.Figures.Missed));
        Assert.Equal(1, (await queue.GetStatusAsync()).Figures.Abandoned);
    }

    [Fact]
    public async Task AnOfferItsQueueForgotDoesNotKeepTheAgentReservedForEver()
    {
        await _world.QueueAsync("gotone");
        var agent = await _world.AgentAsync("a1", ready: true, ("gotone", 1));
        // An offer no queue holds: what a crash between the agent's write and the queue's would leave.
        var orphan = new AgentOffer(_world.Id("lost"), _world.Id("gotone"), _world.Gateway, "+8613812345678", _world.Now, _world.Now.AddSeconds(15), TimeSpan.Zero);
        Assert.True((await agent.TryReserveAsync(orphan)).Succeeded);

        _world.Advance(TimeSpan.FromSeconds(15) + AgentState.StaleOfferGrace - TimeSpan.FromSeconds(1));
        await agent.EvaluateAsync();
        Assert.Equal(AgentPresence.Reserved, (await agent.GetStatusAsync()).Presence);

        _world.Advance(TimeSpan.FromSeconds(1));
        await agent.EvaluateAsync();
        var status = await agent.GetStatusAsync();
        Assert.Equal((AgentPresence.Available, 0, null), (status.Presence, status.Figures.Missed, status.Offer));
    }

    [Fact]
    public async Task ANotificationOvertakenByALogoutDoesNotBringTheAgentBack()
    {
        var queue = await _world.QueueAsync("gotone");
        var agent = await _world.AgentAsync("a1", ready: true, ("gotone", 1));
        var whileReady = await agent.GetStatusAsync();
        await agent.LogoutAsync();
        await RoutingScenario.EventuallyAsync(async () => (await queue.GetStatusAsync()).LoggedInAgents == 0, "the queue heard of the logout");

        // The "available" notification of before the logout arrives late.
        await queue.AsReference<IQueuePeer>().AgentChangedAsync(whileReady.AgentId, 1, AgentPresence.Available, whileReady.Since, whileReady.Version);
        await queue.EvaluateAsync();

        var status = await queue.GetStatusAsync();
        Assert.Equal((0, 0), (status.LoggedInAgents, status.IdleAgents.Length));
        Assert.Equal(EnqueueOutcome.NobodyLoggedIn, await queue.EnqueueAsync(_world.Call("c1")));
    }
}
