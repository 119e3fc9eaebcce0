using System.Globalization;
using ContactCenter.Journal;
using ContactCenter.Timers;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace ContactCenter.WorkOrders;

/// <summary>The work-orders table in the embedded SQLite file (one silo: no other takes its due orders).</summary>
public sealed class SqliteWorkOrderStore(string connectionString) : IWorkOrderStore
{
    public async Task<WorkOrderRecord?> LoadAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT record FROM work_orders WHERE id = @id";
        command.Parameters.AddWithValue("@id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? WorkOrderRows.Deserialize(json) : null;
    }

    public async Task SaveAsync(WorkOrderRecord record, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = WorkOrderRows.Save;
        var order = record.Order;
        command.Parameters.AddWithValue("@id", record.Id);
        command.Parameters.AddWithValue("@subscriber", order.Subscriber);
        command.Parameters.AddWithValue("@category", order.Category);
        command.Parameters.AddWithValue("@department", record.Department);
        command.Parameters.AddWithValue("@owner", (object?)order.Owner ?? DBNull.Value);
        command.Parameters.AddWithValue("@source", WorkOrderRows.Text(order.Source));
        command.Parameters.AddWithValue("@state", WorkOrderRows.Text(record.State));
        command.Parameters.AddWithValue("@lateness", WorkOrderRows.Text(record.Lateness));
        command.Parameters.AddWithValue("@opened_at", Time(record.OpenedAt));
        command.Parameters.AddWithValue("@day", Day(record.Day));
        command.Parameters.AddWithValue("@reply_due_at", Time(record.ReplyDueAt));
        command.Parameters.AddWithValue("@first_reply_due_at", Time(record.FirstReplyDueAt));
        command.Parameters.AddWithValue("@first_replied_at", Time(record.FirstRepliedAt));
        command.Parameters.AddWithValue("@replied_in_time", record.RepliedInTime);
        command.Parameters.AddWithValue("@closed_at", Time(record.ClosedAt));
        command.Parameters.AddWithValue("@wake_at", Time(record.WakeAt));
        command.Parameters.AddWithValue("@version", record.Version);
        command.Parameters.AddWithValue("@updated_at", Time(record.UpdatedAt));
        command.Parameters.AddWithValue("@record", WorkOrderRows.Serialize(record));
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new InconsistentStateException($"work order {record.Id}: version {record.Version - 1} is no longer the stored one");
        }
    }

    public async Task<IReadOnlyList<string>> TakeDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = WorkOrderRows.TakeDue(skipLocked: false);
        command.Parameters.AddWithValue("@now", Time(now));
        command.Parameters.AddWithValue("@taken_until", Time(now + lease));
        command.Parameters.AddWithValue("@limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await DueRows.ReadTakenAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<WorkOrderRecord>> ListAsync(WorkOrderQuery query, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = WorkOrderRows.List(query, nullsSortLast: false);
        foreach (var (name, value) in WorkOrderRows.FilterValues(query))
        {
            command.Parameters.AddWithValue($"@{name}", value);
        }

        command.Parameters.AddWithValue("@limit", query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await WorkOrderRows.ReadRecordsAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<WorkOrderCountRow>> CountAsync(DateTimeOffset now, DateTimeOffset openedFrom, DateTimeOffset openedTo, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = WorkOrderRows.Count;
        command.Parameters.AddWithValue("@now", Time(now));
        command.Parameters.AddWithValue("@from", Time(openedFrom));
        command.Parameters.AddWithValue("@to", Time(openedTo));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await WorkOrderRows.ReadCountsAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<WorkOrderReportRow>> ReportAsync(WorkOrderGrouping by, DateOnly from, DateOnly to, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await SqliteConnections.OpenAsync(connectionString, cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = WorkOrderRows.Report(by);
        command.Parameters.AddWithValue("@from", Day(from));
        command.Parameters.AddWithValue("@to", Day(to));
        command.Parameters.AddWithValue("@now", Time(now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await WorkOrderRows.ReadReportAsync(
            reader, row => DateOnly.ParseExact(row.GetString(1), "yyyy-MM-dd", CultureInfo.InvariantCulture), cancellationToken);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static object Time(DateTimeOffset? time) => time is null ? DBNull.Value : SqliteJournalStore.FormatTime(time);
}
