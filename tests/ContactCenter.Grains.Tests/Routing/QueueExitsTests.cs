using ContactCenter.Calls;
using ContactCenter.Queues;
using ContactCenter.Tests.Calls;

namespace ContactCenter.Tests.Routing;

/// <summary>
/// How a call leaves a queue is one rule, read from the event by the call's effects and from the call's state by
/// the waiting-call audit: both readings give the same exit for every way of leaving.
/// </summary>
public sealed class QueueExitsTests
{
    public static TheoryData<string, QueueExit> WaysToLeave => new()
    {
        { "answered", QueueExit.Answered },
        { "answered while ringing another agent", QueueExit.Answered },
        { "caller hung up", QueueExit.Abandoned },
        { "caller hung up while ringing", QueueExit.Abandoned },
        { "ended by the system", QueueExit.Transferred },
        { "moved to another queue", QueueExit.Transferred },
    };

    [Theory]
    [MemberData(nameof(WaysToLeave))]
    public void TheEffectsAndTheAuditAgreeOnHowACallLeftItsQueue(string way, QueueExit expected)
    {
        var script = CallScript.New();
        var call = Fold(null, script.Offered(), script.After(2).Queued("billing"));
        if (way.Contains("ringing", StringComparison.Ordinal))
        {
            call = Fold(call, script.After(5).Ringing("agent-1"));
        }

        CallEvent leaving = way switch
        {
            "answered" => script.After(3).Answered("agent-1"),
            "answered while ringing another agent" => script.After(3).Answered("agent-2"),
            "caller hung up" or "caller hung up while ringing" => script.After(3).Ended(HangupSide.Caller),
            "ended by the system" => script.After(3).Ended(HangupSide.System),
            _ => script.After(3).Queued("complaints"),
        };
        var after = Fold(call, leaving);
        var waiting = new WaitingCall(new QueuedCall(call.CallId, "gw", call.Caller, Vip: false, call.FirstQueuedAt!.Value), call.FirstQueuedAt.Value);

        var (byEvent, answeredBy) = QueueExits.ByEvent(leaving);
        var missed = WaitingCallAudit.ExitOf(after, waiting, "billing");

        Assert.Equal(expected, byEvent);
        Assert.NotNull(missed);
        Assert.Equal((byEvent, answeredBy), (missed.Exit, missed.AnsweredBy));
        Assert.Equal(leaving.OccurredAt, missed.At);
    }

    [Fact]
    public void ACallStillWaitingOrRingingInItsQueueHasNotLeftIt()
    {
        var script = CallScript.New();
        var queued = Fold(null, script.Offered(), script.After(2).Queued("billing"));
        var waiting = new WaitingCall(new QueuedCall(queued.CallId, "gw", queued.Caller, Vip: false, queued.FirstQueuedAt!.Value), queued.FirstQueuedAt.Value);

        Assert.Null(WaitingCallAudit.ExitOf(queued, waiting, "billing"));
        Assert.Null(WaitingCallAudit.ExitOf(Fold(queued, script.After(4).Ringing()), waiting, "billing"));
    }

    private static CallSnapshot Fold(CallSnapshot? call, params CallEvent[] events)
    {
        foreach (var e in events)
        {
            var transition = CallStateMachine.Apply(call, "gw", e);
            Assert.True(transition.IsValid, transition.Error);
            call = transition.Next;
        }

        return call!;
    }
}
