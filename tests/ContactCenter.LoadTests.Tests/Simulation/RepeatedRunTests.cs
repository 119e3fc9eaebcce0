using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.LoadTests.Measurement;
using ContactCenter.LoadTests.Simulation;
using ContactCenter.LoadTests.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ContactCenter.LoadTests.Tests.Simulation;

/// <summary>
/// Runs one after another against the same real silo: one stopped early (as by Ctrl-C), then what a simulator
/// killed outright leaves behind (calls that never end, agents talking on them), then a run with fewer seats,
/// which must clear all that up and pass its loss check as the first did.
/// </summary>
[Slow("simulates an hour of calls against a real silo")]
public sealed class RepeatedRunTests : IAsyncLifetime
{
    private const string KilledRunPrefix = "sim-killed00-";
    private readonly string _folder = Directory.CreateTempSubdirectory("simulation-again-").FullName;
    private SiloHost _silo = null!;

    private string DatabasePath => Path.Combine(_folder, "contact-center.db");

    public async Task InitializeAsync() => _silo = await SiloHost.StartEmbeddedAsync(DatabasePath);

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ASecondRunAgainstTheSameSiloEndsWhatAnEarlierRunLeftAndPassesItsLossCheck()
    {
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(8)))
        {
            var (first, _, _) = await SimulateCommand.RunSimulationAsync(SimulationRuns.Options(_silo, DatabasePath, "--seconds", "60"), stop.Token);

            Assert.True(first.Interrupted);
            Assert.True(first.Passed, string.Join("; ", first.Loss?.Examples ?? ["no loss check"]));
            Assert.Equal(first.Loss!.Calls, first.Loss.FinishedCalls);
        }

        var template = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "center", "jiangsu-sample.json")))!.AsObject();
        var seats = ReferenceCenter.Scale(template, 40, 20);
        var leftAgents = seats.AgentIds.Take(2).ToList();
        await LeaveCallsBehindAsync(seats.Queues[0].Queue, leftAgents);

        var (second, _, _) = await SimulateCommand.RunSimulationAsync(SimulationRuns.Options(_silo, DatabasePath, "--seats", "40", "--seed", "6"));

        Assert.Equal(3, second.Start.LeftoverCallsEnded);
        Assert.Equal(0, second.Start.AgentsBusy);
        Assert.Equal(40, second.Start.AgentsReady);
        var firstSeats = ReferenceCenter.Scale(template, 60, 20).AgentIds;
        Assert.Equal(firstSeats.Except(seats.AgentIds).Count(), second.Start.OtherAgentsLoggedOut);
        Assert.DoesNotContain(second.Errors, e => e.Kind is not (ErrorKind.Held or ErrorKind.FailedRequest));
        Assert.True(second.Passed, string.Join("; ", second.Loss?.Examples ?? ["no loss check"]));
        Assert.Equal(second.Loss!.Calls, second.Loss.FinishedCalls);
        Assert.True(second.Service.Answered > 0, "calls were put through to agents in the second run");
        Assert.Equal(3, await CdrsAsync(KilledRunPrefix));
    }

    /// <summary>Calls a killed simulator leaves: two answered by agents of the next run's center, one waiting in a queue; none ever ends.</summary>
    private async Task LeaveCallsBehindAsync(string queue, IReadOnlyList<string> agents)
    {
        using var gateway = _silo.Client(TestTokens.NanjingToken);
        var at = DateTimeOffset.UtcNow;
        var events = new List<object>();
        for (var i = 0; i < 3; i++)
        {
            var callId = $"{KilledRunPrefix}{i:D9}";
            var sequence = 0;
            object Event(string type, object fields) => new Dictionary<string, object?>(
                [new("eventId", $"{callId}-{++sequence}"), new("callId", callId), new("sequence", sequence), new("type", type), new("occurredAt", at),
                 .. ((Dictionary<string, object?>)fields)]);
            events.Add(Event("offered", new Dictionary<string, object?> { ["caller"] = "+8613800000000", ["dialled"] = "10086", ["region"] = "nanjing" }));
            events.Add(Event("queued", new Dictionary<string, object?> { ["queue"] = queue }));
            if (i < agents.Count)
            {
                events.Add(Event("agent_ringing", new Dictionary<string, object?> { ["agent"] = agents[i] }));
                events.Add(Event("answered", new Dictionary<string, object?> { ["agent"] = agents[i] }));
            }
        }

        using var response = await gateway.PostAsJsonAsync("api/v1/gateway/events", new { events });
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>();
        Assert.Equal(events.Count, (int)answer!["acknowledged"]!);
    }

    private async Task<long> CdrsAsync(string prefix)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM call_detail_records WHERE call_id LIKE $prefix";
        command.Parameters.AddWithValue("$prefix", prefix + "%");
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
