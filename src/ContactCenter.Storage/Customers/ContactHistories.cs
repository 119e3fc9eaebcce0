using System.Data.Common;
using ContactCenter.Journal;
using Npgsql;

namespace ContactCenter.Customers;

public sealed class PostgresContactHistory(NpgsqlDataSource dataSource) : IContactHistory
{
    public async Task<ContactHistory> RecentAsync(string number, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(ContactRows.Query("@caller", "@limit"));
        command.Parameters.AddWithValue("caller", number);
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ContactRows.ReadAsync(reader, r => r.GetFieldValue<DateTimeOffset>(1), cancellationToken);
    }
}

public sealed class SqliteContactHistory(string connectionString) : IContactHistory
{
    public async Task<ContactHistory> RecentAsync(string number, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = ContactRows.Query("$caller", "$limit");
        command.Parameters.AddWithValue("$caller", number);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await ContactRows.ReadAsync(reader, r => SqliteJournalStore.ParseTime(r.GetString(1)), cancellationToken);
    }
}

internal static class ContactRows
{
    /// <summary>The newest contacts and, through the window count (taken before the limit), how many there are in all.</summary>
    public static string Query(string caller, string limit) => $"""
        SELECT call_id, offered_at, queue, agent, disposition, talk_seconds, count(*) OVER ()
        FROM call_detail_records WHERE caller = {caller}
        ORDER BY offered_at DESC LIMIT {limit}
        """;

    public static async Task<ContactHistory> ReadAsync(DbDataReader reader, Func<DbDataReader, DateTimeOffset> offeredAt, CancellationToken cancellationToken)
    {
        var contacts = new List<ContactSummary>();
        var total = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            contacts.Add(new ContactSummary(
                reader.GetString(0), offeredAt(reader), Text(reader, 2), Text(reader, 3), reader.GetString(4), TimeSpan.FromSeconds(reader.GetDouble(5))));
            total = Convert.ToInt32(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture);
        }

        return new ContactHistory([.. contacts], total);
    }

    private static string? Text(DbDataReader row, int column) => row.IsDBNull(column) ? null : row.GetString(column);
}
