using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime.MembershipService.SiloMetadata;

namespace ContactCenter.Placement;

/// <summary>The silo metadata entry that names a silo's region, so every silo knows where the others are.</summary>
public static class SiloRegions
{
    public const string MetadataKey = "region";

    /// <summary>Tags this silo with its region (silo metadata, shared with the cluster through membership).</summary>
    public static ISiloBuilder UseRegion(this ISiloBuilder silo, string region)
    {
        silo.Services.AddSingleton(new LocalSiloRegion(region));
        return silo.UseSiloMetadata(new Dictionary<string, string> { [MetadataKey] = region });
    }
}

/// <summary>The region of the silo a grain runs on, for status answers that say where a queue lives now.</summary>
public sealed record LocalSiloRegion(string Name)
{
    /// <summary>A silo that was given no region (tests, a single embedded silo).</summary>
    public static readonly LocalSiloRegion Unassigned = new("unassigned");
}
