namespace ContactCenter;

/// <summary>The grain storage providers grains name in <c>[PersistentState]</c>.</summary>
public static class StorageNames
{
    /// <summary>Group-committed grain state, for grains whose state changes with every routed call (agents, queues, customers).</summary>
    public const string GroupCommit = "group-commit";
}
