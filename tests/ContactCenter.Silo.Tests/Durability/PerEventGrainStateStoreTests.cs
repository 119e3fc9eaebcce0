using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Calls;
using ContactCenter.Hosting;
using ContactCenter.Journal;
using ContactCenter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans;
using Orleans.Providers;
using Orleans.Storage;

namespace ContactCenter.Tests.Durability;

/// <summary>
/// The naive call store of the load test's baseline (ContactCenter:CallStore=GrainStatePerEvent) on a real
/// PostgreSQL: one grain-state row per call, written once per event, the CDR once, and a call rebuilt from it.
/// </summary>
[Collection(PostgresCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class PerEventGrainStateStoreTests(PostgresServer postgres)
{
    [Fact]
    public async Task EachEventIsOneGrainStateWriteAndARestartedSiloRebuildsTheCallFromIt()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clusterId = $"naive-{Guid.NewGuid():N}";
        var call = $"naive-{Guid.NewGuid():N}";

        await using (var first = await StartNaiveSiloAsync(connectionString, clusterId))
        {
            // A queued event must name a queue the center has.
            await new CenterClient(first, "durable").QueueAsync("gotone");
            var opening = await new GatewayBatch()
                .Offered(call)
                .Event(call, 2, "queued", new { queue = "gotone-durable" })
                .Event(call, 3, "answered", new { agent = "a1" })
                .PostAsync(first.Client());
            var more = await new GatewayBatch()
                .Event(call, 4, "recording_started", new { mediaRef = "rec-1" })
                .Event(call, 5, "held")
                .PostAsync(first.Client());
            Assert.Equal((3, 2), (opening.Count("acknowledged"), more.Count("acknowledged")));
        }

        // Two appends of 3 and 2 events: version 5 only if every event was a write of its own.
        Assert.Equal([5], await StateVersionsAsync(connectionString, call));
        Assert.Equal(0L, await CountAsync(connectionString, "call_journal", call));
        Assert.Equal(0L, await CountAsync(connectionString, "call_detail_records", call));

        await using var second = await StartNaiveSiloAsync(connectionString, clusterId);
        var state = await second.Client().GetFromJsonAsync<JsonObject>($"/api/v1/calls/{call}");
        Assert.Equal(("onHold", "recording", 5), (state!["phase"]!.GetValue<string>(), state["recording"]!.GetValue<string>(), state["lastSequence"]!.GetValue<int>()));

        var rest = await new GatewayBatch()
            .Event(call, 5, "held")                                               // a retry of an acknowledged event
            .Event(call, 6, "resumed")
            .Event(call, 7, "recording_stopped", new { mediaRef = "rec-1" })
            .Event(call, 8, "ended", new { cause = "normal", hungUpBy = "caller" })
            .PostAsync(second.Client());
        Assert.Equal(("duplicate", "accepted", "accepted", "accepted"), (rest.Outcome(0), rest.Outcome(1), rest.Outcome(2), rest.Outcome(3)));
        var late = await new GatewayBatch()
            .Event(call, 8, "ended", new { cause = "normal", hungUpBy = "caller" }) // the end resent: no second CDR
            .PostAsync(second.Client());
        Assert.Equal("duplicate", late.Outcome(0));

        Assert.Equal([8], await StateVersionsAsync(connectionString, call));
        Assert.Equal(1L, await CountAsync(connectionString, "call_detail_records", call));
        Assert.Equal(0L, await CountAsync(connectionString, "call_journal", call));
    }

    [Fact]
    public async Task AWriterHoldingAnOlderVersionOfTheCallConflicts()
    {
        var call = $"naive-{Guid.NewGuid():N}";
        await using var silo = await StartNaiveSiloAsync(await postgres.CreateDatabaseAsync(), $"naive-{Guid.NewGuid():N}");
        // A queued event must name a queue the center has.
        await new CenterClient(silo, "durable").QueueAsync("gotone");
        await new GatewayBatch().Offered(call).Event(call, 2, "queued", new { queue = "gotone-durable" }).PostAsync(silo.Client());

        // A second writer of the same call, as a second activation on another silo would be: it read version 2.
        var stale = new PerEventGrainStateJournal(
            silo.Services.GetRequiredKeyedService<IGrainStorage>(ProviderConstants.DEFAULT_STORAGE_PROVIDER_NAME),
            silo.Services.GetRequiredService<IJournalStore>(),
            TimeProvider.System);
        Assert.Equal([1, 2], (await stale.ReadAsync(call)).Select(e => e.Event.Sequence));
        var answered = await new GatewayBatch().Event(call, 3, "answered", new { agent = "a1" }).PostAsync(silo.Client());
        Assert.Equal("accepted", answered.Outcome(0));

        var after = await silo.Services.GetRequiredService<IGrainFactory>().GetGrain<ICallGrain>(call).GetSnapshotAsync();
        var rival = new CallAnswered($"{call}-rival", call, 3, DateTimeOffset.UtcNow, "a2");
        await Assert.ThrowsAsync<JournalConflictException>(() => stale.AppendAsync(new JournalAppend("rival-gateway", [rival], after!, Cdr: null)));
        Assert.Equal([3], await StateVersionsAsync(silo.Services.GetRequiredService<DatabaseTarget>().ConnectionString, call));
    }

    [Fact]
    public void AnUnknownCallStoreStopsTheStartNamingTheChoices()
    {
        var options = new ContactCenterOptions { CallStore = "PerEvent" };

        var error = Assert.Throws<InvalidOperationException>(() => options.SelectedCallStore());

        Assert.Contains("Journal or GrainStatePerEvent", error.Message, StringComparison.Ordinal);
        Assert.Equal(CallStoreDesign.GrainStatePerEvent, new ContactCenterOptions { CallStore = "grainstateperevent" }.SelectedCallStore());
        Assert.Equal(CallStoreDesign.Journal, new ContactCenterOptions().SelectedCallStore());
        Assert.Throws<InvalidOperationException>(() => new ContactCenterOptions { CallStore = "1" }.SelectedCallStore());
    }

    private static Task<SiloHost> StartNaiveSiloAsync(string connectionString, string clusterId) => SiloHost.StartAsync(
        new("ContactCenter:Mode", "Cluster"),
        new("ContactCenter:PostgreSql", connectionString),
        new("ContactCenter:ClusterId", clusterId),
        new("ContactCenter:CallStore", "GrainStatePerEvent"));

    /// <summary>The versions of the call's grain-state rows (a string key is stored as the key extension).</summary>
    private static async Task<List<int>> StateVersionsAsync(string connectionString, string callId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT version FROM orleans_storage WHERE grain_id_extension = @call", connection);
        command.Parameters.AddWithValue("call", callId);
        await using var reader = await command.ExecuteReaderAsync();
        var versions = new List<int>();
        while (await reader.ReadAsync())
        {
            versions.Add(reader.GetInt32(0));
        }

        return versions;
    }

    private static async Task<long> CountAsync(string connectionString, string table, string callId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM {table} WHERE call_id = @call", connection);
        command.Parameters.AddWithValue("call", callId);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
