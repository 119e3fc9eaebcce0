using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Infrastructure;

/// <summary>The whole-call tests: one embedded silo for all of them; each test starts its own edge and center corner.</summary>
[CollectionDefinition(Name)]
public sealed class EdgeCollection : ICollectionFixture<EdgeSiloFixture>
{
    public const string Name = "sip-edge";
}
