using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace ContactCenter.GatewayClient.Tests.Infrastructure;

/// <summary>
/// Two embedded silos, each with its own SQLite file, standing for two regions: nanjing (home) and huaian.
/// They share nothing, so an event acknowledged by one is unknown to the other, which is what the tests check.
/// </summary>
public sealed class TwoRegionsFixture : IAsyncLifetime
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("cc-client-").FullName;

    public SiloHost Nanjing { get; private set; } = null!;

    public SiloHost Huaian { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var (nanjing, huaian) = (SiloHost.StartEmbeddedAsync(Path.Combine(Folder, "nanjing.db")), SiloHost.StartEmbeddedAsync(Path.Combine(Folder, "huaian.db")));
        (Nanjing, Huaian) = (await nanjing, await huaian);
    }

    public async Task DisposeAsync()
    {
        await Nanjing.DisposeAsync();
        await Huaian.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(Folder, recursive: true);
    }

    /// <summary>A silo listening at <paramref name="address"/> (rather than a port of its own choosing), so a test can stop it and start it again where the client expects it.</summary>
    public static Task<SiloHost> StartAtAsync(Uri address, string sqlitePath) => SiloHost.StartAsync(
        new("ContactCenter:Mode", "Embedded"),
        new("ContactCenter:SqlitePath", sqlitePath),
        new("Urls", address.ToString()));

    /// <summary>An address where nothing listens: connecting to it is refused at once, as to a dead silo.</summary>
    public static Uri ClosedAddress() => new($"http://127.0.0.1:{FreePorts.Next()}");

    /// <summary>Client settings for tests: the regions given, the nanjing gateway's token, short pauses.</summary>
    public static GatewayClientOptions Options(params Region[] regions) => new()
    {
        Regions = regions,
        Token = TestTokens.NanjingToken,
        HomeProbeInterval = TimeSpan.FromMilliseconds(200),
        RetryDelay = TimeSpan.FromMilliseconds(50),
        CommandWaitSeconds = 1,
    };

    public Region NanjingRegion => new("nanjing", Nanjing.Address);

    public Region HuaianRegion => new("huaian", Huaian.Address);

    /// <summary>The call's live state as the gateway reads it at <paramref name="region"/>; null when the region does not know the call.</summary>
    public static async Task<JsonObject?> CallAsync(Uri region, string callId)
    {
        using var http = new HttpClient { BaseAddress = region };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.NanjingToken);
        using var response = await http.GetAsync($"/api/v1/calls/{callId}");
        return response.StatusCode == System.Net.HttpStatusCode.NotFound ? null : await response.Content.ReadFromJsonAsync<JsonObject>();
    }
}

[CollectionDefinition(Name)]
public sealed class TwoRegionsCollection : ICollectionFixture<TwoRegionsFixture>
{
    // One collection: its tests run one after another, so silos starting and stopping do not share two cores with each other.
    public const string Name = "two-regions";
}
