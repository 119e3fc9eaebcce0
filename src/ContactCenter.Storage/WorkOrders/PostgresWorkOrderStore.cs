using ContactCenter.Timers;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;

namespace ContactCenter.WorkOrders;

public sealed class PostgresWorkOrderStore(NpgsqlDataSource dataSource) : IWorkOrderStore
{
    public async Task<WorkOrderRecord?> LoadAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT record::text FROM work_orders WHERE id = @id");
        command.Parameters.AddWithValue("id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is string json ? WorkOrderRows.Deserialize(json) : null;
    }

    public async Task SaveAsync(WorkOrderRecord record, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(WorkOrderRows.Save);
        var order = record.Order;
        command.Parameters.AddWithValue("id", record.Id);
        command.Parameters.AddWithValue("subscriber", order.Subscriber);
        command.Parameters.AddWithValue("category", order.Category);
        command.Parameters.AddWithValue("department", record.Department);
        command.Parameters.Add(Text("owner", order.Owner));
        command.Parameters.AddWithValue("source", WorkOrderRows.Text(order.Source));
        command.Parameters.AddWithValue("state", WorkOrderRows.Text(record.State));
        command.Parameters.AddWithValue("lateness", WorkOrderRows.Text(record.Lateness));
        command.Parameters.Add(Time("opened_at", record.OpenedAt));
        command.Parameters.AddWithValue("day", record.Day);
        command.Parameters.Add(Time("reply_due_at", record.ReplyDueAt));
        command.Parameters.Add(Time("first_reply_due_at", record.FirstReplyDueAt));
        command.Parameters.Add(Time("first_replied_at", record.FirstRepliedAt));
        command.Parameters.AddWithValue("replied_in_time", record.RepliedInTime);
        command.Parameters.Add(Time("closed_at", record.ClosedAt));
        command.Parameters.Add(Time("wake_at", record.WakeAt));
        command.Parameters.AddWithValue("version", record.Version);
        command.Parameters.Add(Time("updated_at", record.UpdatedAt));
        command.Parameters.Add(new NpgsqlParameter("record", NpgsqlDbType.Jsonb) { Value = WorkOrderRows.Serialize(record) });
        if (await command.ExecuteNonQueryAsync(cancellationToken) == 0)
        {
            throw new InconsistentStateException($"work order {record.Id}: version {record.Version - 1} is no longer the stored one");
        }
    }

    public async Task<IReadOnlyList<string>> TakeDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(WorkOrderRows.TakeDue(skipLocked: true));
        command.Parameters.Add(Time("now", now));
        command.Parameters.Add(Time("taken_until", now + lease));
        command.Parameters.AddWithValue("limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await DueRows.ReadTakenAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<WorkOrderRecord>> ListAsync(WorkOrderQuery query, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(WorkOrderRows.List(query, nullsSortLast: true));
        foreach (var (name, value) in WorkOrderRows.FilterValues(query))
        {
            command.Parameters.Add(Text(name, value));
        }

        command.Parameters.AddWithValue("limit", query.Limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await WorkOrderRows.ReadRecordsAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<WorkOrderCountRow>> CountAsync(DateTimeOffset now, DateTimeOffset openedFrom, DateTimeOffset openedTo, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(WorkOrderRows.Count);
        command.Parameters.Add(Time("now", now));
        command.Parameters.Add(Time("from", openedFrom));
        command.Parameters.Add(Time("to", openedTo));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await WorkOrderRows.ReadCountsAsync(reader, cancellationToken);
    }

    public async Task<IReadOnlyList<WorkOrderReportRow>> ReportAsync(WorkOrderGrouping by, DateOnly from, DateOnly to, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(WorkOrderRows.Report(by));
        command.Parameters.AddWithValue("from", from);
        command.Parameters.AddWithValue("to", to);
        command.Parameters.Add(Time("now", now));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await WorkOrderRows.ReadReportAsync(reader, row => row.GetFieldValue<DateOnly>(1), cancellationToken);
    }

    private static NpgsqlParameter Text(string name, string? value) => new(name, NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    /// <summary>A moment as PostgreSQL's timestamptz takes it (Npgsql writes only UTC offsets).</summary>
    private static NpgsqlParameter Time(string name, DateTimeOffset? value) =>
        new(name, NpgsqlDbType.TimestampTz) { Value = value is { } time ? time.UtcDateTime : DBNull.Value };
}
