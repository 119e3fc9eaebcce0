using ContactCenter.Testing;

namespace ContactCenter.LoadTests.Tests.Infrastructure;

/// <summary>
/// The simulator tests that share one embedded-mode silo. Declared in this assembly because xUnit finds
/// collection definitions only in the test assembly itself.
/// </summary>
[CollectionDefinition(Name)]
public sealed class EmbeddedHostCollection : ICollectionFixture<EmbeddedHostFixture>
{
    public const string Name = "embedded-host";
}
