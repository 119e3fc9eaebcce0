using System.Net.Http.Json;
using ContactCenter.Failover.Tests.Cluster;

namespace ContactCenter.Failover.Tests;

/// <summary>
/// Prometheus scraping both regions' silo processes, as in production (one silo per process, on PostgreSQL):
/// every metric the Grafana dashboard shows is exported, the libraries' (runtime, ASP.NET Core, Orleans, Npgsql)
/// next to the contact center's own.
/// </summary>
[Slow("two silo processes on a private PostgreSQL")]
public sealed class MetricsScrapeTests : IAsyncLifetime
{
    private readonly string _artifacts = Path.Combine(RepositoryFolder.Root(), "artifacts", "metrics");
    private TwoRegionCluster _cluster = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_artifacts);
        _cluster = await TwoRegionCluster.StartAsync(_artifacts, CancellationToken.None);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task EveryMetricTheGrafanaDashboardShowsIsExportedByEverySilo()
    {
        // Something for every series: a queue with an agent, a gateway polling, a call answered (a service level)
        // and one waiting.
        var nanjing = _cluster.Silo("nanjing").Address;
        using var admin = Client(nanjing, TestTokens.AdminToken);
        using var gateway = Client(nanjing, TestTokens.NanjingToken);
        await _cluster.PutQueueAsync("billing", new { name = "billing", region = "nanjing", tiers = new[] { new { tier = 1, afterSeconds = 0 } } });
        Assert.True((await admin.PutAsJsonAsync("/api/v1/admin/agents/a1", new { name = "a1", region = "nanjing", skills = new[] { new { queue = "billing", tier = 1 } } })).IsSuccessStatusCode);
        Assert.True((await admin.PostAsJsonAsync("/api/v1/agents/a1/login", new { endpoint = "sip:a1@pbx.test" })).IsSuccessStatusCode);
        Assert.True((await admin.PostAsync("/api/v1/agents/a1/ready", null)).IsSuccessStatusCode);
        Assert.True((await gateway.GetAsync("/api/v1/gateway/commands?wait=0")).IsSuccessStatusCode);
        var first = await new GatewayBatch().Offered("m-c1").Event("m-c1", 2, "queued", new { queue = "billing" }).Event("m-c1", 3, "answered", new { agent = "a1" }).PostAsync(gateway);
        Assert.Equal(3, first.Count("acknowledged"));
        var second = await new GatewayBatch().Offered("m-c2").Event("m-c2", 2, "queued", new { queue = "billing" }).PostAsync(gateway);
        Assert.Equal(2, second.Count("acknowledged"));
        // The other region's gateway reports a call to its own silo: every silo has counted events and commits.
        using var huaianGateway = Client(_cluster.Silo("huaian").Address, TestTokens.HuaianToken);
        var third = await new GatewayBatch().Offered("m-c3", region: "huaian").PostAsync(huaianGateway);
        Assert.Equal(1, third.Count("acknowledged"));

        var dashboard = PrometheusScrape.DashboardMetrics();
        Assert.NotEmpty(dashboard);
        foreach (var region in TwoRegionCluster.RegionNames)
        {
            using var supervisor = Client(_cluster.Silo(region).Address, TestTokens.SupervisorToken);
            var scrape = await ScrapeUntilAsync(supervisor, s => s.Has("contact_center_queue_service_level") && s.Has("contact_center_gateway_open_commands"));
            var missing = dashboard.Where(name => !scrape.Has(name)).ToList();
            Assert.True(missing.Count == 0, $"{region}'s silo does not export what the dashboard shows: {string.Join(", ", missing)}");
            // PostgreSQL's client: the pool's connections, for the operators' own panels.
            Assert.True(scrape.Has("db_client_connection_count"), $"{region}'s silo exports no Npgsql metrics");
        }
    }

    private static HttpClient Client(Uri silo, string token)
    {
        var client = new HttpClient { BaseAddress = silo, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", token);
        return client;
    }

    /// <summary>A new queue joins the figures within the wallboard's directory period (10 s).</summary>
    private static Task<PrometheusScrape> ScrapeUntilAsync(HttpClient supervisor, Func<PrometheusScrape, bool> condition) =>
        Eventually.ReadAsync(() => PrometheusScrape.ReadAsync(supervisor), condition, TimeSpan.FromSeconds(30));
}
