using ContactCenter.Agents;
using ContactCenter.Gateways;
using ContactCenter.Queues;
using ContactCenter.Tests.Calls;
using ContactCenter.Tests.Infrastructure;
using Orleans.Core.Internal;

namespace ContactCenter.Tests.Routing;

/// <summary>A supervisor moves a waiting call to another queue, or raises its priority.</summary>
[Collection(ClusterCollection.Name)]
public sealed class SupervisorMoveTests(ClusterFixture fixture)
{
    private readonly RoutingScenario _world = new(fixture);

    [Fact]
    public async Task AMovedCallKeepsItsOriginalWaitAndSurvivesTheTargetsAudit()
    {
        var source = await _world.QueueAsync("source");
        var target = await _world.QueueAsync("target");
        await _world.AgentAsync("a1", ready: false, ("source", 1));
        await _world.AgentAsync("b1", ready: false, ("target", 1));
        var startedAt = _world.Now;
        // The call's own record says it was queued in the source, as its gateway reported it.
        var moved = new CallScript(_world.Id("moved"), _world.Now);
        await _world.CommitWithoutEffectsAsync(moved.Offered(), moved.Queued(_world.Id("source")));
        await source.EnqueueAsync(_world.Call("moved"));
        _world.Advance(TimeSpan.FromSeconds(30));
        // A call the target's audit must remove (it ended unheard): once it is gone, the audit has run.
        var gone = new CallScript(_world.Id("gone"), _world.Now);
        await _world.CommitWithoutEffectsAsync(gone.Offered(), gone.Queued(_world.Id("target")), gone.After(1).Ended());
        await target.EnqueueAsync(_world.Call("gone"));

        var result = await MoveAsync("source", "moved", "target");

        Assert.Equal(MoveStatus.Moved, result.Status);
        Assert.Empty((await source.GetStatusAsync()).Waiting);
        Assert.Equal(startedAt, (await target.GetStatusAsync()).Waiting.Single(w => w.CallId == _world.Id("moved")).WaitingSince);
        Assert.Contains(new CallMoved(_world.Id("moved"), _world.Id("source"), _world.Id("target"), "sup-1"), await _world.TakeCommandsAsync());

        _world.Advance(WaitingCallAudit.Period);

        await RoutingScenario.EventuallyAsync(async () => (await target.GetStatusAsync()).Waiting.All(w => w.CallId != _world.Id("gone")), "the target's audit runs");
        Assert.Equal([_world.Id("moved")], (await target.GetStatusAsync()).Waiting.Select(w => w.CallId));
    }

    [Fact]
    public async Task AMoveWithdrawsTheOfferFromTheRingingAgentWithoutBlamingThem()
    {
        var source = await _world.QueueAsync("source", c => c with { OfferTimeout = TimeSpan.FromMinutes(2) });
        var target = await _world.QueueAsync("target");
        await _world.AgentAsync("a1", ready: true, ("source", 1));
        await _world.AgentAsync("b1", ready: false, ("target", 1));
        await source.EnqueueAsync(_world.Call("c1"));
        Assert.Equal(_world.Id("a1"), await _world.OfferedToAsync("source", "c1"));
        await _world.TakeCommandsAsync();

        var result = await MoveAsync("source", "c1", "target");

        Assert.Equal((MoveStatus.Moved, _world.Id("a1")), (result.Status, result.WithdrawnFrom));
        var agent = await _world.Agent("a1").GetStatusAsync();
        Assert.Equal((AgentPresence.Available, null, 0), (agent.Presence, agent.Offer, agent.Figures.Missed));
        var commands = await _world.TakeCommandsAsync();
        Assert.Contains(new CancelConnect(_world.Id("c1"), _world.Id("a1")), commands);
        Assert.Contains(new CallMoved(_world.Id("c1"), _world.Id("source"), _world.Id("target"), "sup-1"), commands);
        Assert.Equal([(_world.Id("c1"), (string?)null)], (await target.GetStatusAsync()).Waiting.Select(w => (w.CallId, w.OfferedTo)));

        // The source hears the agent is free again and gives them its next call.
        await source.EnqueueAsync(_world.Call("next"));
        await RoutingScenario.EventuallyAsync(async () => await _world.OfferedToAsync("source", "next") == _world.Id("a1"), "a1 is offered the next call");
    }

    [Fact]
    public async Task NewsOfAMovedCallSentToItsFirstQueueFollowsIt()
    {
        var source = await _world.QueueAsync("source");
        var target = await _world.QueueAsync("target");
        await _world.AgentAsync("a1", ready: false, ("source", 1), ("target", 1));
        await source.EnqueueAsync(_world.Call("c1"));
        Assert.Equal(MoveStatus.Moved, (await MoveAsync("source", "c1", "target")).Status);

        // The caller hangs up; the call's effects tell the queue its events put it in.
        await source.RemoveAsync(_world.Id("c1"), QueueExit.Abandoned, _world.Now.AddSeconds(10));

        await RoutingScenario.EventuallyAsync(async () => (await target.GetStatusAsync()).Figures.Abandoned == 1, "the news reached the target");
        Assert.Empty((await target.GetStatusAsync()).Waiting);
    }

