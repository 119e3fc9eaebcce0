using ContactCenter.WorkOrders;

namespace ContactCenter.Tests.WorkOrders;

/// <summary>
/// A work order's life on a fake clock: dispatched as it opens to its category's department; overdue at 48 h and a
/// problem order at 72 h without a reply, each raised once; replied, confirmed and closed by the parties in turn; reopened
/// with its deadline running again; and every change refused that its state does not take.
/// </summary>
public sealed class WorkOrderLifeTests
{
    private static readonly DateTimeOffset Opened = new(2026, 12, 8, 9, 0, 0, TimeSpan.FromHours(8));
    private static readonly OpenWorkOrder Complaint = new("+8613912345678", "fees_and_business", "charged twice for a data pack", "c1", "a1", WorkOrderSource.Agent, "agent:a1");

    private readonly WorkOrderLife _life = new(new WorkOrderOptions());

    private WorkOrderRecord Open() => _life.Open("wo-1", Complaint, Opened, DateOnly.FromDateTime(Opened.DateTime));

    private WorkOrderRecord Do(WorkOrderRecord order, WorkOrderAction action, double hoursAfterOpening, string? text = "done")
    {
        var (next, refusal) = _life.Change(order, new WorkOrderChange(action, "someone", text), Opened.AddHours(hoursAfterOpening));
        Assert.True(next is not null, refusal);
        return next!;
    }

    [Fact]
    public void AnOrderIsDispatchedAsItOpensWithItsReplyDueIn48Hours()
    {
        var order = Open();

        Assert.Equal((WorkOrderState.Dispatched, "it_center"), (order.State, order.Department));
        Assert.Equal((Opened.AddHours(48), Opened.AddHours(72)), (order.ReplyDueAt!.Value, order.ProblemAt!.Value));
        Assert.Equal(Opened.AddHours(48), order.WakeAt);
        Assert.Equal(["opened", "dispatched"], order.History.Select(e => e.Kind));
    }

    [Fact]
    public void WithoutAReplyTheOrderIsOverdueAt48HoursAndAProblemAt72EachRaisedOnce()
    {
        var order = Open();
        Assert.Null(_life.Wake(order, Opened.AddHours(47)).Raised);

        var (overdue, raised) = _life.Wake(order, Opened.AddHours(48));
        Assert.Equal((WorkOrderLateness.Overdue, WorkOrderLateness.Overdue), (raised, overdue.Lateness));
        Assert.Equal(Opened.AddHours(72), overdue.WakeAt);
        Assert.Null(_life.Wake(overdue, Opened.AddHours(49)).Raised);

        var (problem, again) = _life.Wake(overdue, Opened.AddHours(72));
        Assert.Equal((WorkOrderLateness.Problem, WorkOrderLateness.Problem), (again, problem.Lateness));
        Assert.Null(problem.WakeAt);
        Assert.Null(_life.Wake(problem, Opened.AddHours(100)).Raised);
        Assert.Equal(2, problem.History.Count(e => e.By == "system" && e.Kind is "overdue" or "problem"));
    }

    [Fact]
    public void ATimerFiredLateAfterAnOutageRaisesTheProblemOrderAtOnceAsOverdueToo()
    {
        var (late, raised) = _life.Wake(Open(), Opened.AddHours(80));

        Assert.Equal(WorkOrderLateness.Problem, raised);
        Assert.True(late.OverdueRaised && late.ProblemRaised);
    }

    [Fact]
    public void TheDepartmentRepliesTheFrontLineConfirmsAndClosesAndTheReplyCountsInTime()
    {
        var replied = Do(Open(), WorkOrderAction.Reply, 30, "refunded");
        Assert.Equal((WorkOrderState.Replied, null, null), (replied.State, replied.ReplyDueAt, replied.WakeAt));
        Assert.True(replied.RepliedInTime);

        var closed = Do(Do(replied, WorkOrderAction.Confirm, 31), WorkOrderAction.Close, 32);

        Assert.Equal((WorkOrderState.Closed, Opened.AddHours(32)), (closed.State, closed.ClosedAt!.Value));
        Assert.False(closed.IsOpen);
        Assert.Equal("work order wo-1 is closed", _life.Change(closed, new WorkOrderChange(WorkOrderAction.Note, "a1", "late note"), Opened.AddHours(33)).Refusal);
    }

