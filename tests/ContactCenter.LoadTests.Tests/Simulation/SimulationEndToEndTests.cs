using ContactCenter.LoadTests.Simulation;
using ContactCenter.LoadTests.Tests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace ContactCenter.LoadTests.Tests.Simulation;

/// <summary>
/// The simulator against a real embedded silo: a quiet night hour at 20x, with a small center of 60 seats, so that
/// calls go through the menus, queue, are routed to agents by the cluster's commands, answered and ended. Then the
/// loss check is shown to catch a journal row and a CDR taken away behind the silo's back.
/// </summary>
[Slow("simulates an hour of calls against a real silo")]
public sealed class SimulationEndToEndTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("simulation-test-").FullName;
    private SiloHost _silo = null!;

    private string DatabasePath => Path.Combine(_folder, "contact-center.db");

    public async Task InitializeAsync() => _silo = await SiloHost.StartEmbeddedAsync(DatabasePath);

    public async Task DisposeAsync()
    {
        await _silo.DisposeAsync();
        Directory.Delete(_folder, recursive: true);
    }

    [Fact]
    public async Task ASimulatedHourIsAcknowledgedWholeAndTheLossCheckCatchesWhatIsTakenAway()
    {
        var options = SimulationRuns.Options(_silo, DatabasePath);

        var (report, ledger, runId) = await SimulateCommand.RunSimulationAsync(options);

        Assert.True(report.Passed, string.Join("; ", report.Loss?.Examples ?? ["no loss check"]));
        Assert.DoesNotContain(report.Errors, e => e.Kind is not (Measurement.ErrorKind.Held or Measurement.ErrorKind.FailedRequest));
        Assert.True(report.Loss!.FinishedCalls > 500, $"only {report.Loss.FinishedCalls} calls finished");
        Assert.Equal(report.Loss.Calls, report.Loss.FinishedCalls);
        Assert.True(report.Service.Answered > 0, "the cluster routed queued calls to the simulated agents, who answered");
        Assert.True(report.Throughput.EventsAcknowledged > 0);

        // Behind the silo's back: one acknowledged event of a finished call, and another call's CDR.
        await using (var connection = new SqliteConnection($"Data Source={DatabasePath}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = """
                DELETE FROM call_journal WHERE call_id = $first AND sequence = 2;
                DELETE FROM call_detail_records WHERE call_id = $second;
                """;
            command.Parameters.AddWithValue("$first", CallBehaviour.CallId(runId, 0));
            command.Parameters.AddWithValue("$second", CallBehaviour.CallId(runId, 1));
            await command.ExecuteNonQueryAsync();
        }

        var again = await LossCheck.RunAsync($"sqlite:{DatabasePath}", naiveStore: false, runId, ledger, CancellationToken.None);

        Assert.False(again.Passed);
        Assert.Equal(1, again.CallsMissingEvents);
        Assert.Equal(1, again.MissingCdrs);
    }
}
