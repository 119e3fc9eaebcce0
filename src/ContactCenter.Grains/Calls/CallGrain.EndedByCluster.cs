namespace ContactCenter.Calls;

public sealed partial class CallGrain
{
    /// <summary>The event id of an end the cluster decided, per call and cause: a repeat of it is the same event.</summary>
    internal static string ClusterEndEventId(string callId, string cause) => $"cluster:{cause}:{callId}";

    public async Task<bool> EndByClusterAsync(string cause)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(cause);
        if (_call is not { IsEnded: false } call)
        {
            return false;
        }

        // Through the gateway's own path, as the call's gateway: validated by the state machine, committed to the
        // journal with the CDR, then its effects (the queue lets the call go, the agent is freed). Requests to a
        // grain take turns, so nothing comes between the check above and this event's sequence number; two
        // activations during a silo failure would both write that sequence, and the journal's key keeps one.
        var ended = new CallEnded(ClusterEndEventId(CallId, cause), CallId, call.LastSequence + 1, clock.GetUtcNow(), cause, HangupSide.System);
        var results = await ProcessAsync(call.GatewayId, [ended]);
        return results[0].Outcome == EventOutcome.Accepted;
    }
}
