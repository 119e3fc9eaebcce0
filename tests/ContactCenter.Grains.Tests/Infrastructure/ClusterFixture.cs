using ContactCenter.Gateways;
using ContactCenter.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace ContactCenter.Tests.Infrastructure;

/// <summary>
/// One in-process Orleans cluster for the whole collection, with the real journal on a fresh SQLite file:
/// the grains under test commit and replay exactly as they do in the embedded mode.
/// </summary>
public sealed class ClusterFixture : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("cc-grains-").FullName;

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IGrainFactory Grains => Cluster.Client;

    public DatabaseTarget Database { get; private set; } = null!;

    /// <summary>The silo's clock: routing tests move it on instead of sleeping.</summary>
    public FakeTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));

    public async Task InitializeAsync()
    {
        Database = new DatabaseTarget(DatabaseKind.Sqlite, $"Data Source={Path.Combine(_folder, "cluster.db")};Pooling=True");
        await new SchemaMigrator(Database, NullLogger<SchemaMigrator>.Instance).MigrateAsync();

        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        builder.ConfigureSilo((_, silo) => silo.Services.AddSingleton<TimeProvider>(Clock).AddContactCenterGrains().AddContactCenterStorage(Database).AddGatewayHealth(GatewayHealthOptions.Default));
        Cluster = builder.Build();
        await Cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    /// <summary>Runs a scalar query against the cluster's database.</summary>
    public async Task<long> CountAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = await SqliteConnections.OpenAsync(Database.ConnectionString);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}

[CollectionDefinition(Name)]
public sealed class ClusterCollection : ICollectionFixture<ClusterFixture>
{
    public const string Name = "cluster";
}
