using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;

namespace ContactCenter.Placement;

/// <summary>
/// Chooses the silo for a new queue or agent activation: a live silo of the grain's home region, this one if it
/// is such a silo (no hop for the request that caused the activation), else a random one of them; when the home
/// region has no live silo, or the grain's region is not known, this silo or any other.
/// </summary>
public sealed class HomeRegionPlacementDirector(HomeRegionMap homeRegions, IServiceProvider services) : IPlacementDirector
{
    // Absent where silos carry no metadata (the single-silo test cluster): every silo is then as good as another.
    private readonly ISiloMetadataCache? _metadata = services.GetService<ISiloMetadataCache>();

    public async Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var compatible = context.GetCompatibleSilos(target);
        var kind = ((HomeRegionPlacement)strategy).Kind;
        var region = await homeRegions.FindAsync(kind, target.GrainIdentity.Key.ToString());
        var home = region is null ? [] : compatible.Where(silo => RegionOf(silo) == region).ToArray();
        var candidates = home.Length > 0 ? home : compatible;
        return candidates.Contains(context.LocalSilo) ? context.LocalSilo : candidates[Random.Shared.Next(candidates.Length)];
    }

    private string? RegionOf(SiloAddress silo) =>
        _metadata?.GetSiloMetadata(silo).Metadata.GetValueOrDefault(SiloRegions.MetadataKey);
}
