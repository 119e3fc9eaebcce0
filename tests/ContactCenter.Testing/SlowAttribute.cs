using Xunit.Abstractions;
using Xunit.Sdk;

namespace ContactCenter.Testing;

/// <summary>
/// Marks tests left out of the fast loop (<c>dotnet test Cluster.sln --filter "Category!=Slow"</c>): those that
/// start a private PostgreSQL, a browser or silo processes, or wait out real timeouts. <c>dotnet test
/// Cluster.sln</c> still runs them all. The reason is for the reader; the trait is <c>Category=Slow</c>.
/// </summary>
[TraitDiscoverer("ContactCenter.Testing.SlowTraitDiscoverer", "ContactCenter.Testing")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class SlowAttribute(string why) : Attribute, ITraitAttribute
{
    public const string Category = "Category";
    public const string Value = "Slow";

    /// <summary>What makes these tests slow.</summary>
    public string Why { get; } = why;
}

/// <summary>Turns <see cref="SlowAttribute"/> into the <c>Category=Slow</c> trait that <c>--filter</c> sees.</summary>
public sealed class SlowTraitDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new(SlowAttribute.Category, SlowAttribute.Value)];
}
