using ContactCenter.LoadTests.Measurement;
using ContactCenter.LoadTests.Tests.Infrastructure;

namespace ContactCenter.LoadTests.Tests.Simulation;

/// <summary>
/// The gateways ring whom the cluster says: against a real silo, with many agents away from their desk (40% of
/// rings are not picked up), so offers time out and calls are offered to the next agent. Read back from the
/// journal: each connect rang its agent (one <c>agent_ringing</c> each), calls offered again were answered, and
/// every answer came from an agent whose phone rang in that wait.
/// </summary>
[Slow("simulates an hour of calls against a real silo")]
public sealed class RingingTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("simulation-rings-").FullName;
    private SiloHost _silo = null!;

    private string DatabasePath => Path.Combine(_folder, "contact-center.db");

    public async Task InitializeAsync() => _silo = await SiloHost.StartEmbeddedAsync(DatabasePath);

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task EveryConnectRingsItsAgentAndACallOfferedAgainIsAnsweredByTheAgentWhoPickedUp()
    {
        var (report, _, runId) = await LoadTests.Simulation.SimulateCommand.RunSimulationAsync(
            SimulationRuns.Options(_silo, DatabasePath, "--missed-rings", "0.4"));

        // The cluster took every ring and every answer, the re-offered ones included.
        Assert.DoesNotContain(report.Errors, e => e.Kind is not (ErrorKind.Held or ErrorKind.FailedRequest));
        Assert.True(report.Passed, string.Join("; ", report.Loss?.Examples ?? ["no loss check"]));
        var rings = report.Rings;
        Assert.True(rings.Missed > 0, "some offers timed out");
        Assert.True(rings.Reoffers > 0, "some calls were offered again in the same wait");

        var journal = await SimulationRuns.JournalAsync(DatabasePath, runId, "queued", "transferred", "agent_ringing", "answered");
        Assert.Equal(rings.Rings, (long)journal.Count(e => e.Type == "agent_ringing"));
        long answeredAfterReoffer = 0;
        foreach (var call in journal.GroupBy(e => e.CallId))
        {
            var rungThisWait = new List<string>();
            foreach (var e in call)
            {
                switch (e.Type)
                {
                    case "queued" or "transferred":
                        rungThisWait.Clear();
                        break;
                    case "agent_ringing":
                        rungThisWait.Add(e.Agent!);
                        break;
                    case "answered":
                        Assert.Contains(e.Agent!, rungThisWait);
                        answeredAfterReoffer += rungThisWait.Count > 1 ? 1 : 0;
                        break;
                }
            }
        }

        Assert.True(answeredAfterReoffer > 0, "a call offered to a second agent was answered");
        Assert.Equal(rings.AnsweredAfterReoffer, answeredAfterReoffer);
    }
}
