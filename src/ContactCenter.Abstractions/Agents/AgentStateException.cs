namespace ContactCenter.Agents;

/// <summary>A presence change the agent's current state does not allow; the message says why (the API answers 409 with it).</summary>
/// <remarks>Serializable by Orleans: the agent may live on another silo than the one whose API asked.</remarks>
[GenerateSerializer, Alias("cc.AgentStateException")]
public sealed class AgentStateException(string message) : InvalidOperationException(message);
