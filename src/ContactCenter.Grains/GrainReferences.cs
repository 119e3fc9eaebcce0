namespace ContactCenter;

/// <summary>
/// Grain references for the hot path. <see cref="IGrainFactory.GetGrain{TGrainInterface}(string, string)"/> resolves
/// the interface's grain interface type and grain type again on every call, reading the interface's custom
/// attributes and formatting its name (5% of the silo's CPU at full ingest in loadtests/profiling.md: a reference per
/// event and per effect). Both are fixed for an interface, so they are resolved once here, and each reference is
/// built from its grain id alone; the reference itself is the same as the factory's.
/// </summary>
public static class GrainReferences
{
    /// <summary>The grain of <typeparamref name="TGrain"/> with the key <paramref name="key"/>.</summary>
    public static TGrain ReferenceTo<TGrain>(this IGrainFactory grains, string key) where TGrain : IGrainWithStringKey
    {
        var types = TypesOf<TGrain>.Resolved ??= Resolve<TGrain>(grains, key);
        return (TGrain)grains.GetGrain(GrainId.Create(types.Grain, key), types.Interface);
    }

    private static ResolvedTypes Resolve<TGrain>(IGrainFactory grains, string key) where TGrain : IGrainWithStringKey
    {
        var reference = (GrainReference)(object)grains.GetGrain<TGrain>(key);
        return new ResolvedTypes(reference.GrainId.Type, reference.InterfaceType);
    }

    private sealed record ResolvedTypes(GrainType Grain, GrainInterfaceType Interface);

    // One per interface; the first call resolves it (two racing first calls resolve the same values).
    private static class TypesOf<TGrain>
    {
        public static ResolvedTypes? Resolved;
    }
}
