using ContactCenter.Customers;
using ContactCenter.Tests.Infrastructure;
using Npgsql;

namespace ContactCenter.Tests.Customers;

/// <summary>The silo's subscriber directory answers concurrent lookups from shared statements, each with its own caller's profile.</summary>
[Collection(PostgresCollection.Name)]
[Slow("a private PostgreSQL")]
public sealed class SubscriberDirectoryTests(PostgresServer postgres)
{
    [Fact]
    public async Task ConcurrentLookupsEachGetTheirOwnSubscriberAndUnknownCallersNone()
    {
        var connectionString = await postgres.CreateMigratedDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var insert = dataSource.CreateCommand("""
            INSERT INTO subscribers (number, brand, vip, home_city, region, language, name)
            SELECT '+86138' || lpad(n::text, 8, '0'), 'GoTone', n % 2 = 0, 'Nanjing', 'nanjing', 'zh', 'Subscriber ' || n
            FROM generate_series(1, 100) n
            """))
        {
            await insert.ExecuteNonQueryAsync();
        }

        await using var directory = new BatchedSubscriberDirectory(new PostgresSubscriberRows(dataSource));
        var numbers = Enumerable.Range(1, 200).Select(n => $"+86138{n:D8}").ToList();

        var profiles = await Task.WhenAll(numbers.Concat(numbers).Select(n => directory.FindAsync(n)));

        for (var i = 0; i < profiles.Length; i++)
        {
            var n = i % 200 + 1;
            if (n <= 100)
            {
                Assert.Equal((numbers[n - 1], n % 2 == 0, $"Subscriber {n}"), (profiles[i]!.Number, profiles[i]!.Vip, profiles[i]!.Name));
            }
            else
            {
                Assert.Null(profiles[i]);
            }
        }
    }
}
