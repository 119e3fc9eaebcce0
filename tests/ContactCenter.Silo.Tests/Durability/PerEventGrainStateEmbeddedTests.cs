using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;

namespace ContactCenter.Tests.Durability;

/// <summary>The naive call store (ContactCenter:CallStore=GrainStatePerEvent) in the embedded mode, on Orleans' SQLite grain storage.</summary>
[Slow("starts and restarts silos of its own")]
public sealed class PerEventGrainStateEmbeddedTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-naive-").FullName;

    private string DatabasePath => Path.Combine(_folder, "naive.db");

    [Fact]
    public async Task EachEventIsOneWriteAndTheCallResumesAfterARestart()
    {
        var call = $"naive-{Guid.NewGuid():N}";
        await using (var first = await StartAsync())
        {
            // A queued event must name a queue the center has.
            await new CenterClient(first, "durable").QueueAsync("gotone");
            var reply = await new GatewayBatch().Offered(call).Event(call, 2, "queued", new { queue = "gotone-durable" }).Event(call, 3, "answered", new { agent = "a1" })
                .PostAsync(first.Client());
            Assert.Equal(3, reply.Count("acknowledged"));
        }

        await using var second = await StartAsync();
        var state = await second.Client().GetFromJsonAsync<JsonObject>($"/api/v1/calls/{call}");
        Assert.Equal(("talking", 3), (state!["phase"]!.GetValue<string>(), state["lastSequence"]!.GetValue<int>()));
        var end = await new GatewayBatch().Event(call, 4, "ended", new { cause = "normal", hungUpBy = "agent" }).PostAsync(second.Client());
        Assert.Equal("accepted", end.Outcome(0));

        Assert.Equal(4L, await ScalarAsync($"SELECT version FROM orleans_storage WHERE grain_id_extension = '{call}'"));
        Assert.Equal(1L, await ScalarAsync($"SELECT count(*) FROM call_detail_records WHERE call_id = '{call}'"));
        Assert.Equal(0L, await ScalarAsync($"SELECT count(*) FROM call_journal WHERE call_id = '{call}'"));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    private Task<SiloHost> StartAsync() => SiloHost.StartAsync(
        new("ContactCenter:Mode", "Embedded"),
        new("ContactCenter:SqlitePath", DatabasePath),
        new("ContactCenter:CallStore", "GrainStatePerEvent"));

    private async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
