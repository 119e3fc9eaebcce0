using System.Data.Common;
using System.Text.Json;
using ContactCenter.GroupCommit;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ContactCenter.Customers;

/// <summary>Reads many subscribers' master data in one statement.</summary>
public interface ISubscriberRows
{
    /// <summary>The profiles of those of <paramref name="numbers"/> the subscribers table holds.</summary>
    Task<IReadOnlyDictionary<string, CustomerProfile>> FindManyAsync(IReadOnlyList<string> numbers, CancellationToken cancellationToken);
}

/// <summary>
/// The subscriber directory the silo uses: every lookup made while the previous one was in flight goes to the
/// database as one statement (<see cref="GroupCommitter{TRequest, TResult}"/>, here batching reads). A queued
/// caller's VIP flag is looked up for each call, hundreds a second at the busy hour; one statement per lookup
/// was a transaction each, and a grain activation each when it went through the caller's <c>CustomerGrain</c>.
/// </summary>
public sealed class BatchedSubscriberDirectory : ISubscriberDirectory, IAsyncDisposable
{
    private readonly GroupCommitter<string, CustomerProfile?> _lookups;

    public BatchedSubscriberDirectory(ISubscriberRows rows) =>
        _lookups = new GroupCommitter<string, CustomerProfile?>("subscriber-lookup", async (numbers, cancellationToken) =>
        {
            var found = await rows.FindManyAsync([.. numbers.Distinct(StringComparer.Ordinal)], cancellationToken);
            return [.. numbers.Select(n => CommitOutcome<CustomerProfile?>.Success(found.GetValueOrDefault(n)))];
        }, maxBatch: 500);

    public Task<CustomerProfile?> FindAsync(string number, CancellationToken cancellationToken = default) =>
        _lookups.CommitAsync(number, cancellationToken);

    public ValueTask DisposeAsync() => _lookups.DisposeAsync();
}

public sealed class PostgresSubscriberRows(NpgsqlDataSource dataSource) : ISubscriberRows
{
    public async Task<IReadOnlyDictionary<string, CustomerProfile>> FindManyAsync(IReadOnlyList<string> numbers, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT number, brand, vip, home_city, region, language, name FROM subscribers WHERE number = ANY(@numbers)");
        command.Parameters.AddWithValue("numbers", numbers.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await SubscriberRows.ReadAllAsync(reader, cancellationToken);
    }
}

public sealed class SqliteSubscriberRows(string connectionString) : ISubscriberRows
{
    public async Task<IReadOnlyDictionary<string, CustomerProfile>> FindManyAsync(IReadOnlyList<string> numbers, CancellationToken cancellationToken)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT number, brand, vip, home_city, region, language, name FROM subscribers
            WHERE number IN (SELECT value FROM json_each($numbers))
            """;
        command.Parameters.AddWithValue("$numbers", JsonSerializer.Serialize(numbers));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await SubscriberRows.ReadAllAsync(reader, cancellationToken);
    }
}

internal static class SubscriberRows
{
    public static async Task<IReadOnlyDictionary<string, CustomerProfile>> ReadAllAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var profiles = new Dictionary<string, CustomerProfile>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellationToken))
        {
            var number = reader.GetString(0);
            profiles[number] = new CustomerProfile(
                number, Known: true, Text(reader, 1), reader.GetBoolean(2), Text(reader, 3), Text(reader, 4), Text(reader, 5), Text(reader, 6));
        }

        return profiles;
    }

    private static string? Text(DbDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);
}
