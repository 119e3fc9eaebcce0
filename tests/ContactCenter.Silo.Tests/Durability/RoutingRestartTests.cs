using ContactCenter.Tests.Infrastructure;
using Npgsql;

namespace ContactCenter.Tests.Durability;

/// <summary>Queues, agents and the command channel on PostgreSQL survive a restart of the silo.</summary>
[Collection(PostgresCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class RoutingRestartTests(PostgresServer postgres)
{
    [Fact]
    public async Task WaitingCallsOffersAndUndeliveredCommandsSurviveARestart()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var clusterId = $"routing-{Guid.NewGuid():N}";
        string Id(string name) => $"{name}-{clusterId[^8..]}";

        await using (var first = await SiloHost.StartClusterAsync(connectionString, clusterId))
        {
            var center = new CenterClient(first, clusterId[^8..]);
            await center.QueueAsync("gotone");
            await center.AgentAsync("a1", ready: true, "gotone");
            await center.AgentAsync("a2", ready: false, "gotone");
            await center.QueueCallAsync("offered", "gotone");
            await center.QueueCallAsync("waiting", "gotone");
            // The gateway has not polled yet when the silo goes down.
        }

        // The queue's writes after its first were changes in its log: the restart below reads snapshot and log back.
        Assert.True(await QueueLogLengthAsync(connectionString, Id("gotone")) > 0);

        await using var second = await SiloHost.StartClusterAsync(connectionString, clusterId);
        var after = new CenterClient(second, clusterId[^8..]);

        var queue = await after.QueueStatusAsync("gotone");
        var waiting = queue["waiting"]!.AsArray().ToDictionary(w => w!["callId"]!.GetValue<string>(), w => w!["offeredTo"]?.GetValue<string>());
        Assert.Equal(new Dictionary<string, string?> { [Id("offered")] = Id("a1"), [Id("waiting")] = null }, waiting);
        Assert.Equal("reserved", (await after.AgentStatusAsync("a1"))["presence"]!.GetValue<string>());

        var connect = await after.CommandForAsync("offered", "connect");
        Assert.NotNull(connect);
        Assert.Equal(1, await after.AcknowledgeAsync(connect));

        // Routing goes on where it stopped: the next agent to become ready takes the waiting call.
        await after.ReadyAsync("a2");
        var nextConnect = await after.CommandForAsync("waiting", "connect");
        Assert.Equal(Id("a2"), nextConnect!["command"]!["agentId"]!.GetValue<string>());
    }

    private static async Task<long> QueueLogLengthAsync(string connectionString, string queueId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM grain_state_change WHERE grain_id = @grain AND state_name = 'queue'", connection);
        command.Parameters.AddWithValue("grain", $"queue/{queueId}");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
