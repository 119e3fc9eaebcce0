using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Timers;

namespace ContactCenter.WorkOrders;

/// <summary>What both databases' work-order stores share: the record's JSON, the columns' texts, the statements, the rows read back.</summary>
internal static class WorkOrderRows
{
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static string Serialize(WorkOrderRecord record) => JsonSerializer.Serialize(record, Json);

    public static WorkOrderRecord Deserialize(string json) =>
        JsonSerializer.Deserialize<WorkOrderRecord>(json, Json) ?? throw new JsonException("empty work-order record");

    /// <summary>An enum as the table writes it: dispatched, low_score, in_time...</summary>
    public static string Text<TEnum>(TEnum value) where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());

    /// <summary>
    /// A new order is inserted (version 1); a later version replaces the one before it, and only that one. Either way the
    /// timers' lease is cleared: the record's own wake time counts from now on. No row written is a version conflict.
    /// </summary>
    public const string Save = """
        INSERT INTO work_orders (id, subscriber, category, department, owner, source, state, lateness, opened_at, day, reply_due_at,
                                 first_reply_due_at, first_replied_at, replied_in_time, closed_at, wake_at, wake_taken_until,
                                 version, updated_at, record)
        VALUES (@id, @subscriber, @category, @department, @owner, @source, @state, @lateness, @opened_at, @day, @reply_due_at,
                @first_reply_due_at, @first_replied_at, @replied_in_time, @closed_at, @wake_at, NULL, @version, @updated_at, @record)
        ON CONFLICT (id) DO UPDATE SET
            owner = excluded.owner, state = excluded.state, lateness = excluded.lateness, reply_due_at = excluded.reply_due_at,
            first_replied_at = excluded.first_replied_at, replied_in_time = excluded.replied_in_time, closed_at = excluded.closed_at,
            wake_at = excluded.wake_at, wake_taken_until = NULL, version = excluded.version, updated_at = excluded.updated_at,
            record = excluded.record
        WHERE work_orders.version = excluded.version - 1
        """;

    public static string TakeDue(bool skipLocked) => DueRows.TakeDue("work_orders", "id", skipLocked);

    /// <summary>
    /// The desks' list, with only the filters the query sets (so a department's desk is a walk of its index): the reply
    /// due first, then the oldest. <paramref name="nullsSortLast"/> (PostgreSQL): an ascending order puts the orders
    /// owing no reply last by itself; SQLite puts them first, and is told otherwise.
    /// </summary>
    public static string List(WorkOrderQuery query, bool nullsSortLast)
    {
        var filters = new List<string>();
        if (query.Department is not null)
        {
            filters.Add("department = @department");
        }

        if (query.Owner is not null)
        {
            filters.Add("owner = @owner");
        }

        if (query.Subscriber is not null)
        {
            filters.Add("subscriber = @subscriber");
        }

        if (query.OpenOnly)
        {
            filters.Add("state <> 'closed'");
        }

        var where = filters.Count == 0 ? "" : "WHERE " + string.Join(" AND ", filters);
        var order = nullsSortLast ? "reply_due_at, opened_at, id" : "reply_due_at IS NULL, reply_due_at, opened_at, id";
        return $"SELECT record FROM work_orders {where} ORDER BY {order} LIMIT @limit";
    }

    /// <summary>The values of the filters <see cref="List"/> names, by parameter name.</summary>
    public static IEnumerable<(string Name, string Value)> FilterValues(WorkOrderQuery query)
    {
        (string Name, string? Value)[] filters = [("department", query.Department), ("owner", query.Owner), ("subscriber", query.Subscriber)];
        return filters.Where(f => f.Value is not null).Select(f => (f.Name, f.Value!));
    }

    /// <summary>The figures (<see cref="IWorkOrderStore.CountAsync"/>), in the order <see cref="ReadCountsAsync"/> reads them.</summary>
    public const string Count = """
        SELECT department, category,
            count(*) FILTER (WHERE state <> 'closed'),
            count(*) FILTER (WHERE state IN ('dispatched', 'reopened') AND lateness <> 'in_time'),
            count(*) FILTER (WHERE state IN ('dispatched', 'reopened') AND lateness = 'problem'),
            count(*) FILTER (WHERE opened_at >= @from AND opened_at < @to),
            count(*) FILTER (WHERE opened_at >= @from AND opened_at < @to AND (first_replied_at IS NOT NULL OR first_reply_due_at <= @now)),
            count(*) FILTER (WHERE opened_at >= @from AND opened_at < @to AND replied_in_time)
        FROM work_orders
        WHERE state <> 'closed' OR (opened_at >= @from AND opened_at < @to)
        GROUP BY department, category
        ORDER BY department, category
        """;

    /// <summary>The daily report's statement: per group and day of opening, the orders and what became of their first deadline.</summary>
    public static string Report(WorkOrderGrouping by)
    {
        var group = by switch
        {
            WorkOrderGrouping.Department => "department",
            WorkOrderGrouping.Category => "category",
            _ => "'center'",
        };
        return $"""
            SELECT {group} AS grp, day,
                count(*),
                count(*) FILTER (WHERE first_replied_at IS NOT NULL OR first_reply_due_at <= @now),
                count(*) FILTER (WHERE replied_in_time),
                count(*) FILTER (WHERE lateness <> 'in_time'),
                count(*) FILTER (WHERE lateness = 'problem'),
                count(*) FILTER (WHERE state = 'closed')
            FROM work_orders WHERE day >= @from AND day < @to
            GROUP BY grp, day ORDER BY grp, day
            """;
    }

    /// <param name="day">Reads column 1, the day.</param>
    public static async Task<IReadOnlyList<WorkOrderReportRow>> ReadReportAsync(DbDataReader reader, Func<DbDataReader, DateOnly> day, CancellationToken cancellationToken)
    {
        var rows = new List<WorkOrderReportRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new WorkOrderReportRow(reader.GetString(0), day(reader), Int(reader, 2), Int(reader, 3), Int(reader, 4), Int(reader, 5), Int(reader, 6), Int(reader, 7)));
        }

        return rows;
    }

    public static async Task<IReadOnlyList<WorkOrderRecord>> ReadRecordsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var records = new List<WorkOrderRecord>();
        while (await reader.ReadAsync(cancellationToken))
        {
            records.Add(Deserialize(reader.GetString(0)));
        }

        return records;
    }

    public static async Task<IReadOnlyList<WorkOrderCountRow>> ReadCountsAsync(DbDataReader reader, CancellationToken cancellationToken)
    {
        var rows = new List<WorkOrderCountRow>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new WorkOrderCountRow(reader.GetString(0), reader.GetString(1), Int(reader, 2), Int(reader, 3), Int(reader, 4), Int(reader, 5), Int(reader, 6), Int(reader, 7)));
        }

        return rows;
    }

    private static int Int(DbDataReader reader, int column) => Convert.ToInt32(reader.GetValue(column), CultureInfo.InvariantCulture);
}
