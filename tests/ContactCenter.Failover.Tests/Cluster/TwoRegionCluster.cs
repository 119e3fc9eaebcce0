using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using ContactCenter.GatewayClient;

namespace ContactCenter.Failover.Tests.Cluster;

/// <summary>
/// The reference deployment in miniature: one PostgreSQL shared by a nanjing silo and a huaian silo, each a
/// process of its own with its own HTTP endpoint, and the operator's view of them (admin and supervisor calls).
/// </summary>
public sealed class TwoRegionCluster : IAsyncDisposable
{
    public static readonly string[] RegionNames = ["nanjing", "huaian"];

    private readonly PostgresServer _postgres = new();
    private readonly Dictionary<string, SiloProcess> _silos = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(15) };

    private TwoRegionCluster()
    {
    }

    public string ConnectionString { get; private set; } = "";

    public SiloProcess Silo(string region) => _silos[region];

    public static string OtherRegion(string region) => region == RegionNames[0] ? RegionNames[1] : RegionNames[0];

    /// <summary>The regions as a gateway homed in <paramref name="home"/> lists them: its own first.</summary>
    public IReadOnlyList<Region> RegionsFor(string home) =>
        [new(home, Silo(home).Address), new(OtherRegion(home), Silo(OtherRegion(home)).Address)];

    public static async Task<TwoRegionCluster> StartAsync(string logFolder, CancellationToken cancellationToken)
    {
        var cluster = new TwoRegionCluster();
        await cluster._postgres.InitializeAsync();
        cluster.ConnectionString = await cluster._postgres.CreateDatabaseAsync();
        var clusterId = $"failover-{Guid.NewGuid():N}";
        foreach (var region in RegionNames)
        {
            cluster._silos[region] = new SiloProcess(region, cluster.ConnectionString, clusterId, logFolder);
        }

        // One after the other: the first applies the schema, the second finds it done.
        foreach (var region in RegionNames)
        {
            await cluster._silos[region].StartAsync(cancellationToken);
        }

        return cluster;
    }

    /// <summary>Applies a center definition (the center file's format) through the admin API of a live region.</summary>
    public async Task ApplyCenterAsync(object center)
    {
        var response = await SendAsync(HttpMethod.Post, "api/v1/admin/center", TestTokens.AdminToken, center);
        await EnsureAsync(response, "applying the center");
    }

    public async Task PutQueueAsync(string queueId, object queue)
    {
        var response = await SendAsync(HttpMethod.Put, $"api/v1/admin/queues/{queueId}", TestTokens.AdminToken, queue);
        await EnsureAsync(response, $"configuring queue {queueId}");
    }

    /// <summary>GET as an admin from the first live region; the JSON answer.</summary>
    public async Task<JsonElement> GetAsync(string path)
    {
        var response = await SendAsync(HttpMethod.Get, path, TestTokens.AdminToken, null);
        await EnsureAsync(response, $"GET {path}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task PostAsAdminAsync(string path, object body)
    {
        var response = await SendAsync(HttpMethod.Post, path, TestTokens.AdminToken, body);
        await EnsureAsync(response, $"POST {path}");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var silo in _silos.Values)
        {
            await silo.DisposeAsync();
        }

        await _postgres.DisposeAsync();
        _http.Dispose();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string token, object? body)
    {
        var silo = _silos.Values.FirstOrDefault(s => s.IsRunning) ?? throw new InvalidOperationException("no region is running");
        using var request = new HttpRequestMessage(method, new Uri(silo.Address, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        return await _http.SendAsync(request);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{what}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }
}
