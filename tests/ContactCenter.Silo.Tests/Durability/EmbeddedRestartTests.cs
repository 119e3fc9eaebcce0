using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace ContactCenter.Tests.Durability;

[Slow("starts and restarts silos of its own")]
public sealed class EmbeddedRestartTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-restart-").FullName;

    private string DatabasePath => Path.Combine(_folder, "restart.db");

    [Fact]
    public async Task CallResumesAfterTheProcessRestarts()
    {
        var call = $"restart-{Guid.NewGuid():N}";
        await using (var first = await SiloHost.StartEmbeddedAsync(DatabasePath))
        {
            // A queued event must name a queue the center has.
            await new CenterClient(first, "durable").QueueAsync("gotone");
            var reply = await new GatewayBatch().Offered(call).Event(call, 2, "queued", new { queue = "gotone-durable" }).Event(call, 3, "answered", new { agent = "a1" })
                .PostAsync(first.Client());
            Assert.Equal(3, reply.Count("acknowledged"));
        }

        await using var second = await SiloHost.StartEmbeddedAsync(DatabasePath);
        var state = await second.Client().GetFromJsonAsync<JsonObject>($"/api/v1/calls/{call}");
        Assert.Equal(("talking", "a1"), (state!["phase"]!.GetValue<string>(), state["agent"]!.GetValue<string>()));

        var rest = await new GatewayBatch()
            .Event(call, 3, "answered", new { agent = "a1" })
            .Event(call, 4, "ended", new { cause = "normal", hungUpBy = "agent" })
            .PostAsync(second.Client());

        Assert.Equal(("duplicate", "accepted"), (rest.Outcome(0), rest.Outcome(1)));
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM call_detail_records WHERE call_id = '{call}' AND disposition = 'answered'";
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }
}
