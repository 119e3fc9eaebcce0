using ContactCenter.Agents;
using ContactCenter.Calls;
using ContactCenter.Journal;

namespace ContactCenter.Queues;

/// <summary>
/// A queue's check of the journal against what it holds: the other half of <see cref="WaitingCallAudit"/>. What a
/// committed event means for a queue and an agent is told them after the commit, and retried only in memory; when
/// the silo dies in between and the gateway has nothing left to resend, the journal says a call waits here (or
/// talks to one of this queue's agents) while the queue (or the agent) never heard of it. The journal's index of
/// live calls is durable, so this check finds such a call after any crash, and asks the call grain to tell again
/// what its state means (<see cref="ICallGrain.ReconcileAsync"/>): the caller is not left waiting in silence.
/// </summary>
internal static class JournalRepair
{
    /// <summary>How often a queue reads the index.</summary>
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(15);

    /// <summary>A call changed more recently than this may have its news on the way: it is not judged yet.</summary>
    public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(10);

    /// <summary>The most live calls one check reads; more than any queue holds (its maximum length bounds the waiting ones).</summary>
    public const int MaxCallsPerCheck = 20_000;

    /// <summary>The calls the journal places in or through this queue whose news this queue or its agent's picture lacks.</summary>
    public static IEnumerable<string> CallsToReconcile(QueueState queue, IReadOnlyList<LiveCall> live, DateTimeOffset now) => live
        .Where(call => now - call.UpdatedAt >= SettleTime && call.Phase switch
        {
            CallPhase.Queued => !KnowsOf(queue, call.CallId),
            // Answered from this queue: its agent, as far as this queue's picture goes, is not on a call.
            CallPhase.Talking or CallPhase.OnHold => call.Agent is { } agent && queue.Agents.TryGetValue(agent, out var known)
                && known.Presence is AgentPresence.Available or AgentPresence.NotReady or AgentPresence.WrapUp,
            _ => false,
        })
        .Select(call => call.CallId);

    /// <summary>Waiting here, handed on, or sent away: each is this queue having heard of the call.</summary>
    private static bool KnowsOf(QueueState queue, string callId) =>
        queue.Waiting.ContainsKey(callId) || queue.Forwarded.ContainsKey(callId) || queue.Left.ContainsKey(callId) || queue.Refused.ContainsKey(callId);
}
