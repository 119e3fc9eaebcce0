using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Tests.Routing;

/// <summary>The sample center shipped in deploy/center loads on a first start, and only then.</summary>
[Slow("starts and restarts silos of its own")]
public sealed class SampleCenterTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-sample-").FullName;

    [Fact]
    public async Task TheSampleCenterIsAppliedOnTheFirstStartOnly()
    {
        var database = Path.Combine(_folder, "sample.db");
        await using (var first = await StartAsync(database))
        {
            var directory = await first.Client(TestTokens.AdminToken).GetFromJsonAsync<JsonObject>("/api/v1/admin/center");
            Assert.Equal(16, directory!["queues"]!.AsArray().Count);
            Assert.True(directory["agents"]!.AsArray().Count >= 500);

            // A change made through the admin API ...
            using var changed = await first.Client(TestTokens.AdminToken).PutAsJsonAsync("/api/v1/admin/queues/gotone-vip-nanjing", new
            {
                name = "GoTone VIP (changed)",
                region = "nanjing",
                tiers = new[] { new { tier = 1, afterSeconds = 0 } },
            });
            Assert.Equal(200, (int)changed.StatusCode);
        }

        // ... is not undone by the file at the next start.
        await using var second = await StartAsync(database);
        var queue = await second.Client(TestTokens.SupervisorToken).GetFromJsonAsync<JsonObject>("/api/v1/queues/gotone-vip-nanjing");
        Assert.Equal("GoTone VIP (changed)", queue!["configuration"]!["name"]!.GetValue<string>());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private static Task<SiloHost> StartAsync(string database) => SiloHost.StartAsync(
        new("ContactCenter:Mode", "Embedded"),
        new("ContactCenter:SqlitePath", database),
        new("ContactCenter:CenterFile", "center/jiangsu-sample.json"));
}
