using System.Text.Json.Serialization;

namespace ContactCenter.Agents;

/// <summary>Where an agent is in the presence state machine.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AgentPresence>))]
public enum AgentPresence
{
    LoggedOut,
    /// <summary>Idle and ready: queues may offer calls.</summary>
    Available,
    /// <summary>Offered a call: the agent's phone rings.</summary>
    Reserved,
    OnCall,
    /// <summary>After-call work; back to available when the queue's wrap-up time has passed.</summary>
    WrapUp,
    /// <summary>Logged in but not taking calls, with a reason code (break, meal, training, no_answer...).</summary>
    NotReady,
}

/// <summary>Reason codes the system itself sets; supervisors and agents may use others.</summary>
public static class NotReadyReasons
{
    /// <summary>An offered call was not answered in time.</summary>
    public const string NoAnswer = "no_answer";
    public const string Break = "break";
    public const string Meal = "meal";
    public const string Training = "training";
}
