using Orleans.Placement;

namespace ContactCenter.Placement;

/// <summary>Which of the center's maps holds a grain's home region.</summary>
public enum HomeRegionKind
{
    Queue,
    Agent,
}

/// <summary>
/// Places a grain on a silo of its home region (the region its queue or agent belongs to) while one is alive,
/// and on any silo otherwise: a queue runs beside its agents and its gateways, and a lost region's queues and
/// agents go on working in the region that survives.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.HomeRegionPlacement")]
public abstract class HomeRegionPlacement : PlacementStrategy
{
    public abstract HomeRegionKind Kind { get; }
}

[GenerateSerializer, Immutable, Alias("cc.QueueHomePlacement")]
public sealed class QueueHomePlacement : HomeRegionPlacement
{
    public override HomeRegionKind Kind => HomeRegionKind.Queue;
}

[GenerateSerializer, Immutable, Alias("cc.AgentHomePlacement")]
public sealed class AgentHomePlacement : HomeRegionPlacement
{
    public override HomeRegionKind Kind => HomeRegionKind.Agent;
}

/// <summary>Queue grains run in the queue's region (<see cref="HomeRegionPlacement"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class QueueHomePlacementAttribute() : PlacementAttribute(new QueueHomePlacement());

/// <summary>Agent grains run in the agent's region (<see cref="HomeRegionPlacement"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class AgentHomePlacementAttribute() : PlacementAttribute(new AgentHomePlacement());
