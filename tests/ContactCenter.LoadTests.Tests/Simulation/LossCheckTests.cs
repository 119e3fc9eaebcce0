using ContactCenter.LoadTests.Simulation;

namespace ContactCenter.LoadTests.Tests.Simulation;

public sealed class LossCheckTests
{
    private static CallLedger Ledger(params (int Acknowledged, int Final)[] calls)
    {
        var ledger = new CallLedger();
        for (var i = 0; i < calls.Length; i++)
        {
            ledger.Add(i);
            ledger.Acknowledged(i, calls[i].Acknowledged);
            if (calls[i].Final > 0)
            {
                ledger.Ended(i, calls[i].Final);
            }
        }

        return ledger;
    }

    [Fact]
    public void NothingIsMissingWhenTheJournalHoldsEveryAcknowledgedEventAndEachFinishedCallHasACDR()
    {
        var ledger = Ledger((4, 4), (3, 0));
        var report = LossCheck.Compare("test", ledger, new Dictionary<long, (int, int)> { [0] = (4, 4), [1] = (4, 4) }, new HashSet<long> { 0 });

        Assert.True(report.Passed);
        Assert.Equal(7, report.EventsAcknowledged);
        Assert.Equal(1, report.FinishedCalls);
        Assert.Equal(1, report.UnfinishedCalls);
        Assert.Equal(1, report.UnacknowledgedButRecorded);
    }

    [Fact]
    public void AnAcknowledgedEventTheJournalLacksFailsTheCheckEvenWhenALaterOneIsThere()
    {
        var ledger = Ledger((5, 5), (2, 0));
        // Call 0 has a gap (4 rows up to sequence 5); call 1 has nothing at all.
        var report = LossCheck.Compare("test", ledger, new Dictionary<long, (int, int)> { [0] = (4, 5) }, new HashSet<long> { 0 });

        Assert.False(report.Passed);
        Assert.Equal(7, report.MissingEvents);
        Assert.Equal(2, report.CallsMissingEvents);
        Assert.Contains(report.Examples, e => e.Contains("call #0", StringComparison.Ordinal));
    }

    [Fact]
    public void AFinishedCallWithoutACDRFailsTheCheck()
    {
        var ledger = Ledger((3, 3));
        var report = LossCheck.Compare("test", ledger, new Dictionary<long, (int, int)> { [0] = (3, 3) }, new HashSet<long>());

        Assert.False(report.Passed);
        Assert.Equal(1, report.MissingCdrs);
    }

    [Fact]
    public void ACallWhoseEndWasReportedButNotAcknowledgedNeedsNoCDR()
    {
        var ledger = Ledger((2, 3));
        var report = LossCheck.Compare("test", ledger, new Dictionary<long, (int, int)> { [0] = (2, 2) }, new HashSet<long>());

        Assert.True(report.Passed);
        Assert.Equal(0, report.FinishedCalls);
    }
}
