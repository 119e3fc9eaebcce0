using System.Collections.Immutable;

namespace ContactCenter.Center;

/// <summary>Which queues and agents the center has, so supervisors and admins can list them.</summary>
[GenerateSerializer, Immutable, Alias("cc.CenterDirectory")]
public sealed record CenterDirectory(ImmutableArray<string> Queues, ImmutableArray<string> Agents)
{
    public bool IsEmpty => Queues.IsDefaultOrEmpty && Agents.IsDefaultOrEmpty;
}

/// <summary>A queue or agent and the region it belongs to (its home: where its grain should run).</summary>
[GenerateSerializer, Immutable, Alias("cc.CenterMember")]
public readonly record struct CenterMember([property: Id(0)] string Id, [property: Id(1)] string Region);

/// <summary>
/// Every queue's and agent's home region, at a version that grows with each change, so a silo that already
/// holds this version is answered with nothing.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.HomeRegions")]
public sealed record HomeRegions(
    [property: Id(0)] long Version,
    [property: Id(1)] ImmutableDictionary<string, string> Queues,
    [property: Id(2)] ImmutableDictionary<string, string> Agents);

/// <summary>
/// The center's queues and agents with their home regions (one grain, key <see cref="Key"/>). Only the admin API
/// and the center file write it; listings read it, and each silo keeps a copy of the home regions for placing
/// queue and agent grains. It is never on a call's path.
/// </summary>
[Alias("cc.ICenterDirectoryGrain")]
public interface ICenterDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "center";

    /// <summary>Adds queues and agents, or moves them to another home region. Idempotent.</summary>
    [Alias("Register")]
    Task RegisterAsync(ImmutableArray<CenterMember> queues, ImmutableArray<CenterMember> agents);

    [Alias("Get")]
    Task<CenterDirectory> GetAsync();

    /// <summary>The home regions, or null when they are still at <paramref name="knownVersion"/>.</summary>
    [Alias("GetHomeRegions")]
    Task<HomeRegions?> GetHomeRegionsAsync(long knownVersion);
}
