using System.Collections.Immutable;

namespace ContactCenter.WorkOrders;

/// <summary>
/// One work order's durable record: the work-order grain's whole state, and a row of the work-orders table that the
/// desks list and the reports count. <see cref="WakeAt"/> is its durable timer (the next deadline to raise).
/// </summary>
public sealed record WorkOrderRecord
{
    public required string Id { get; init; }
    public required OpenWorkOrder Order { get; init; }
    /// <summary>The department that owns the order's category.</summary>
    public required string Department { get; init; }
    public required WorkOrderState State { get; init; }
    public required DateTimeOffset OpenedAt { get; init; }
    /// <summary>The center's local day of the opening: the day the order counts for in the reports.</summary>
    public required DateOnly Day { get; init; }
    /// <summary>The first reply's deadline (the opening and the reply time then): what the timeliness rate counts against.</summary>
    public required DateTimeOffset FirstReplyDueAt { get; init; }
    /// <summary>When the department's reply is due; null while it owes none (replied, closed).</summary>
    public DateTimeOffset? ReplyDueAt { get; init; }
    /// <summary>When, still unreplied, the order becomes a problem order; null while no reply is owed.</summary>
    public DateTimeOffset? ProblemAt { get; init; }
    public bool OverdueRaised { get; init; }
    public bool ProblemRaised { get; init; }
    /// <summary>The department's first reply: the one the timeliness rate counts.</summary>
    public DateTimeOffset? FirstRepliedAt { get; init; }
    public DateTimeOffset? RepliedAt { get; init; }
    public DateTimeOffset? ConfirmedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public int Reopened { get; init; }
    public ImmutableArray<WorkOrderEntry> History { get; init; } = [];
    public DateTimeOffset? WakeAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Incremented by every save: a save that finds another version was overtaken by another activation.</summary>
    public long Version { get; init; }

    public bool IsOpen => State != WorkOrderState.Closed;

    /// <summary>The department owes a reply.</summary>
    public bool AwaitsReply => State is WorkOrderState.Dispatched or WorkOrderState.Reopened;

    public WorkOrderLateness Lateness => ProblemRaised ? WorkOrderLateness.Problem : OverdueRaised ? WorkOrderLateness.Overdue : WorkOrderLateness.InTime;

    /// <summary>The department's first reply came within its deadline.</summary>
    public bool RepliedInTime => FirstRepliedAt is { } replied && replied <= FirstReplyDueAt;

    /// <summary>
    /// The order as any agent answering the customer sees it. A low score's order is about a colleague (their score, their
    /// name): the agent sees that there is one, not what it says.
    /// </summary>
    public WorkOrderBrief Brief() => new(Id, Order.Category, Department, State, Lateness, OpenedAt, ReplyDueAt,
        Order.Source == WorkOrderSource.LowScore ? "满意度回访" : Order.Summary);

    public WorkOrderView View() => new(
        Id, Order.Subscriber, Order.Category, Department, State, Order.Source, Order.Owner, Order.Summary, Order.CallId, OpenedAt,
        ReplyDueAt, ProblemAt, RepliedAt, ClosedAt, Lateness, RepliedInTime, Reopened, History);
}
