using ContactCenter.Kpis;
using Orleans.Concurrency;

namespace ContactCenter.Agents;

/// <summary>One agent, keyed by agent id: the presence state machine, skills, the current call and the agent's figures.</summary>
[Alias("cc.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>Sets name, region and skills (admin API, center file). Idempotent.</summary>
    [Alias("Configure")]
    Task<AgentStatus> ConfigureAsync(AgentProfile profile);

    /// <summary>Logs in at a phone endpoint; the agent starts not ready ("login") until they declare themselves ready.</summary>
    [Alias("Login")]
    Task<AgentStatus> LoginAsync(string endpoint);

    [Alias("Logout")]
    Task<AgentStatus> LogoutAsync();

    /// <summary>Ready for calls (from not ready or wrap-up).</summary>
    [Alias("Ready")]
    Task<AgentStatus> ReadyAsync();

    [Alias("NotReady")]
    Task<AgentStatus> NotReadyAsync(string reason);

    [Alias("GetStatus")]
    Task<AgentStatus> GetStatusAsync();

    /// <summary>The agent's KPI counters (handled, handle time, occupancy); interleaves, like a status read.</summary>
    [Alias("GetKpis"), AlwaysInterleave]
    Task<AgentKpis> GetKpisAsync();

    /// <summary>A queue offers the agent a call. Idempotent by call id; fails when the agent is not available.</summary>
    [Alias("TryReserve")]
    Task<Reservation> TryReserveAsync(AgentOffer offer);

    /// <summary>The offer ended without an answer: the agent goes not ready (no answer), or is freed when the caller left.</summary>
    [Alias("ReleaseOffer")]
    Task ReleaseOfferAsync(string callId, bool agentMissedIt);

    /// <summary>The call was answered at the agent's phone.</summary>
    [Alias("CallAnswered")]
    Task CallAnsweredAsync(string callId);

    /// <summary>The agent's call put on hold or resumed (for the agent's hold time).</summary>
    [Alias("CallHoldChanged")]
    Task CallHoldChangedAsync(string callId, bool onHold);

    /// <summary>The call ended: wrap-up begins, for the offering queue's wrap-up time.</summary>
    [Alias("CallEnded")]
    Task CallEndedAsync(string callId);

    /// <summary>Applies what time has decided (wrap-up over). A timer calls it when wrap-up is due.</summary>
    [Alias("Evaluate")]
    Task EvaluateAsync();
}
