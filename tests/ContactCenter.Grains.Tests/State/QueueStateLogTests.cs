using ContactCenter.GrainState;
using ContactCenter.Queues;
using ContactCenter.Tests.Infrastructure;
using ContactCenter.Tests.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.Storage;
using Xunit.Abstractions;

namespace ContactCenter.Tests.State;

/// <summary>
/// A queue's state is written as a log (snapshot + changes): what a write stores is the size of what changed, not
/// of the queue, and the state read back from the log is the queue's.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class QueueStateLogTests(ClusterFixture fixture, ITestOutputHelper output)
{
    private readonly RoutingScenario _scenario = new(fixture);

    [Fact]
    public async Task AQueueHolding300CallsWritesOneCallsWorthPerChangeNotItsWholeState()
    {
        var queue = await _scenario.QueueAsync("busy");
        await _scenario.AgentAsync("resting", ready: false, ("busy", 1)); // logged in, so calls are queued, and routes none
        for (var n = 0; n < 300; n++)
        {
            Assert.Equal(EnqueueOutcome.Queued, await queue.EnqueueAsync(_scenario.Call($"c{n}")));
        }

        var snapshot = await SnapshotBytesAsync("busy");
        var (changes, largest) = await ChangesAsync("busy");
        output.WriteLine($"300 waiting calls: snapshot {snapshot:N0} B, {changes} changes in the log, the largest {largest:N0} B");
        Assert.True(changes > 0, "the queue's writes after its first went into its log");
        Assert.True(snapshot > 20_000 || largest * 20 < snapshot, $"snapshot {snapshot} B, largest change {largest} B");
        Assert.True(largest < 2_000, $"one call queued, one change: its largest was {largest} B (the queue's snapshot: {snapshot} B)");
    }

    [Fact]
    public async Task TheStateReadBackFromSnapshotAndLogIsTheQueuesAfterCallsCameWereOfferedAndLeft()
    {
        var queue = await _scenario.QueueAsync("replayed");
        await _scenario.AgentAsync("ready", ready: true, ("replayed", 1));
        await _scenario.AgentAsync("resting", ready: false, ("replayed", 1));
        for (var n = 0; n < 40; n++)
        {
            await queue.EnqueueAsync(_scenario.Call($"r{n}", vip: n % 7 == 0));
        }

        for (var n = 1; n < 40; n += 3)
        {
            await queue.RemoveAsync(_scenario.Id($"r{n}"), QueueExit.Abandoned, _scenario.Now);
        }

        await queue.SetPriorityAsync(_scenario.Id("r5"), 3);
        var live = await queue.GetStatusAsync();

        var stored = await ReadStoredAsync("replayed");
        Assert.Equal(
            live.Waiting.Select(w => (w.CallId, w.Vip, w.Priority, w.OfferedTo)).Order(),
            stored.Waiting.Values.Select(w => (w.Call.CallId, w.Call.Vip, w.Call.Priority, w.OfferedTo)).Order());
        Assert.Equal(live.Figures, QueueFigures.Of(stored.Kpis.Today));
        Assert.Equal(live.Configuration! with { Tiers = [] }, stored.Configuration! with { Tiers = [] });
        Assert.Equal(live.Configuration.Tiers.ToList(), stored.Configuration.Tiers.ToList());
        Assert.Equal(
            live.LoggedInAgentIds.Order(StringComparer.Ordinal),
            stored.Agents.Where(a => a.Value.Presence != ContactCenter.Agents.AgentPresence.LoggedOut).Select(a => a.Key).Order(StringComparer.Ordinal));
        Assert.Equal((await queue.GetKpisAsync()).Counters.Today, stored.Kpis.Today);
    }

    [Fact]
    public async Task TheLogIsReplacedByASnapshotBeforeItOutgrowsTheLimit()
    {
        var queue = await _scenario.QueueAsync("compacted");
        await _scenario.AgentAsync("resting", ready: false, ("compacted", 1));
        for (var n = 0; n < GroupCommitGrainStorage.MaxLogChanges + 50; n++)
        {
            await queue.EnqueueAsync(_scenario.Call($"k{n}"));
            await queue.RemoveAsync(_scenario.Id($"k{n}"), QueueExit.Abandoned, _scenario.Now);
        }

        var (changes, _) = await ChangesAsync("compacted");
        Assert.InRange(changes, 0, GroupCommitGrainStorage.MaxLogChanges);
        var snapshotVersion = await fixture.CountAsync(
            "SELECT snapshot_version FROM grain_state WHERE grain_id = $id AND state_name = 'queue'", ("$id", QueueGrainId("compacted")));
        Assert.True(snapshotVersion > 1, $"a snapshot was taken after the first (at version {snapshotVersion})");
        Assert.Empty((await ReadStoredAsync("compacted")).Waiting);
    }

    private string QueueGrainId(string name) => GrainId.Create("queue", _scenario.Id(name)).ToString();

    private async Task<long> SnapshotBytesAsync(string name) => await fixture.CountAsync(
        "SELECT length(payload) FROM grain_state WHERE grain_id = $id AND state_name = 'queue'", ("$id", QueueGrainId(name)));

    private async Task<(long Count, long Largest)> ChangesAsync(string name) => (
        await fixture.CountAsync("SELECT count(*) FROM grain_state_change WHERE grain_id = $id", ("$id", QueueGrainId(name))),
        await fixture.CountAsync("SELECT coalesce(max(length(payload)), 0) FROM grain_state_change WHERE grain_id = $id", ("$id", QueueGrainId(name))));

    /// <summary>The queue's state as a new activation would read it: the storage provider's own read.</summary>
    private async Task<QueueState> ReadStoredAsync(string name)
    {
        var services = fixture.Cluster.GetSiloServiceProvider(fixture.Cluster.Silos[0].SiloAddress);
        var storage = services.GetRequiredKeyedService<IGrainStorage>(StorageNames.GroupCommit);
        var state = new GrainState<QueueState>(new QueueState());
        await storage.ReadStateAsync("queue", GrainId.Create("queue", _scenario.Id(name)), state);
        Assert.True(state.RecordExists);
        return state.State!;
    }
}
