using ContactCenter.LoadTests.Simulation;
using ContactCenter.LoadTests.Tests.Infrastructure;

namespace ContactCenter.LoadTests.Tests.Simulation;

/// <summary>
/// A cluster that is not as the run needs it is told in sentences before anything starts (no run that hangs, no
/// stack trace): against a real silo whose center is empty, with wrong tokens and a region that does not answer.
/// </summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class ClusterPreflightTests(EmbeddedHostFixture fixture)
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), "preflight-not-used.db");

    private async Task<IReadOnlyList<string>> ProblemsAsync(params string[] options)
    {
        var refused = await Assert.ThrowsAsync<SimulationSetupException>(() =>
            SimulateCommand.RunSimulationAsync(SimulationRuns.Options(fixture.Host, _database, options) with { Database = null }));
        return refused.Problems;
    }

    [Fact]
    public async Task ARegionThatDoesNotAnswerIsNamed()
    {
        var nowhere = $"http://127.0.0.1:{FreePorts.Next()}/";

        var problems = await ProblemsAsync("--silo", nowhere);

        var problem = Assert.Single(problems);
        Assert.StartsWith($"region 2 of 2 ({nowhere}) does not answer", problem);
    }

    [Fact]
    public async Task TokensTheClusterRefusesAreAllNamedAtOnce()
    {
        var problems = await ProblemsAsync("--operator-token", TestTokens.SupervisorToken, "--gateway", "nanjing=not-a-token", "--gateway", $"huaian={TestTokens.SupervisorToken}");

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("refuses the operator token (--operator-token)", StringComparison.Ordinal) && p.EndsWith("403", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("refuses the nanjing gateway's token", StringComparison.Ordinal) && p.EndsWith("unknown token (401)", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("refuses the huaian gateway's token", StringComparison.Ordinal) && p.EndsWith("not a gateway's token (403)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task KeepingACenterWithoutTheCallersQueuesIsRefusedWithTheMissingQueues()
    {
        // The test silo starts with no center at all.
        var problem = Assert.Single(await ProblemsAsync("--keep-center"));

        Assert.StartsWith("--keep-center: the cluster's center has no queue ", problem);
        Assert.Contains("gotone-billing-nanjing", problem);
    }

    [Fact]
    public async Task ADatabaseTheLossCheckCannotReadIsNamed()
    {
        var options = SimulationRuns.Options(fixture.Host, Path.Combine(Path.GetTempPath(), $"missing-{Guid.NewGuid():N}", "no.db"));

        var refused = await Assert.ThrowsAsync<SimulationSetupException>(() => SimulateCommand.RunSimulationAsync(options));

        Assert.StartsWith("the loss check cannot read the database (--database)", Assert.Single(refused.Problems));
    }

    [Fact]
    public async Task TheCommandExits2WithTheProblemInsteadOfAStackTrace()
    {
        var error = new StringWriter();
        var was = Console.Error;
        Console.SetError(error);
        int exit;
        try
        {
            exit = await SimulateCommand.RunAsync(["--silo", $"http://127.0.0.1:{FreePorts.Next()}", "--seats", "20"]);
        }
        finally
        {
            Console.SetError(was);
        }

        Assert.Equal(2, exit);
        Assert.Contains("does not answer", error.ToString());
        Assert.DoesNotContain("   at ", error.ToString());
    }
}
