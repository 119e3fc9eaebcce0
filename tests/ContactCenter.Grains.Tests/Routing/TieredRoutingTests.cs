using ContactCenter.Gateways;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Routing;

/// <summary>Who gets which call: tiers, idle time, VIP and wait order, tier expansion, overflow.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TieredRoutingTests(ClusterFixture fixture)
{
    private readonly RoutingScenario _world = new(fixture);

    [Fact]
    public async Task LowestTierIsOfferedFirstThenTheLongestIdleAgent()
    {
        var queue = await _world.QueueAsync("gotone", Tiers.At(1, 0), Tiers.At(2, 0));
        await _world.AgentAsync("generalist", ready: true, ("gotone", 2));
        _world.Advance(TimeSpan.FromSeconds(5));
        await _world.AgentAsync("specialist-idle-longer", ready: true, ("gotone", 1));
        _world.Advance(TimeSpan.FromSeconds(5));
        await _world.AgentAsync("specialist-just-ready", ready: true, ("gotone", 1));

        await queue.EnqueueAsync(_world.Call("c1"));
        await queue.EnqueueAsync(_world.Call("c2"));
        await queue.EnqueueAsync(_world.Call("c3"));

        Assert.Equal(_world.Id("specialist-idle-longer"), await _world.OfferedToAsync("gotone", "c1"));
        Assert.Equal(_world.Id("specialist-just-ready"), await _world.OfferedToAsync("gotone", "c2"));
        Assert.Equal(_world.Id("generalist"), await _world.OfferedToAsync("gotone", "c3"));
    }

    [Fact]
    public async Task AWiderTierBecomesEligibleOnlyAfterItsWait()
    {
        var queue = await _world.QueueAsync("m-zone", Tiers.At(1, 0), Tiers.At(3, 30));
        await _world.AgentAsync("specialist", ready: false, ("m-zone", 1));
        await _world.AgentAsync("thirteen-cities", ready: true, ("m-zone", 3));

        await queue.EnqueueAsync(_world.Call("c1"));
        _world.Advance(TimeSpan.FromSeconds(29));
        await queue.EvaluateAsync();
        Assert.Null(await _world.OfferedToAsync("m-zone", "c1"));

        _world.Advance(TimeSpan.FromSeconds(1));
        await queue.EvaluateAsync();
        Assert.Equal(_world.Id("thirteen-cities"), await _world.OfferedToAsync("m-zone", "c1"));
    }

    [Fact]
    public async Task VipCallersGoFirstThenTheLongestWaiting()
    {
        var queue = await _world.QueueAsync("gotone");
        await _world.AgentAsync("a1", ready: false, ("gotone", 1));
        await _world.AgentAsync("a2", ready: false, ("gotone", 1));
        await _world.AgentAsync("a3", ready: false, ("gotone", 1));
        await queue.EnqueueAsync(_world.Call("waited-30s", waitingSince: _world.Now.AddSeconds(-30)));
        await queue.EnqueueAsync(_world.Call("waited-60s", waitingSince: _world.Now.AddSeconds(-60)));
        await queue.EnqueueAsync(_world.Call("vip-just-now", vip: true));

        await _world.ReadyAsync("a1", "gotone");
        await _world.ReadyAsync("a2", "gotone");
        await _world.ReadyAsync("a3", "gotone");

        Assert.Equal(_world.Id("a1"), await _world.OfferedToAsync("gotone", "vip-just-now"));
        Assert.Equal(_world.Id("a2"), await _world.OfferedToAsync("gotone", "waited-60s"));
        Assert.Equal(_world.Id("a3"), await _world.OfferedToAsync("gotone", "waited-30s"));
    }

    [Fact]
    public async Task OverflowMovesTheCallOnAndKeepsItsOriginalWait()
    {
        var target = await _world.QueueAsync("easy-own-huaian");
        var source = await _world.QueueAsync("easy-own-nanjing", c => c with { OverflowQueue = _world.Id("easy-own-huaian"), OverflowAfter = TimeSpan.FromSeconds(60) });
        await _world.AgentAsync("nanjing-agent", ready: false, ("easy-own-nanjing", 1));
        await _world.AgentAsync("huaian-agent", ready: false, ("easy-own-huaian", 1));
        var startedAt = _world.Now;
        await source.EnqueueAsync(_world.Call("from-nanjing"));
        _world.Advance(TimeSpan.FromSeconds(10));
        await target.EnqueueAsync(_world.Call("already-in-huaian"));

        _world.Advance(TimeSpan.FromSeconds(50));
        await source.EvaluateAsync();

        await RoutingScenario.EventuallyAsync(async () => (await source.GetStatusAsync()).Waiting.IsEmpty, "the overflow is settled");
        var moved = (await target.GetStatusAsync()).Waiting.Single(w => w.CallId == _world.Id("from-nanjing"));
        Assert.Equal(startedAt, moved.WaitingSince);
        Assert.Contains(new CallOverflowed(_world.Id("from-nanjing"), _world.Id("easy-own-nanjing"), _world.Id("easy-own-huaian")), await _world.TakeCommandsAsync());

        // Lined up by its whole wait, the overflowed call is ahead of the one that came to Huai'an directly.
        await _world.ReadyAsync("huaian-agent", "easy-own-huaian");
        Assert.Equal(_world.Id("huaian-agent"), await _world.OfferedToAsync("easy-own-huaian", "from-nanjing"));
        Assert.Equal(1, (await source.GetStatusAsync()).Figures.Overflowed);
    }

    [Fact]
    public async Task NewsOfAnOverflowedCallFollowsItToItsNewQueue()
    {
        var target = await _world.QueueAsync("target");
        var source = await _world.QueueAsync("source", c => c with { OverflowQueue = _world.Id("target"), OverflowAfter = TimeSpan.FromSeconds(30) });
        await _world.AgentAsync("a1", ready: false, ("source", 1), ("target", 1));
        await source.EnqueueAsync(_world.Call("c1"));
        _world.Advance(TimeSpan.FromSeconds(30));
        await source.EvaluateAsync();
        await RoutingScenario.EventuallyAsync(async () => (await source.GetStatusAsync()).Waiting.IsEmpty, "the overflow is settled");

        // The caller hangs up; whoever reports it to the original queue, the call leaves the queue it is now in.
        await source.RemoveAsync(_world.Id("c1"), Queues.QueueExit.Abandoned, _world.Now.AddSeconds(10));

        await RoutingScenario.EventuallyAsync(async () => (await target.GetStatusAsync()).Figures.Abandoned == 1, "the news reached the target");
        Assert.Empty((await target.GetStatusAsync()).Waiting);
    }

    [Fact]
    public async Task QueuesThatOverflowIntoEachOtherSwapTheirCallsWithoutWaitingOnEachOther()
    {
        var nanjing = await _world.QueueAsync("nanjing", c => c with { OverflowQueue = _world.Id("huaian"), OverflowAfter = TimeSpan.FromSeconds(60) });
        var huaian = await _world.QueueAsync("huaian", c => c with { OverflowQueue = _world.Id("nanjing"), OverflowAfter = TimeSpan.FromSeconds(60) });
        await _world.AgentAsync("a1", ready: false, ("nanjing", 1), ("huaian", 1));
        await nanjing.EnqueueAsync(_world.Call("from-nanjing"));
        await huaian.EnqueueAsync(_world.Call("from-huaian"));

        _world.Advance(TimeSpan.FromSeconds(60));
        await Task.WhenAll(nanjing.EvaluateAsync(), huaian.EvaluateAsync());

        await RoutingScenario.EventuallyAsync(async () =>
            (await nanjing.GetStatusAsync()).Waiting.Select(w => w.CallId).SequenceEqual([_world.Id("from-huaian")])
            && (await huaian.GetStatusAsync()).Waiting.Select(w => w.CallId).SequenceEqual([_world.Id("from-nanjing")]), "the calls have swapped");
    }

    [Fact]
    public async Task AnOverflowTheTargetCannotTakeKeepsTheCallWhereItIsAndTellsTheCallerNothing()
    {
        var target = await _world.QueueAsync("closed");
        var source = await _world.QueueAsync("open", c => c with { OverflowQueue = _world.Id("closed"), OverflowAfter = TimeSpan.FromSeconds(30) });
        await _world.AgentAsync("a1", ready: false, ("open", 1));
        await source.EnqueueAsync(_world.Call("c1"));

        _world.Advance(TimeSpan.FromSeconds(30));
        await source.EvaluateAsync();

        await RoutingScenario.EventuallyAsync(async () => (await source.GetStatusAsync()).Waiting.Single().OverflowingTo is null, "the target answered");
        Assert.Empty(await _world.TakeCommandsAsync());
        Assert.Equal(0, (await target.GetStatusAsync()).Figures.Refused);
        Assert.Empty((await target.GetStatusAsync()).Waiting);

        // Still routable here: the next agent to become ready takes it (the queue's own timer may be asking the
        // target again meanwhile, which is why this waits).
        await _world.Agent("a1").ReadyAsync();
        await RoutingScenario.EventuallyAsync(async () => await _world.OfferedToAsync("open", "c1") == _world.Id("a1"), "a1 is offered the call");
    }
}
