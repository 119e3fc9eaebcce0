using ContactCenter.Calls;

namespace ContactCenter.Queues;

/// <summary>
/// How a call leaves a queue it waited in: the one rule behind the queue's exit counts. It is read twice: by the
/// call's effects, from the event that took the call out (<see cref="ByEvent"/>), and by the waiting-call audit,
/// from the call's state when the queue missed that event (<see cref="WaitingCallAudit.ExitOf"/>).
/// </summary>
/// <remarks>
/// The CDR's disposition (<see cref="CallDetailRecord"/>) is the whole call's story, not one stay in a queue; for
/// a call that waited in one queue the two agree: answered there is answered, a caller who hung up there abandoned.
/// </remarks>
internal static class QueueExits
{
    /// <summary>Answered by an agent; abandoned when the caller hung up; otherwise moved on (another queue, the IVR, ended by an agent or the system).</summary>
    public static QueueExit Classify(string? answeredBy, HangupSide? hungUpBy) => answeredBy is not null
        ? QueueExit.Answered
        : hungUpBy == HangupSide.Caller ? QueueExit.Abandoned : QueueExit.Transferred;

    /// <summary>The exit made by the event that took the call out of its queue, and the agent who answered.</summary>
    public static (QueueExit Exit, string? AnsweredBy) ByEvent(CallEvent leaving) => leaving switch
    {
        CallAnswered answered => (Classify(answered.Agent, null), answered.Agent),
        CallEnded ended => (Classify(null, ended.HungUpBy), null),
        _ => (Classify(null, null), null),
    };
}
