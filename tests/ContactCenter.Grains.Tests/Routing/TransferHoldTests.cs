using ContactCenter.Agents;
using ContactCenter.Gateways;
using ContactCenter.Queues;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Routing;

/// <summary>
/// A transfer to an agent through a queue: the queue keeps the agent for the call (offered no other call) until it
/// arrives, offers it to them first whatever the tiers say, and lets anyone take it once the agent misses its ring
/// or the hold runs out; an agent who is not free cannot be held.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class TransferHoldTests(ClusterFixture fixture)
{
    private readonly RoutingScenario _world = new(fixture);

    [Fact]
    public async Task TheHeldAgentIsOfferedNoOtherCallAndGetsTheTransferredOneFirst()
    {
        var queue = await _world.QueueAsync("billing");
        await _world.AgentAsync("target", ready: true, ("billing", 1));

        Assert.Equal(TransferHoldOutcome.Held, await queue.HoldForTransferAsync(_world.Id("transferred"), _world.Id("target")));
        Assert.Equal(TransferHoldOutcome.Held, await queue.HoldForTransferAsync(_world.Id("transferred"), _world.Id("target")));
        Assert.Equal(TransferHoldOutcome.NotAvailable, await queue.HoldForTransferAsync(_world.Id("other-transfer"), _world.Id("target")));
        _world.Advance(TimeSpan.FromSeconds(5));
        await queue.EnqueueAsync(_world.Call("waiting-long", waitingSince: _world.Now.AddMinutes(-5)));
        await queue.EvaluateAsync();
        Assert.Null(await _world.OfferedToAsync("billing", "waiting-long"));

        await queue.EnqueueAsync(_world.Call("transferred"));

        var connect = Assert.IsType<ConnectToAgent>(Assert.Single(await _world.TakeCommandsAsync()));
        Assert.Equal((_world.Id("transferred"), _world.Id("target")), (connect.CallId, connect.AgentId));
        Assert.Null(await _world.OfferedToAsync("billing", "waiting-long"));
    }

    [Fact]
    public async Task AHeldAgentWhoMissesTheRingLeavesTheCallToAnyone()
    {
        // The target is a tier-2 agent who, by the tiers, would not be offered a new call for a minute: the transfer
        // goes to them at once all the same.
        var queue = await _world.QueueAsync("billing", c => c with { OfferTimeout = TimeSpan.FromSeconds(10) }, Tiers.At(1, 0), Tiers.At(2, 60));
        await _world.AgentAsync("target", ready: true, ("billing", 2));
        await _world.AgentAsync("colleague", ready: false, ("billing", 1));
        Assert.Equal(TransferHoldOutcome.Held, await queue.HoldForTransferAsync(_world.Id("c1"), _world.Id("target")));
        await queue.EnqueueAsync(_world.Call("c1"));
        Assert.IsType<ConnectToAgent>(Assert.Single(await _world.TakeCommandsAsync()));

        _world.Advance(TimeSpan.FromSeconds(10));
        await queue.EvaluateAsync();
        await _world.ReadyAsync("colleague", "billing");

        Assert.Equal(_world.Id("colleague"), await _world.OfferedToAsync("billing", "c1"));
    }

    [Fact]
    public async Task AHoldThatRunsOutFreesTheAgentForOtherCalls()
    {
        var queue = await _world.QueueAsync("billing");
        await _world.AgentAsync("target", ready: true, ("billing", 1));
        Assert.Equal(TransferHoldOutcome.Held, await queue.HoldForTransferAsync(_world.Id("never-came"), _world.Id("target")));
        await queue.EnqueueAsync(_world.Call("c2"));
        Assert.Null(await _world.OfferedToAsync("billing", "c2"));

        _world.Advance(TransferHolds.HoldTime);
        await queue.EvaluateAsync();

        Assert.Equal(_world.Id("target"), await _world.OfferedToAsync("billing", "c2"));
    }

    [Fact]
    public async Task OnlyAnAvailableAgentOfTheQueueCanBeHeld()
    {
        var queue = await _world.QueueAsync("billing");
        await _world.QueueAsync("sales");
        await _world.AgentAsync("busy", ready: true, ("billing", 1));
        await _world.AgentAsync("resting", ready: false, ("billing", 1));
        await _world.AgentAsync("elsewhere", ready: true, ("sales", 1));
        await queue.EnqueueAsync(_world.Call("c1"));
        Assert.Equal(_world.Id("busy"), await _world.OfferedToAsync("billing", "c1"));

        Assert.Equal(TransferHoldOutcome.NotAvailable, await queue.HoldForTransferAsync(_world.Id("t1"), _world.Id("busy")));
        Assert.Equal(TransferHoldOutcome.NotAvailable, await queue.HoldForTransferAsync(_world.Id("t1"), _world.Id("resting")));
        Assert.Equal(TransferHoldOutcome.NotInQueue, await queue.HoldForTransferAsync(_world.Id("t1"), _world.Id("elsewhere")));
        Assert.Equal(TransferHoldOutcome.UnknownQueue, await _world.Queue("nowhere").HoldForTransferAsync(_world.Id("t1"), _world.Id("busy")));
    }
}
