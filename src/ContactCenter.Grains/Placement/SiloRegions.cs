using Orleans.Runtime.MembershipService.SiloMetadata;

namespace ContactCenter.Placement;

/// <summary>The silo metadata entry that names a silo's region, so every silo knows where the others are.</summary>
public static class SiloRegions
{
    public const string MetadataKey = "region";

    /// <summary>Tags this silo with its region (silo metadata, shared with the cluster through membership).</summary>
    public static ISiloBuilder UseRegion(this ISiloBuilder silo, string region) =>
        silo.UseSiloMetadata(new Dictionary<string, string> { [MetadataKey] = region });
}
