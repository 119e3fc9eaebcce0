using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Schema;
using ContactCenter.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace ContactCenter.Tests.Durability;

/// <summary>The cluster mode on a real PostgreSQL: schema, restart mid-call, duplicates, order and CDRs.</summary>
[Collection(PostgresCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class PostgreSqlClusterTests(PostgresServer postgres)
{
    [Fact]
    public async Task MigrationIsIdempotentAndRecordsTheSchemaVersion()
    {
        var database = new DatabaseTarget(DatabaseKind.PostgreSql, await postgres.CreateDatabaseAsync());
        var migrator = new SchemaMigrator(database, NullLogger<SchemaMigrator>.Instance);

        var first = await migrator.MigrateAsync();
        var second = await migrator.MigrateAsync();

        Assert.Equal(SchemaScript.For(DatabaseKind.PostgreSql).Select(s => s.Version), first.Select(s => s.Version));
        Assert.Empty(second);
        Assert.Equal(SchemaScript.For(DatabaseKind.PostgreSql).Max(s => s.Version), await migrator.CurrentVersionAsync());
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var keys = new NpgsqlCommand("SELECT count(*) FROM orleansquery WHERE querykey IN ('CleanupDefunctSiloEntriesKey', 'WriteToStorageKey', 'UpsertReminderRowKey')", connection);
        Assert.Equal(3L, await keys.ExecuteScalarAsync());
    }

    [Fact]
    public async Task CallResumesWithItsStateAfterTheSiloRestarts()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clusterId = $"restart-{Guid.NewGuid():N}";
        var call = $"pg-{Guid.NewGuid():N}";

        await using (var first = await SiloHost.StartClusterAsync(connectionString, clusterId))
        {
            // A queued event must name a queue the center has.
            await new CenterClient(first, "durable").QueueAsync("gotone");
            var reply = await new GatewayBatch()
                .Offered(call)
                .Event(call, 2, "queued", new { queue = "gotone-durable" })
                .Event(call, 3, "answered", new { agent = "a1" })
                .Event(call, 4, "recording_started", new { mediaRef = "rec-1" })
                .Event(call, 5, "held")
                .PostAsync(first.Client());
            Assert.Equal(5, reply.Count("acknowledged"));
        }

        await using var second = await SiloHost.StartClusterAsync(connectionString, clusterId);
        var state = await second.Client().GetFromJsonAsync<JsonObject>($"/api/v1/calls/{call}");
        Assert.Equal(("onHold", "recording", 5), (state!["phase"]!.GetValue<string>(), state["recording"]!.GetValue<string>(), state["lastSequence"]!.GetValue<int>()));

        var rest = await new GatewayBatch()
            .Event(call, 5, "held")                                                    // a retry of an acknowledged event
            .Event(call, 8, "ended", new { cause = "normal", hungUpBy = "caller" })      // ahead of a gap
            .Event(call, 6, "transferred", new { toQueue = "q2", toAgent = "a2" })      // malformed
            .Event(call, 6, "held")                                                    // impossible: already on hold
            .PostAsync(second.Client());
        Assert.Equal(("duplicate", "held", "rejected", "rejected"), (rest.Outcome(0), rest.Outcome(1), rest.Outcome(2), rest.Outcome(3)));

        // The malformed 6 took its place (journaled as refused): 7 fills the gap, and the held 8 with it.
        var fill = await new GatewayBatch()
            .Event(call, 7, "resumed")
            .Event(call, 8, "ended", new { cause = "normal", hungUpBy = "caller" })
            .PostAsync(second.Client());
        Assert.Equal(("accepted", "duplicate"), (fill.Outcome(0), fill.Outcome(1)));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var journal = new NpgsqlCommand($"SELECT count(*) FROM call_journal WHERE call_id = '{call}'", connection);
        await using var cdrs = new NpgsqlCommand($"SELECT count(*), min(disposition), min(recordings::text) FROM call_detail_records WHERE call_id = '{call}'", connection);
        Assert.Equal(8L, await journal.ExecuteScalarAsync());
        await using var reader = await cdrs.ExecuteReaderAsync();
        await reader.ReadAsync();
        Assert.Equal((1L, "answered", "[\"rec-1\"]"), (reader.GetInt64(0), reader.GetString(1), reader.GetString(2)));
    }

    [Fact]
    public async Task ActiveCallsComeFromPostgreSql()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        await using var silo = await SiloHost.StartClusterAsync(connectionString, $"active-{Guid.NewGuid():N}");
        await new GatewayBatch()
            .Offered("pg-a", region: "huaian").Offered("pg-b", region: "nanjing")
            .Event("pg-b", 2, "ended", new { cause = "normal", hungUpBy = "caller" })
            .PostAsync(silo.Client());

        var page = await silo.Client(TestTokens.SupervisorToken).GetFromJsonAsync<JsonObject>("/api/v1/calls?region=huaian");

        Assert.Equal(["pg-a"], page!["calls"]!.AsArray().Select(c => c!["callId"]!.GetValue<string>()));
    }
}
