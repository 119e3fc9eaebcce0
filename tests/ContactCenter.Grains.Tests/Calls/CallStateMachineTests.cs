using ContactCenter.Calls;

namespace ContactCenter.Tests.Calls;

public sealed class CallStateMachineTests
{
    private const string Gateway = "gw-1";

    [Fact]
    public void AnsweredCallWalksThroughEveryPhase()
    {
        var script = CallScript.New();
        var call = Run(script.Offered(), script.IvrEntered(), script.After(20).IvrExited("main/billing"));
        Assert.Equal(CallPhase.Pending, call.Phase);
        Assert.Equal("main/billing", call.IvrPath);

        call = Continue(call, script.Queued("gotone"), script.After(30).Ringing("a1"));
        Assert.Equal((CallPhase.Ringing, "gotone", "a1"), (call.Phase, call.Queue, call.Agent));

        call = Continue(call, script.After(5).Answered("a1"), script.After(60).Held(), script.After(15).Resumed(), script.After(100).Ended());
        Assert.Equal(CallPhase.Ended, call.Phase);
        Assert.Equal(TimeSpan.FromSeconds(15), call.HoldTime);
        Assert.Equal(1, call.HoldCount);
        Assert.Equal(9, call.LastSequence);
    }

    [Fact]
    public void CallMustStartWithOffered()
    {
        var script = CallScript.New();
        script.Offered();
        var transition = CallStateMachine.Apply(null, Gateway, script.IvrEntered());

        Assert.False(transition.IsValid);
        Assert.Contains("never offered", transition.Error);
    }

    [Fact]
    public void HoldIsRejectedWhileQueuedWithTheAllowedPhases()
    {
        var script = CallScript.New();
        var call = Run(script.Offered(), script.Queued());

        var transition = CallStateMachine.Apply(call, Gateway, script.Held());

        Assert.False(transition.IsValid);
        Assert.Equal("'held' is not allowed while the call is Queued (allowed: Talking)", transition.Error);
    }

    [Fact]
    public void ACancelledRingIsFollowedByTheNextAgentsRingAndAnswer()
    {
        var script = CallScript.New();
        var call = Run(script.Offered(), script.Queued(), script.Ringing("a1"));

        call = Continue(call, script.After(15).Ringing("a2"));
        Assert.Equal((CallPhase.Ringing, "a2"), (call.Phase, call.Agent));

        call = Continue(call, script.After(4).Answered("a2"));
        Assert.Equal((CallPhase.Talking, "a2"), (call.Phase, call.Agent));
    }

    [Fact]
    public void AFailedRingPutsTheCallBackToWaitingUnlessAnotherAgentRingsAlready()
    {
        var script = CallScript.New();
        var call = Run(script.Offered(), script.Queued("gotone"), script.Ringing("a1"));

        call = Continue(call, script.RingFailed("a1", "busy"));
        Assert.Equal((CallPhase.Queued, null, "gotone"), (call.Phase, call.Agent, call.Queue));

        call = Continue(call, script.Ringing("a2"), script.RingFailed("a1", "no_answer"));
        Assert.Equal((CallPhase.Ringing, "a2"), (call.Phase, call.Agent));
        Assert.False(CallStateMachine.Apply(Continue(call, script.Answered("a2")), Gateway, script.RingFailed("a2")).IsValid);
    }

    [Fact]
    public void AnswerByAnotherAgentThanTheRingingOneIsTheGatewaysFact()
    {
        var script = CallScript.New();
        var call = Run(script.Offered(), script.Queued(), script.Ringing("a1"), script.Ringing("a2"));

        call = Continue(call, script.Answered("a1"));

        Assert.Equal((CallPhase.Talking, "a1"), (call.Phase, call.Agent));
    }

    [Fact]
    public void NothingMayFollowTheEnd()
    {
        var script = CallScript.New();
        var call = Run(script.Offered(), script.Ended());

        Assert.Contains("after the call ended", CallStateMachine.Apply(call, Gateway, script.Queued()).Error);
    }

    [Fact]
    public void TransferToQueueKeepsTheFirstQueueTime()
    {
        var script = CallScript.New();
        var call = Run(script.Offered(), script.Queued("q1"));
        var firstQueued = call.FirstQueuedAt;

        call = Continue(call, script.After(10).Answered("a1"), script.After(30).Transferred(toQueue: "q2"));

        Assert.Equal((CallPhase.Queued, "q2", 1), (call.Phase, call.Queue, call.TransferCount));
        Assert.Equal(firstQueued, call.FirstQueuedAt);
        Assert.Null(call.Agent);
    }

    [Fact]
    public void TransferWhileOnHoldClosesTheHold()
    {
        var script = CallScript.New();
        var call = Run(script.Offered(), script.Answered("a1"), script.After(10).Held(), script.After(7).Transferred(toAgent: "a2"));

        Assert.Equal((CallPhase.Ringing, "a2"), (call.Phase, call.Agent));
        Assert.Equal(TimeSpan.FromSeconds(7), call.HoldTime);
        Assert.Null(call.HeldSince);
    }

    [Fact]
    public void ParticipantsJoinAndLeaveOnlyOnce()
    {
        var script = CallScript.New();
        var call = Run(script.Offered(), script.Answered("a1"), script.Joined("sup-1"));

        Assert.Contains("already on the call", CallStateMachine.Apply(call, Gateway, script.Joined("sup-1")).Error);

        call = Continue(call, script.Left("sup-1"));
        Assert.Empty(call.Participants);
        Assert.Contains("not on the call", CallStateMachine.Apply(call, Gateway, script.Left("sup-1")).Error);
    }

    [Fact]
    public void RecordingSegmentsAreKeptAndARunningOneClosesAtTheEnd()
    {
        var script = CallScript.New();
        var call = Run(
            script.Offered(), script.Answered("a1"),
            script.RecordingStarted("rec-1"), script.RecordingPaused(), script.RecordingResumed(), script.RecordingStopped("rec-1"),
            script.RecordingStarted("rec-2"), script.Ended());

        Assert.Equal<string>(["rec-1", "rec-2"], call.Recordings);
        Assert.Equal(RecordingStatus.Off, call.Recording);
    }

    [Fact]
    public void RecordingCannotBePausedWhenNotRunningNorStoppedUnderAnotherName()
    {
        var script = CallScript.New();
        var call = Run(script.Offered(), script.Answered("a1"));
        Assert.Equal("cannot pause a recording that is off", CallStateMachine.Apply(call, Gateway, script.RecordingPaused()).Error);

        call = Continue(call, script.RecordingStarted("rec-1"));
        Assert.Contains("the running one is 'rec-1'", CallStateMachine.Apply(call, Gateway, script.RecordingStopped("rec-9")).Error);
    }

    [Fact]
    public void SecondOfferIsRejected()
    {
        var script = CallScript.New();
        var call = Run(script.Offered());

        Assert.Equal("the call was already offered", CallStateMachine.Apply(call, Gateway, script.Offered()).Error);
    }

    internal static CallSnapshot Run(params CallEvent[] events) => Continue(null, events);

    internal static CallSnapshot Continue(CallSnapshot? call, params CallEvent[] events)
    {
        foreach (var e in events)
        {
            var transition = CallStateMachine.Apply(call, Gateway, e);
            Assert.True(transition.IsValid, $"{e.Kind} (sequence {e.Sequence}) was rejected: {transition.Error}");
            call = transition.Next;
        }

        return call!;
    }
}
