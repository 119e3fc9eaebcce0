using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Durability;

/// <summary>
/// A queue's or an agent's visible state changes only once it is durable: when the database refuses a write, what
/// the grain answers afterwards is what was committed, not what it held in memory before the write failed.
/// </summary>
[Collection(PostgresCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class FailedWriteTests(PostgresServer postgres) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-fault-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnAgentWhoseReservationWasNotCommittedIsStillAvailableAndRungOnceWritesWork(string database)
    {
        var (host, fault) = await StartAsync(database);
        await using var _ = host;
        var center = new CenterClient(host);
        await center.QueueAsync("billing");
        await center.AgentAsync("a1", ready: true, "billing");

        await fault.FailWritesOfAsync(center.Id("a1"));
        await center.QueueCallAsync("c1", "billing");
        // The queue reaches for a1 every second and a1 cannot commit the reservation: a1 must not look reserved.
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        var agent = await center.AgentStatusAsync("a1");
        Assert.Equal("available", agent["presence"]!.GetValue<string>());
        Assert.Null(agent["callId"]);
        Assert.Null(await center.CommandForAsync("c1", "connect", waitSeconds: 1));

        await fault.HealAsync();
        Assert.NotNull(await center.CommandForAsync("c1", "connect"));
        Assert.Equal("reserved", (await center.AgentStatusAsync("a1"))["presence"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ACallWhoseQueueCouldNotCommitItIsNotShownWaitingUntilTheRetryCommitsIt(string database)
    {
        var (host, fault) = await StartAsync(database);
        await using var _ = host;
        var center = new CenterClient(host);
        await center.QueueAsync("billing");
        await center.AgentAsync("a1", ready: false, "billing");

        await fault.FailWritesOfAsync(center.Id("billing"));
        await center.QueueCallAsync("c1", "billing");
        await Task.Delay(TimeSpan.FromSeconds(2.5));
        Assert.Empty(Waiting(await center.QueueStatusAsync("billing")));

        // The call's effect is retried until the queue commits it: the call waits, durably, with no help from the gateway.
        await fault.HealAsync();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Waiting(await center.QueueStatusAsync("billing")).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(200);
        }

        Assert.Equal(center.Id("c1"), Waiting(await center.QueueStatusAsync("billing")).Single()!["callId"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task AnOfferWhoseCancellationWasNotCommittedIsNotOfferedToASecondAgent(string database)
    {
        var (host, connectionString) = await StartWithConnectionAsync(database);
        await using var _ = host;
        var center = new CenterClient(host);
        using var configured = await center.Admin.PutAsJsonAsync($"/api/v1/admin/queues/{center.Id("billing")}", new
        {
            name = "billing",
            region = "nanjing",
            offerTimeoutSeconds = 2,
            tiers = new[] { new { tier = 1, afterSeconds = 0 } },
        });
        Assert.Equal(200, (int)configured.StatusCode);
        await center.AgentAsync("a1", ready: true, "billing");
        await center.QueueCallAsync("c1", "billing");
        Assert.NotNull(await center.CommandForAsync("c1", "connect")); // a1's phone rings
        await center.AgentAsync("a2", ready: true, "billing");

        // a1 does not answer, and the cancellation of the ring cannot be committed: a1 is still ringing.
        var fault = StateWriteFault.OnCommands(database, connectionString);
        await fault.FailWritesOfAsync(center.Id("c1"));
        await Task.Delay(TimeSpan.FromSeconds(4));
        Assert.Equal("available", (await center.AgentStatusAsync("a2"))["presence"]!.GetValue<string>());
        Assert.Equal(center.Id("a1"), (await center.QueueStatusAsync("billing"))["waiting"]!.AsArray().Single()!["offeredTo"]!.GetValue<string>());

        await fault.HealAsync();
        Assert.NotNull(await center.CommandForAsync("c1", "cancel_connect"));
        Assert.NotNull(await center.CommandForAsync("c1", "connect"));
        Assert.Equal("reserved", (await center.AgentStatusAsync("a2"))["presence"]!.GetValue<string>());
    }

    private static JsonArray Waiting(JsonObject queue) => queue["waiting"]!.AsArray();

    private async Task<(SiloHost Host, StateWriteFault Fault)> StartAsync(string database)
    {
        var (host, connectionString) = await StartWithConnectionAsync(database);
        return (host, StateWriteFault.For(database, connectionString));
    }

    private async Task<(SiloHost Host, string ConnectionString)> StartWithConnectionAsync(string database)
    {
        if (database == "sqlite")
        {
            var path = Path.Combine(_folder, $"fault-{Guid.NewGuid():N}.db");
            return (await SiloHost.StartEmbeddedAsync(path), $"Data Source={path}");
        }

        var connectionString = await postgres.CreateDatabaseAsync();
        return (await SiloHost.StartClusterAsync(connectionString, $"fault-{Guid.NewGuid():N}"), connectionString);
    }
}