    [Fact]
    public void AReopenedOrderIsWithTheDepartmentAgainWithANewDeadlineAndTheFirstReplyStillCounts()
    {
        var late = Do(_life.Wake(Open(), Opened.AddHours(50)).Order, WorkOrderAction.Reply, 50);
        Assert.False(late.RepliedInTime);

        var reopened = Do(late, WorkOrderAction.Reopen, 60, "the customer was charged again");

        Assert.Equal((WorkOrderState.Reopened, 1, WorkOrderLateness.InTime), (reopened.State, reopened.Reopened, reopened.Lateness));
        Assert.Equal(Opened.AddHours(60 + 48), reopened.ReplyDueAt);
        Assert.Equal(Opened.AddHours(60 + 48), reopened.WakeAt);
        var again = Do(reopened, WorkOrderAction.Reply, 61);
        Assert.Equal(Opened.AddHours(50), again.FirstRepliedAt);
        Assert.False(again.RepliedInTime);
    }

    [Theory]
    [InlineData(WorkOrderAction.Confirm, "only a replied order")]
    [InlineData(WorkOrderAction.Reopen, "only a replied or confirmed order")]
    [InlineData(WorkOrderAction.Close, "only a replied or confirmed order")]
    public void AChangeItsStateDoesNotTakeIsRefusedWithTheReason(WorkOrderAction action, string reason)
    {
        var (next, refusal) = _life.Change(Open(), new WorkOrderChange(action, "a1", "x"), Opened.AddHours(1));

        Assert.Null(next);
        Assert.Contains(reason, refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void AReplyToAnOrderAlreadyRepliedIsRefused()
    {
        var replied = Do(Open(), WorkOrderAction.Reply, 1);

        Assert.Contains("only a dispatched or reopened order takes a reply", _life.Change(replied, new WorkOrderChange(WorkOrderAction.Reply, "it_center", "again"), Opened.AddHours(2)).Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void NotesAreBoundedButNeverStopTheFlowFromGoingOn()
    {
        var order = Open();
        for (var i = order.History.Length; i < WorkOrderLimits.MaxNotedEntries; i++)
        {
            order = Do(order, WorkOrderAction.Note, 1, $"note {i}");
        }

        Assert.Contains("entries", _life.Change(order, new WorkOrderChange(WorkOrderAction.Note, "a1", "one more"), Opened.AddHours(2)).Refusal, StringComparison.Ordinal);
        Assert.Equal(WorkOrderState.Closed, Do(Do(order, WorkOrderAction.Reply, 2), WorkOrderAction.Close, 3).State);
    }

    [Fact]
    public void OnlyASupervisorClosesAnOrderTheDepartmentHasNotAnswered()
    {
        Assert.Null(_life.Change(Open(), new WorkOrderChange(WorkOrderAction.Close, "agent:a1", null), Opened.AddHours(1)).Order);

        var (withdrawn, _) = _life.Change(Open(), new WorkOrderChange(WorkOrderAction.Close, "supervisor:li", "a duplicate", Overrule: true), Opened.AddHours(1));

        Assert.Equal((WorkOrderState.Closed, null), (withdrawn!.State, withdrawn.WakeAt));
    }

    [Fact]
    public void ADesksTextIsTextOrRefused()
    {
        Assert.True(WorkOrderLimits.IsText("退费 30 元\n已核实\t完成 😀"));
        Assert.False(WorkOrderLimits.IsText("nul \0 in it"));
        Assert.False(WorkOrderLimits.IsText("bell \a"));
        Assert.False(WorkOrderLimits.IsText("lone " + (char)0xD800 + " surrogate"));
        Assert.False(WorkOrderLimits.IsText("reversed " + (char)0xDC00 + (char)0xD800));
    }

    [Fact]
    public void TheSettingsRefuseAnUnknownLowScoreCategoryAndDeadlinesOutOfOrder()
    {
        Assert.Null(new WorkOrderOptions().Validate());
        Assert.NotNull(new WorkOrderOptions { LowScoreCategory = "nope" }.Validate());
        Assert.NotNull(new WorkOrderOptions { ProblemAfter = TimeSpan.FromHours(24) }.Validate());
        var bad = new WorkOrderOptions();
        bad.Categories["Bad Name"] = new WorkOrderCategory { Department = "x" };
        Assert.NotNull(bad.Validate());
    }
}
