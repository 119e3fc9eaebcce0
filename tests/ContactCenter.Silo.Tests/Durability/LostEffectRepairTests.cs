using System.Text.Json.Nodes;

namespace ContactCenter.Tests.Durability;

/// <summary>
/// What the journal says about a live call reaches its queue after any crash, without the gateway's help: the
/// silo dies after committing a call's <c>queued</c> and before its queue heard of it, and the gateway, whose event
/// was acknowledged, has nothing left to resend.
/// </summary>
[Slow("starts and restarts silos of its own")]
public sealed class LostEffectRepairTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-repair-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_folder, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task ACallQueuedInTheJournalButLostToItsQueueWaitsThereAfterARestart()
    {
        var path = Path.Combine(_folder, "repair.db");
        var fault = StateWriteFault.For("sqlite", $"Data Source={path}");
        var prefix = Guid.NewGuid().ToString("N")[..8];
        await using (var first = await SiloHost.StartEmbeddedAsync(path))
        {
            var center = new CenterClient(first, prefix);
            await center.QueueAsync("billing");
            await center.AgentAsync("a1", ready: false, "billing");
            // The queue cannot commit the call's arrival, so its effect is only retried in memory; then the silo goes.
            await fault.FailWritesOfAsync(center.Id("billing"));
            await center.QueueCallAsync("c1", "billing");
            await Task.Delay(TimeSpan.FromSeconds(1.5));
        }

        await fault.HealAsync();
        await using var second = await SiloHost.StartEmbeddedAsync(path);
        var restarted = new CenterClient(second, prefix);
        Assert.Empty(Waiting(await restarted.QueueStatusAsync("billing")));

        var deadline = DateTime.UtcNow.AddSeconds(45);
        while (Waiting(await restarted.QueueStatusAsync("billing")).Count == 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500);
        }

        Assert.Equal(restarted.Id("c1"), Waiting(await restarted.QueueStatusAsync("billing")).Single()!["callId"]!.GetValue<string>());
    }

    private static JsonArray Waiting(JsonObject queue) => queue["waiting"]!.AsArray();
}
