namespace ContactCenter.WorkOrders;

/// <summary>The work-orders table (deploy/sql/*/130-work-orders.sql).</summary>
public interface IWorkOrderStore
{
    Task<WorkOrderRecord?> LoadAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the record as version <c>record.Version</c>, which must be one more than the stored one (or 1 for a new
    /// order); throws <see cref="Orleans.Storage.InconsistentStateException"/> when it is not (another activation wrote).
    /// </summary>
    Task SaveAsync(WorkOrderRecord record, CancellationToken cancellationToken = default);

    /// <summary>Takes up to <paramref name="limit"/> orders whose deadline is due and not taken by another silo, each for <paramref name="lease"/>.</summary>
    Task<IReadOnlyList<string>> TakeDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken = default);

    /// <summary>Orders by deadline (the reply due first, then the oldest), as the query narrows them.</summary>
    Task<IReadOnlyList<WorkOrderRecord>> ListAsync(WorkOrderQuery query, CancellationToken cancellationToken = default);

    /// <summary>
    /// Per department and category: the open orders now (overdue and problem among them), and of the orders opened in
    /// [<paramref name="openedFrom"/>, <paramref name="openedTo"/>) how many had their first reply's deadline decided at
    /// <paramref name="now"/> (replied, or past it) and how many were replied in time.
    /// </summary>
    Task<IReadOnlyList<WorkOrderCountRow>> CountAsync(DateTimeOffset now, DateTimeOffset openedFrom, DateTimeOffset openedTo, CancellationToken cancellationToken = default);

    /// <summary>The orders opened on the center's days [<paramref name="from"/>, <paramref name="to"/>), per group and day, ordered so; deadlines decided at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<WorkOrderReportRow>> ReportAsync(WorkOrderGrouping by, DateOnly from, DateOnly to, DateTimeOffset now, CancellationToken cancellationToken = default);
}

public enum WorkOrderGrouping
{
    Department,
    Category,
    Center,
}

/// <param name="Group">The department or category; "center" for the whole center.</param>
/// <param name="Opened">Orders opened that day.</param>
/// <param name="Decided">Of those, orders replied or past their first reply's deadline.</param>
/// <param name="InTime">Of those, orders whose first reply came within the deadline.</param>
/// <param name="WentOverdue">Orders that went past their reply deadline unreplied, at any time (problem orders among them).</param>
/// <param name="WentProblem">Orders that went 72 h unreplied.</param>
public sealed record WorkOrderReportRow(string Group, DateOnly Day, int Opened, int Decided, int InTime, int WentOverdue, int WentProblem, int Closed);

/// <param name="OpenOnly">Only the orders not closed.</param>
public sealed record WorkOrderQuery(string? Department, string? Owner, string? Subscriber, bool OpenOnly, int Limit);

/// <param name="Overdue">Orders awaiting a reply past its deadline (problem orders among them).</param>
/// <param name="Opened">Orders opened in the period.</param>
/// <param name="Decided">Of those, orders replied or past their first reply's deadline.</param>
/// <param name="InTime">Of those, orders whose first reply came within the deadline.</param>
public sealed record WorkOrderCountRow(string Department, string Category, int Open, int Overdue, int Problem, int Opened, int Decided, int InTime);
