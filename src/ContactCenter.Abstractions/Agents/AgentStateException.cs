namespace ContactCenter.Agents;

/// <summary>A presence change the agent's current state does not allow; the message says why (the API answers 409 with it).</summary>
public sealed class AgentStateException(string message) : InvalidOperationException(message);
