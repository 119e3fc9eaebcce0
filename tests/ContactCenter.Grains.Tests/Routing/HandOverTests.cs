using ContactCenter.Gateways;
using ContactCenter.Queues;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Routing;

/// <summary>A hand-over between queues (overflow, a supervisor's move) ends with exactly one queue holding the call, whatever the timing.</summary>
[Collection(ClusterCollection.Name)]
public sealed class HandOverTests(ClusterFixture fixture)
{
    private readonly RoutingScenario _world = new(fixture);

    [Fact]
    public async Task AMoveWhoseAnswerComesLongAfterItsTimeoutLeavesTheCallInOneQueue()
    {
        var source = await _world.QueueAsync("source");
        var target = await _world.QueueAsync("target");
        await _world.AgentAsync("a1", ready: false, ("source", 1));
        await _world.AgentAsync("b1", ready: false, ("target", 1));
        await source.EnqueueAsync(_world.Call("c1"));
        // The move's driver takes the call from the source, then stalls for minutes before the target is asked.
        var start = await source.BeginMoveAsync(_world.Id("c1"), _world.Id("target"), "sup-1");
        _world.Advance(TimeSpan.FromMinutes(3));
        await source.EvaluateAsync();

        var taken = await target.EnqueueAsync(start.Call!);
        await source.FinishMoveAsync(_world.Id("c1"), _world.Id("target"), taken == EnqueueOutcome.Queued);

        await RoutingScenario.EventuallyAsync(async () => await WaitsInAsync(source) != await WaitsInAsync(target), "the hand-over settles");
        await _world.TakeCommandsAsync();
        await _world.ReadyAsync("a1", "source");
        await _world.ReadyAsync("b1", "target");
        Assert.Single((await _world.TakeCommandsAsync()).OfType<ConnectToAgent>(), c => c.CallId == _world.Id("c1"));
    }

    [Fact]
    public async Task ATargetsAcceptanceArrivingAfterTheSourceKeptTheCallIsRevoked()
    {
        var source = await _world.QueueAsync("source");
        var target = await _world.QueueAsync("target");
        await _world.AgentAsync("a1", ready: false, ("source", 1));
        await _world.AgentAsync("b1", ready: false, ("target", 1));
        await source.EnqueueAsync(_world.Call("c1"));
        // The target took the call from an earlier ask, but its "yes" arrives after the source had taken a "no" and kept it.
        await target.EnqueueAsync(_world.Call("c1") with { OverflowedFrom = _world.Id("source") });

        await source.AsReference<IQueuePeer>().OverflowSettledAsync(_world.Id("c1"), _world.Id("target"), accepted: true);

        await RoutingScenario.EventuallyAsync(async () => !await WaitsInAsync(target), "the target lets the call go");
        Assert.True(await WaitsInAsync(source));
    }

    private async Task<bool> WaitsInAsync(IQueueGrain queue) => (await queue.GetStatusAsync()).Waiting.Any(w => w.CallId == _world.Id("c1"));
}
