using ContactCenter.Gateways;
using ContactCenter.Queues;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Routing;

/// <summary>Calls a queue cannot take get a clear answer at once, and the gateway hears it.</summary>
[Collection(ClusterCollection.Name)]
public sealed class QueueAdmissionTests(ClusterFixture fixture)
{
    private readonly RoutingScenario _world = new(fixture);

    [Fact]
    public async Task AFullQueueAnswersBusy()
    {
        var queue = await _world.QueueAsync("small", c => c with { MaxLength = 1 });
        await _world.AgentAsync("a1", ready: false, ("small", 1));
        Assert.Equal(EnqueueOutcome.Queued, await queue.EnqueueAsync(_world.Call("c1")));

        Assert.Equal(EnqueueOutcome.Full, await queue.EnqueueAsync(_world.Call("c2")));

        Assert.Contains(new PlayBusy(_world.Id("c2"), _world.Id("small"), "queue_full"), await _world.TakeCommandsAsync());
        Assert.Equal(1, (await queue.GetStatusAsync()).Figures.Refused);
        // The call already waiting keeps its place; asking again for it is not a second call.
        Assert.Equal(EnqueueOutcome.Queued, await queue.EnqueueAsync(_world.Call("c1")));
    }

    [Fact]
    public async Task AQueueWithNobodyLoggedInPlaysAnAnnouncement()
    {
        var queue = await _world.QueueAsync("night");

        Assert.Equal(EnqueueOutcome.NobodyLoggedIn, await queue.EnqueueAsync(_world.Call("c1")));

        Assert.Contains(new PlayAnnouncement(_world.Id("c1"), _world.Id("night"), Announcements.NobodyLoggedIn), await _world.TakeCommandsAsync());
        Assert.Empty((await queue.GetStatusAsync()).Waiting);
    }

    [Fact]
    public async Task AnUnconfiguredQueueRefusesTheCall()
    {
        Assert.Equal(EnqueueOutcome.UnknownQueue, await _world.Queue("nonexistent").EnqueueAsync(_world.Call("c1")));

        Assert.Contains(new PlayBusy(_world.Id("c1"), _world.Id("nonexistent"), "unknown_queue"), await _world.TakeCommandsAsync());
    }

    [Fact]
    public async Task ACallPastTheMaximumWaitIsToldToTryLater()
    {
        var queue = await _world.QueueAsync("slow", c => c with { MaxWait = TimeSpan.FromMinutes(2) });
        await _world.AgentAsync("a1", ready: false, ("slow", 1));
        await queue.EnqueueAsync(_world.Call("c1", waitingSince: _world.Now.AddSeconds(-90)));

        _world.Advance(TimeSpan.FromSeconds(30));
        await queue.EvaluateAsync();

        Assert.Empty((await queue.GetStatusAsync()).Waiting);
        Assert.Contains(new PlayAnnouncement(_world.Id("c1"), _world.Id("slow"), Announcements.MaxWaitReached), await _world.TakeCommandsAsync());

        // A late repeat of the call's arrival does not bring it back.
        await queue.EnqueueAsync(_world.Call("c1", waitingSince: _world.Now.AddSeconds(-120)));
        Assert.Empty((await queue.GetStatusAsync()).Waiting);
    }

    [Fact]
    public async Task AnInvalidConfigurationIsRefusedWithItsReason()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => _world.QueueAsync("bad", c => c with { OverflowQueue = "elsewhere" }));

        Assert.Contains("overflowQueue and overflowAfter go together", error.Message);
    }
}