    [Fact]
    public async Task AMoveTheTargetCannotTakeLeavesTheCallWhereItWas()
    {
        var source = await _world.QueueAsync("source");
        var target = await _world.QueueAsync("closed");
        await _world.AgentAsync("a1", ready: false, ("source", 1));
        await source.EnqueueAsync(_world.Call("c1"));

        var result = await MoveAsync("source", "c1", "closed");

        Assert.Equal((MoveStatus.TargetRefused, EnqueueOutcome.NobodyLoggedIn), (result.Status, result.TargetOutcome));
        Assert.Empty((await target.GetStatusAsync()).Waiting);
        Assert.DoesNotContain(await _world.TakeCommandsAsync(), c => c is CallMoved or PlayAnnouncement);
        await _world.ReadyAsync("a1", "source");
        Assert.Equal(_world.Id("a1"), await _world.OfferedToAsync("source", "c1"));
    }

    [Fact]
    public async Task AMoveWhoseDriverFailedIsSettledByTheSourceItself()
    {
        var source = await _world.QueueAsync("source");
        var target = await _world.QueueAsync("target");
        await _world.AgentAsync("a1", ready: false, ("source", 1), ("target", 1));
        await source.EnqueueAsync(_world.Call("c1"));
        // The first step only, as if the request driving the move died before the target heard of it.
        Assert.Null((await source.BeginMoveAsync(_world.Id("c1"), _world.Id("target"), "sup-1")).Refusal);

        _world.Advance(TimeSpan.FromSeconds(11));
        await source.EvaluateAsync();

        await RoutingScenario.EventuallyAsync(async () => (await source.GetStatusAsync()).Waiting.IsEmpty, "the move is settled");
        Assert.Equal([_world.Id("c1")], (await target.GetStatusAsync()).Waiting.Select(w => w.CallId));
        Assert.Contains(new CallMoved(_world.Id("c1"), _world.Id("source"), _world.Id("target"), "sup-1"), await _world.TakeCommandsAsync());
        Assert.Equal(0, (await source.GetStatusAsync()).Figures.Overflowed);
    }

    [Fact]
    public async Task ACallBeingHandedOverOrNotWaitingCannotBeMoved()
    {
        var source = await _world.QueueAsync("source");
        await _world.QueueAsync("target");
        await _world.AgentAsync("a1", ready: false, ("source", 1), ("target", 1));
        await source.EnqueueAsync(_world.Call("c1"));
        await source.BeginMoveAsync(_world.Id("c1"), _world.Id("target"), "sup-1");

        Assert.Equal(MoveStatus.BeingHandedOver, (await MoveAsync("source", "c1", "target")).Status);
        Assert.Equal(MoveStatus.NotWaiting, (await MoveAsync("source", "nobody", "target")).Status);
        await Assert.ThrowsAsync<ArgumentException>(() => MoveAsync("target", "c1", "target"));
    }

    [Fact]
    public async Task ARaisedPriorityIsRoutedAheadAndSurvivesDeactivation()
    {
        var queue = await _world.QueueAsync("gotone");
        await _world.AgentAsync("a1", ready: false, ("gotone", 1));
        await queue.EnqueueAsync(_world.Call("vip-and-older", vip: true));
        _world.Advance(TimeSpan.FromSeconds(10));
        await queue.EnqueueAsync(_world.Call("raised"));

        var change = await queue.SetPriorityAsync(_world.Id("raised"), 5);

        Assert.Equal((null, 5), (change.Refusal, change.Call?.Priority));
        await queue.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        Assert.Equal(5, (await queue.GetStatusAsync()).Waiting.Single(w => w.CallId == _world.Id("raised")).Priority);
        await _world.ReadyAsync("a1", "gotone");
        Assert.Equal(_world.Id("a1"), await _world.OfferedToAsync("gotone", "raised"));
        Assert.Null(await _world.OfferedToAsync("gotone", "vip-and-older"));
    }

    [Fact]
    public async Task APriorityOutOfRangeOrForACallNotWaitingIsRefused()
    {
        var queue = await _world.QueueAsync("gotone");
        await _world.AgentAsync("a1", ready: false, ("gotone", 1));
        await queue.EnqueueAsync(_world.Call("c1"));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.SetPriorityAsync(_world.Id("c1"), CallPriorities.Highest + 1));
        Assert.Equal(WaitingCallRefusal.NotWaiting, (await queue.SetPriorityAsync(_world.Id("nobody"), 3)).Refusal);
        Assert.Equal(CallPriorities.Normal, (await queue.GetStatusAsync()).Waiting.Single().Priority);
    }

    private Task<MoveResult> MoveAsync(string from, string call, string to) =>
        SupervisorMoves.MoveAsync(_world.Grains, _world.Id(from), _world.Id(call), _world.Id(to), "sup-1");
}
