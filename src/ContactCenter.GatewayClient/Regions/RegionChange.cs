namespace ContactCenter.GatewayClient;

/// <summary>Why the client moved to another region.</summary>
public enum RegionChangeKind
{
    /// <summary>The current region failed often enough in a row; the client moved to the next one in order of preference.</summary>
    Failover,
    /// <summary>The home region answered its readiness probe again; the client went back to it.</summary>
    Failback,
}

/// <summary>The client moved from one region to another: every later request, events and commands alike, goes to <paramref name="To"/>.</summary>
/// <param name="Reason">The failure that tipped the failover, or the probe that allowed the failback.</param>
public sealed record RegionChange(RegionChangeKind Kind, Region From, Region To, string Reason, DateTimeOffset At);
