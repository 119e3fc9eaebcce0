using System.Collections.Immutable;
using System.Diagnostics;
using System.Net.Http.Json;
using ContactCenter.Agents;
using ContactCenter.Center;
using ContactCenter.Queues;
using ContactCenter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Tests.Ingest;

/// <summary>
/// Ids the center does not have activate no grain: a queue grain keeps itself alive with its timer, so each made-up
/// id would stay in memory for good. The ingest path and the APIs ask the silo's copy of the center instead.
/// </summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class UnknownIdTests(EmbeddedHostFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    private IGrainFactory Grains => fixture.Host.Services.GetRequiredService<IGrainFactory>();

    [Fact]
    public async Task AnEventNamingAnUnknownQueueIsRejectedAndActivatesNoQueue()
    {
        await _center.QueueAsync("known");
        var (queued, transferred) = (_center.Id("queued"), _center.Id("transferred"));
        var unknown = _center.Id("no-such-queue");

        var reply = await new GatewayBatch()
            .Offered(queued)
            .Event(queued, 2, "queued", new { queue = unknown })
            .Offered(transferred)
            .Event(transferred, 2, "queued", new { queue = _center.Id("known") })
            .Event(transferred, 3, "answered", new { agent = _center.Id("a1") })
            .Event(transferred, 4, "transferred", new { toQueue = unknown })
            .PostAsync(_center.Gateway);

        Assert.Equal(200, reply.Status);
        Assert.Equal(("rejected", $"unknown queue '{unknown}'"), (reply.Outcome(1), reply.Reason(1)));
        Assert.Equal(("rejected", $"'toQueue': unknown queue '{unknown}'"), (reply.Outcome(5), reply.Reason(5)));
        Assert.Equal(["accepted", "accepted", "accepted", "accepted"], [reply.Outcome(0), reply.Outcome(2), reply.Outcome(3), reply.Outcome(4)]);
        Assert.Equal(0, await ActivationsAsync(Grains.GetGrain<IQueueGrain>(unknown)));
    }

    [Fact]
    public async Task AnUnknownQueueOrAgentIsNotFoundAndActivatesNoGrain()
    {
        var (queue, agent) = (_center.Id("no-such-queue"), _center.Id("no-such-agent"));

        await CenterClient.ExpectAsync(404, _center.Admin.GetAsync($"/api/v1/queues/{queue}"));
        await CenterClient.ExpectAsync(404, _center.Admin.GetAsync($"/api/v1/agents/{agent}"));
        await CenterClient.ExpectAsync(404, _center.Admin.GetAsync($"/api/v1/agents/{agent}/screen-pop"));

        Assert.Equal(0, await ActivationsAsync(Grains.GetGrain<IQueueGrain>(queue)));
        Assert.Equal(0, await ActivationsAsync(Grains.GetGrain<IAgentGrain>(agent)));
    }

    [Fact]
    public async Task ASupervisorMoveNamingAnUnknownQueueIsRefusedAndActivatesNoQueue()
    {
        await _center.QueueAsync("known");
        using var supervisor = fixture.Host.Client(TestTokens.SupervisorToken);
        var (source, target) = (_center.Id("no-such-source"), _center.Id("no-such-target"));

        var fromUnknown = await CenterClient.ExpectAsync(404, supervisor.PostAsJsonAsync($"/api/v1/supervisor/queues/{source}/calls/c1/move", new { toQueue = _center.Id("known") }));
        var toUnknown = await CenterClient.ExpectAsync(400, supervisor.PostAsJsonAsync($"/api/v1/supervisor/queues/{_center.Id("known")}/calls/c1/move", new { toQueue = target }));

        Assert.Contains($"there is no queue '{source}'", await fromUnknown.Content.ReadAsStringAsync());
        Assert.Contains($"there is no queue '{target}'", await toUnknown.Content.ReadAsStringAsync());
        Assert.Equal(0, await ActivationsAsync(Grains.GetGrain<IQueueGrain>(source)));
        Assert.Equal(0, await ActivationsAsync(Grains.GetGrain<IQueueGrain>(target)));
    }

    [Fact]
    public async Task ASupervisorPriorityForAnUnknownQueueIsNotFoundAndActivatesNoQueue()
    {
        using var supervisor = fixture.Host.Client(TestTokens.SupervisorToken);
        var queue = _center.Id("no-such-queue");

        var refused = await CenterClient.ExpectAsync(404, supervisor.PostAsJsonAsync($"/api/v1/supervisor/queues/{queue}/calls/c1/priority", new { priority = 1 }));

        Assert.Contains($"there is no queue '{queue}'", await refused.Content.ReadAsStringAsync());
        Assert.Equal(0, await ActivationsAsync(Grains.GetGrain<IQueueGrain>(queue)));
    }

    [Fact]
    public async Task AQueueConfiguredElsewhereAMomentAgoIsKnownWithinASecondOrSo()
    {
        // As another silo's admin API does it: straight into the directory and the queue, without this silo's
        // copy of the center hearing of it. The copy reads the directory again when it meets the unknown id.
        var queue = _center.Id("elsewhere");
        await Grains.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key).RegisterAsync([new CenterMember(queue, "nanjing")], ImmutableArray<CenterMember>.Empty);
        await Grains.GetGrain<IQueueGrain>(queue).ConfigureAsync(new QueueConfiguration { Name = queue, Region = "nanjing", Tiers = [new TierRule(1, TimeSpan.Zero)] });
        var elapsed = Stopwatch.StartNew();

        string outcome;
        var attempt = 0;
        do
        {
            var call = _center.Id($"call-{attempt++}");
            var reply = await new GatewayBatch().Offered(call).Event(call, 2, "queued", new { queue }).PostAsync(_center.Gateway);
            outcome = reply.Outcome(1);
        }
        while (outcome != "accepted" && elapsed.Elapsed < TimeSpan.FromSeconds(10));

        Assert.Equal("accepted", outcome);
        // Well before the copy's periodic read (every 5 s) could have brought it.
        Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(2.5), $"known after {elapsed.Elapsed}");
    }

    private async Task<int> ActivationsAsync(IAddressable grain) =>
        await Grains.GetGrain<IManagementGrain>(0).GetGrainActivationCount((GrainReference)grain);
}
