using ContactCenter.Agents;
using ContactCenter.Kpis;
using Orleans.Concurrency;

namespace ContactCenter.Queues;

/// <summary>
/// What other queues and agents tell a queue (the same grain as <see cref="IQueueGrain"/>, keyed by queue id):
/// hand-overs between queues and the news that follows a call, and agents' changes of state and finished calls.
/// All one-way: two queues that overflow into each other, or an agent and a queue reserving it, never wait on
/// each other. Every message is idempotent.
/// </summary>
[Alias("cc.IQueuePeer")]
public interface IQueuePeer : IGrainWithStringKey
{
    /// <summary>
    /// Another queue hands a call over (overflow); the answer comes back through <see cref="OverflowSettledAsync"/>.
    /// Queue-to-queue messages are one-way: two queues that overflow into each other must never wait on each other.
    /// </summary>
    [Alias("TakeOverflow"), OneWay]
    Task TakeOverflowAsync(QueuedCall call);

    /// <summary>The target's answer to <see cref="TakeOverflowAsync"/>: the call moves there, or stays here.</summary>
    [Alias("OverflowSettled"), OneWay]
    Task OverflowSettledAsync(string callId, string target, bool accepted);

    /// <summary>
    /// The queue that handed this call over kept it after all (it took this queue's late acceptance for a refusal):
    /// the call is let go here if it still waits here as handed over from <paramref name="fromQueue"/>, so it has
    /// exactly one queue. Not passed on: a call that went on from here is no longer that hand-over. Idempotent.
    /// </summary>
    [Alias("RevokeHandOver"), OneWay]
    Task RevokeHandOverAsync(string callId, string fromQueue);

    /// <summary>Late news of a call that went on to another queue, passed on one-way. Idempotent.</summary>
    [Alias("CallLeft"), OneWay]
    Task CallLeftAsync(string callId, QueueExit exit, DateTimeOffset at, string? answeredBy);

    /// <summary>
    /// An agent with a skill for this queue changed state. One-way, so an agent that changes state while a
    /// queue is reserving it can tell that queue without waiting on it; <paramref name="version"/> orders them.
    /// </summary>
    [Alias("AgentChanged"), OneWay]
    Task AgentChangedAsync(string agentId, int tier, AgentPresence presence, DateTimeOffset since, long version);

    /// <summary>An agent finished handling one of this queue's calls (wrap-up over): its handle time counts here.</summary>
    [Alias("CallHandled"), OneWay]
    Task CallHandledAsync(HandledCall call);
}
