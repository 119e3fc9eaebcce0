using ContactCenter.Customers;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace ContactCenter.Customers;

public sealed class PostgresSubscriberDirectory(NpgsqlDataSource dataSource) : ISubscriberDirectory
{
    public async Task<CustomerProfile?> FindAsync(string number, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT brand, vip, home_city, region, language, name FROM subscribers WHERE number = @number");
        command.Parameters.AddWithValue("number", number);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? SubscriberRows.Read(number, reader) : null;
    }
}

public sealed class SqliteSubscriberDirectory(string connectionString) : ISubscriberDirectory
{
    public async Task<CustomerProfile?> FindAsync(string number, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT brand, vip, home_city, region, language, name FROM subscribers WHERE number = $number";
        command.Parameters.AddWithValue("$number", number);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? SubscriberRows.Read(number, reader) : null;
    }
}

internal static class SubscriberRows
{
    public static CustomerProfile Read(string number, System.Data.Common.DbDataReader row) => new(
        number, Known: true, Text(row, 0), row.GetBoolean(1), Text(row, 2), Text(row, 3), Text(row, 4), Text(row, 5));

    private static string? Text(System.Data.Common.DbDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);
}
