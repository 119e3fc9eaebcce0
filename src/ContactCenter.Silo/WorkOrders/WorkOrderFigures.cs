namespace ContactCenter.WorkOrders;

/// <summary>The work orders' figures (docs/kpis.md, "Work orders"): open, overdue and problem orders now, and the day's timeliness.</summary>
public sealed record WorkOrderFigures(DateOnly Day, WorkOrderCounts Center, IReadOnlyList<WorkOrderCounts> ByDepartment, IReadOnlyList<WorkOrderCounts> ByCategory)
{
    /// <summary>The figures now: the open orders, and the timeliness of the orders opened today (the center's day).</summary>
    public static async Task<WorkOrderFigures> TodayAsync(IWorkOrderStore store, Kpis.CenterCalendar calendar, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var today = calendar.StartOfDay(now);
        return Of(calendar.DayOf(now), await store.CountAsync(now, today, today.AddDays(1), cancellationToken));
    }

    public static WorkOrderFigures Of(DateOnly day, IReadOnlyList<WorkOrderCountRow> rows) => new(
        day,
        Sum(null, null, rows),
        [.. rows.GroupBy(r => r.Department, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Sum(g.Key, null, g))],
        [.. rows.GroupBy(r => r.Category, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => Sum(null, g.Key, g))]);

    private static WorkOrderCounts Sum(string? department, string? category, IEnumerable<WorkOrderCountRow> rows)
    {
        var list = rows.ToList();
        return new(department, category, list.Sum(r => r.Open), list.Sum(r => r.Overdue), list.Sum(r => r.Problem), list.Sum(r => r.Opened), list.Sum(r => r.Decided), list.Sum(r => r.InTime));
    }
}

/// <param name="Overdue">Open orders past their reply deadline (48 h), problem orders among them.</param>
/// <param name="Problem">Open orders past 72 h without a reply.</param>
/// <param name="Opened">Orders opened today.</param>
/// <param name="Decided">Of today's orders, those replied or past their first reply's deadline: the timeliness rate's base.</param>
/// <param name="InTime">Of those, the ones whose first reply came within the deadline.</param>
public sealed record WorkOrderCounts(string? Department, string? Category, int Open, int Overdue, int Problem, int Opened, int Decided, int InTime)
{
    /// <summary>Replied within 48 h over the orders whose 48 h are decided; none while none is.</summary>
    public double? Timeliness => Decided == 0 ? null : (double)InTime / Decided;
}
