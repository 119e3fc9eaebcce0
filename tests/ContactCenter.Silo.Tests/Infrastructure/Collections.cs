using ContactCenter.Testing;

namespace ContactCenter.Tests.Infrastructure;

// xUnit finds collection definitions only in the test assembly itself, so they are declared here, next to the
// tests, and the fixtures they share live in ContactCenter.Testing.

/// <summary>The API tests that share one embedded-mode silo (each uses fresh call ids).</summary>
[CollectionDefinition(Name)]
public sealed class EmbeddedHostCollection : ICollectionFixture<EmbeddedHostFixture>
{
    public const string Name = "embedded-host";
}

/// <summary>The tests that share one private PostgreSQL server (each makes its own database).</summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "postgresql";
}
