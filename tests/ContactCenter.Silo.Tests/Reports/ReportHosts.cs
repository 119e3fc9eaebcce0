using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Tests.Reports;

/// <summary>
/// Two silos for the report tests, one per database: embedded on a fresh SQLite file and cluster mode on a
/// private PostgreSQL. A test names the database it runs on; each test uses its own queue, agent and region ids.
/// </summary>
public sealed class ReportHosts : IAsyncLifetime
{
    public const string Sqlite = "sqlite";
    public const string PostgreSql = "postgresql";

    private readonly PostgresServer _postgres = new();
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-reports-").FullName;
    private SiloHost? _embedded;
    private SiloHost? _cluster;

    public SiloHost On(string database) => database switch
    {
        Sqlite => _embedded!,
        PostgreSql => _cluster!,
        _ => throw new ArgumentOutOfRangeException(nameof(database), database, "sqlite or postgresql"),
    };

    public async Task InitializeAsync()
    {
        await _postgres.InitializeAsync();
        var cluster = SiloHost.StartClusterAsync(await _postgres.CreateDatabaseAsync(), $"reports-{Guid.NewGuid():N}");
        var embedded = SiloHost.StartEmbeddedAsync(Path.Combine(_folder, "reports.db"));
        (_cluster, _embedded) = (await cluster, await embedded);
    }

    public async Task DisposeAsync()
    {
        foreach (var host in new[] { _embedded, _cluster })
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }

        await _postgres.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Configures a queue through the admin API with the thresholds the report must apply to its calls.</summary>
    public static async Task ConfigureQueueAsync(SiloHost host, string queue, double serviceLevelSeconds, double shortAbandonSeconds)
    {
        using var admin = host.Client(TestTokens.AdminToken);
        var response = await CenterClient.ExpectAsync(200, admin.PutAsJsonAsync($"/api/v1/admin/queues/{queue}", new
        {
            name = queue,
            region = "nanjing",
            tiers = new[] { new { tier = 1, afterSeconds = 0 } },
            serviceLevelSeconds,
            shortAbandonSeconds,
        }));
        response.Dispose();
    }

    /// <summary>A report as a supervisor reads it: the rows of the JSON answer.</summary>
    public static async Task<JsonArray> KpisAsync(SiloHost host, string query)
    {
        using var supervisor = host.Client(TestTokens.SupervisorToken);
        using var response = await CenterClient.ExpectAsync(200, supervisor.GetAsync($"/api/v1/reports/kpis?{query}"));
        return (await response.Content.ReadFromJsonAsync<JsonArray>())!;
    }
}

[CollectionDefinition(Name)]
public sealed class ReportsCollection : ICollectionFixture<ReportHosts>
{
    public const string Name = "reports";
}
