using ContactCenter.Calls;

namespace ContactCenter.Tests.Calls;

public sealed class CallDetailRecordTests
{
    [Fact]
    public void AnsweredCallSplitsWaitTalkAndHold()
    {
        var script = CallScript.New();
        var call = CallStateMachineTests.Run(
            script.Offered(), script.IvrEntered(), script.After(20).IvrExited(), script.Queued("q1"),
            script.After(30).Ringing("a1"), script.After(5).Answered("a1"), script.After(60).Held(),
            script.After(15).Resumed(), script.After(100).Ended(HangupSide.Agent));

        var cdr = CallDetailRecord.From(call);

        Assert.Equal(CallDisposition.Answered, cdr.Disposition);
        Assert.False(cdr.Abandoned);
        Assert.Equal(TimeSpan.FromSeconds(35), cdr.WaitTime);
        Assert.Equal(TimeSpan.FromSeconds(160), cdr.TalkTime);
        Assert.Equal(TimeSpan.FromSeconds(15), cdr.HoldTime);
        Assert.Equal(("q1", "a1"), (cdr.Queue, cdr.Agent));
    }

    [Fact]
    public void CallerHangingUpInTheQueueIsAbandonedWithItsWholeWait()
    {
        var script = CallScript.New();
        var call = CallStateMachineTests.Run(script.Offered(), script.Queued(), script.After(42).Ended(HangupSide.Caller));

        var cdr = CallDetailRecord.From(call);

        Assert.Equal((CallDisposition.Abandoned, true), (cdr.Disposition, cdr.Abandoned));
        Assert.Equal(TimeSpan.FromSeconds(42), cdr.WaitTime);
        Assert.Equal(TimeSpan.Zero, cdr.TalkTime);
    }

    [Fact]
    public void SystemEndingAQueuedCallIsUnansweredNotAbandoned()
    {
        var script = CallScript.New();
        var call = CallStateMachineTests.Run(script.Offered(), script.Queued(), script.After(600).Ended(HangupSide.System, "max_wait"));

        Assert.Equal((CallDisposition.Unanswered, false), (CallDetailRecord.From(call).Disposition, CallDetailRecord.From(call).Abandoned));
    }

    [Fact]
    public void CallFinishedInTheMenusIsSelfService()
    {
        var script = CallScript.New();
        var call = CallStateMachineTests.Run(script.Offered(), script.IvrEntered(), script.After(40).Ended());

        Assert.Equal(CallDisposition.SelfService, CallDetailRecord.From(call).Disposition);
    }

    [Fact]
    public void TransferredCallWaitsFromItsFirstQueue()
    {
        var script = CallScript.New();
        var call = CallStateMachineTests.Run(
            script.Offered(), script.Queued("q1"), script.After(10).Answered("a1"), script.After(20).Transferred(toQueue: "q2"),
            script.After(30).Answered("a2"), script.After(40).Ended());

        var cdr = CallDetailRecord.From(call);

        Assert.Equal(TimeSpan.FromSeconds(10), cdr.WaitTime);
        Assert.Equal(("q2", "a2", 1), (cdr.Queue, cdr.Agent, cdr.TransferCount));
    }

    [Fact]
    public void LiveCallHasNoRecord()
    {
        var script = CallScript.New();
        Assert.Throws<ArgumentException>(() => CallDetailRecord.From(CallStateMachineTests.Run(script.Offered())));
    }
}
