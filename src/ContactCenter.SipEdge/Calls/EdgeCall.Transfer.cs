using ContactCenter.GatewayClient;
using ContactCenter.SipEdge.Sip.Messages;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Calls;

/// <summary>
/// Blind transfers of a bridged call to another queue: asked by the agent's phone (a REFER to one of the edge's
/// numbers that leads to a queue) or by the cluster (a <c>transfer</c> command, from the agent's desk). The caller
/// stays on the edge's leg throughout and hears the queue's music; the agent's leg ends, supervisors on the call
/// leave it (they were watching that agent), <c>transferred</c> is reported, and the cluster routes the call again.
/// The call keeps its one recording: the next agent to answer joins it, and the caller's side goes on in between.
/// </summary>
public sealed partial class EdgeCall
{
    /// <summary>A <c>transfer</c> command: from <paramref name="fromAgent"/> to <paramref name="queue"/>. Nothing if the call is not with that agent.</summary>
    public void TransferToQueue(string fromAgent, string queue, string by)
    {
        if (_connected is { } agent && agent.AgentId == fromAgent && TakeFromAgent(queue, by))
        {
            agent.Leg.Hangup("transferred");
        }
    }

    /// <summary>The agent's phone asks for a transfer (REFER): its status answer; on 202 the phone's leg ends by itself.</summary>
    private int OnAgentTransfers(AgentAttempt attempt, SipUri target)
    {
        if (_ended || _connected != attempt)
        {
            return 403;
        }

        if (target.HeadersPart?.Contains("Replaces", StringComparison.OrdinalIgnoreCase) == true
            || (target.Parameter("method") is { } method && !method.Equals("INVITE", StringComparison.OrdinalIgnoreCase)))
        {
            // An attended transfer (Replaces: join the caller to a call the phone set up) or a REFER to do something
            // other than call: not what a blind transfer to a queue is, and not taken as one.
            _services.Log.LogWarning("call {CallId}: agent {Agent}'s phone asked for an attended transfer to {Target}; refused (blind transfers only)", Id, attempt.AgentId, target);
            return 501;
        }

        if (target.User is not { } number || _services.Numbers.GetValueOrDefault(number) is not { Queue: { } queue })
        {
            // Only numbers that lead straight to a queue: a menu is for callers choosing, not for a call already taken.
            _services.Log.LogWarning("call {CallId}: agent {Agent}'s phone transferred it to {Target}, which is not a queue number of this edge; refused", Id, attempt.AgentId, target);
            return 404;
        }

        return TakeFromAgent(queue, attempt.AgentId) ? 202 : 403;
    }

    /// <summary>Detaches the agent's leg (the caller hears nothing more of it) and puts the caller back to waiting, in <paramref name="queue"/>.</summary>
    private bool TakeFromAgent(string queue, string by)
    {
        if (_ended || _connected is not { } agent)
        {
            return false;
        }

        // Each supervisor's leg ending reports them as left, before the transfer, while the call is still the agent's.
        foreach (var supervisor in _supervisors.Values.ToList())
        {
            supervisor.Leg.Hangup("transferred");
        }

        _mixer?.Stop();
        _mixer = null;
        agent.Media.PacketReceived = null;
        _connected = null;
        _queue = queue;
        _callerPlayer.Play(_services.Prompts.Music, loop: true);
        Events.Report((id, call, seq, at) => GatewayEvent.TransferredToQueue(id, call, seq, at, queue));
        _services.Log.LogInformation("call {CallId} transferred from agent {Agent} to {Queue} by {By}", Id, agent.AgentId, queue, by);
        return true;
    }
}
