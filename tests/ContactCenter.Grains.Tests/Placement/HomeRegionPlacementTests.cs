using System.Collections.Concurrent;
using System.Collections.Immutable;
using ContactCenter.Agents;
using ContactCenter.Center;
using ContactCenter.Gateways;
using ContactCenter.Placement;
using ContactCenter.Queues;
using ContactCenter.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.TestingHost;

namespace ContactCenter.Tests.Placement;

/// <summary>
/// Queues and agents run in their home region while it has a live silo, move to the other region when it has
/// none, and come home for new activations once a silo of their region is back. Each test has its own cluster
/// of two silos (nanjing, huaian) sharing one SQLite database, as two regions share PostgreSQL.
/// </summary>
public sealed class HomeRegionPlacementTests : IAsyncLifetime
{
    private readonly string _folder = System.IO.Directory.CreateTempSubdirectory("cc-placement-").FullName;

    /// <summary>The region of each silo the cluster starts, in order: the third is the huaian silo's return.</summary>
    private readonly ConcurrentQueue<string> _regionsToStart = new(["nanjing", "huaian", "huaian"]);

    private readonly ConcurrentDictionary<int, string> _regionBySiloPort = new();

    private InProcessTestCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        var database = new DatabaseTarget(DatabaseKind.Sqlite, $"Data Source={Path.Combine(_folder, "cluster.db")};Pooling=True");
        await new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();

        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        builder.ConfigureSilo((options, silo) =>
        {
            _regionsToStart.TryDequeue(out var region);
            _regionBySiloPort[options.SiloPort] = region!;
            silo.UseRegion(region!);
            silo.Services.AddContactCenterGrains().AddContactCenterStorage(database).AddGatewayHealth(GatewayHealthOptions.Default);
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();

        await CenterDirectory().RegisterAsync(
            [new("q-nanjing", "nanjing"), new("q-huaian", "huaian"), new("q-huaian-late", "huaian")],
            [new("a-nanjing", "nanjing"), new("a-huaian", "huaian"), new("a-huaian-late", "huaian")]);
        await RefreshHomeRegionsEverywhereAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task QueuesAndAgentsAreActivatedOnASiloOfTheirHomeRegion()
    {
        await ConfigureQueueAsync("q-nanjing", "nanjing");
        await ConfigureQueueAsync("q-huaian", "huaian");
        await ConfigureAgentAsync("a-nanjing", "nanjing", "q-nanjing");
        await ConfigureAgentAsync("a-huaian", "huaian", "q-huaian");

        Assert.Equal("nanjing", await RegionOfAsync(Queue("q-nanjing")));
        Assert.Equal("huaian", await RegionOfAsync(Queue("q-huaian")));
        Assert.Equal("nanjing", await RegionOfAsync(Agent("a-nanjing")));
        Assert.Equal("huaian", await RegionOfAsync(Agent("a-huaian")));
    }

    [Fact]
    public async Task ALostRegionsQueueWorksOnTheSurvivorAndNewActivationsGoHomeAfterItsReturn()
    {
        await ConfigureQueueAsync("q-huaian", "huaian");
        await ConfigureAgentAsync("a-huaian", "huaian", "q-huaian");
        await Agent("a-huaian").LoginAsync("sip:a-huaian@huaian");
        Assert.Equal("huaian", await RegionOfAsync(Queue("q-huaian")));

        await _cluster.StopSiloAsync(SiloOf("huaian"));

        // The queue comes back from storage on the survivor, with its configuration and its agent.
        var status = await Queue("q-huaian").GetStatusAsync();
        Assert.Equal("huaian", status.Configuration!.Region);
        Assert.Contains("a-huaian", status.LoggedInAgentIds);
        Assert.Equal("nanjing", await RegionOfAsync(Queue("q-huaian")));
        Assert.Equal("nanjing", await RegionOfAsync(Agent("a-huaian")));

        var returned = await _cluster.StartAdditionalSiloAsync();
        await _cluster.WaitForLivenessToStabilizeAsync();
        await _cluster.WaitForClusterManifestToStabilizeAsync();
        await WaitUntilEverySiloKnowsTheRegionOfAsync(returned);

        // What is already running stays where it is (Orleans does not move live activations); what activates
        // from now on goes home.
        Assert.Equal("nanjing", await RegionOfAsync(Queue("q-huaian")));
        await ConfigureAgentAsync("a-huaian-late", "huaian", "q-huaian");
        Assert.Equal("huaian", await RegionOfAsync(Agent("a-huaian-late")));
        await ConfigureQueueAsync("q-huaian-late", "huaian");
        Assert.Equal("huaian", await RegionOfAsync(Queue("q-huaian-late")));
    }

    [Fact]
    public async Task AGrainWhoseRegionIsUnknownIsStillPlaced()
    {
        // Not in the directory (a queue id nobody configured, say): placed on some silo rather than refused.
        await Queue("q-unregistered").GetStatusAsync();
        var region = await RegionOfAsync(Queue("q-unregistered"));
        Assert.Contains(region, new[] { "nanjing", "huaian" });
    }

    private ICenterDirectoryGrain CenterDirectory() => _cluster.Client.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key);

    private IQueueGrain Queue(string id) => _cluster.Client.GetGrain<IQueueGrain>(id);

    private IAgentGrain Agent(string id) => _cluster.Client.GetGrain<IAgentGrain>(id);

    private Task ConfigureQueueAsync(string id, string region) => Queue(id).ConfigureAsync(new QueueConfiguration
    {
        Name = id,
        Region = region,
        Tiers = [new TierRule(1, TimeSpan.Zero)],
    });

    private Task ConfigureAgentAsync(string id, string region, string queue) =>
        Agent(id).ConfigureAsync(new AgentProfile(id, region, [new AgentSkill(queue, 1)]));

    private async Task<string> RegionOfAsync(IAddressable grain)
    {
        var silo = await _cluster.Client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain)
            ?? throw new InvalidOperationException($"{grain} is not active");
        return _regionBySiloPort[silo.Endpoint.Port];
    }

    private InProcessSiloHandle SiloOf(string region) =>
        _cluster.Silos.Single(s => _regionBySiloPort[s.SiloAddress.Endpoint.Port] == region);

    /// <summary>Silos learn a newcomer's metadata shortly after it joins; until then they cannot place by region.</summary>
    private async Task WaitUntilEverySiloKnowsTheRegionOfAsync(InProcessSiloHandle newcomer)
    {
        var caches = _cluster.Silos.Select(s => _cluster.GetSiloServiceProvider(s.SiloAddress).GetRequiredService<ISiloMetadataCache>()).ToList();
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!caches.All(cache => cache.GetSiloMetadata(newcomer.SiloAddress).Metadata.ContainsKey(SiloRegions.MetadataKey)))
        {
            Assert.True(DateTime.UtcNow < deadline, "the silos did not learn the new silo's region within 30 s");
            await Task.Delay(50);
        }
    }

    private async Task RefreshHomeRegionsEverywhereAsync()
    {
        foreach (var silo in _cluster.Silos)
        {
            await _cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<HomeRegionMap>().RefreshAsync();
        }
    }
}
