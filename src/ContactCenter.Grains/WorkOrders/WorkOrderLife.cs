namespace ContactCenter.WorkOrders;

/// <summary>
/// A work order's life as a function of its record and the time: opening (and dispatching), the changes each party
/// makes, and the deadlines the order's timer raises. The grain saves what this decides; this sets every record's
/// <see cref="WorkOrderRecord.WakeAt"/> (one rule: the next deadline not yet raised while a reply is owed).
/// </summary>
public sealed class WorkOrderLife(WorkOrderOptions options)
{
    /// <summary>A new order, dispatched at once to the department that owns its category (which must be one of the center's).</summary>
    /// <param name="day">The center's local day of <paramref name="now"/>.</param>
    public WorkOrderRecord Open(string id, OpenWorkOrder order, DateTimeOffset now, DateOnly day)
    {
        var department = options.DepartmentOf(order.Category)
            ?? throw new ArgumentException($"'{order.Category}' is not a work-order category", nameof(order));
        return Dispatch(new WorkOrderRecord
        {
            Id = id,
            Order = order,
            Department = department,
            State = WorkOrderState.Dispatched,
            OpenedAt = now,
            Day = day,
            FirstReplyDueAt = now + options.ReplyWithin,
            UpdatedAt = now,
            History = [new WorkOrderEntry(now, order.OpenedBy, "opened", order.Summary)],
        }, department, now);
    }

    /// <summary>A change, or why the order does not take it (its state, or its history full).</summary>
    public (WorkOrderRecord? Order, string? Refusal) Change(WorkOrderRecord order, WorkOrderChange change, DateTimeOffset now)
    {
        if (!order.IsOpen)
        {
            return (null, $"work order {order.Id} is closed");
        }

        if (change.Action == WorkOrderAction.Note && order.History.Length >= WorkOrderLimits.MaxNotedEntries)
        {
            // Room is kept for the flow's own steps: a full history never stops a reply or a close.
            return (null, $"work order {order.Id} has {order.History.Length} entries, the most notes leave room for");
        }

        var entry = new WorkOrderEntry(now, change.By, KindOf(change.Action), change.Text);
        var noted = order with { History = order.History.Add(entry), UpdatedAt = now };
        return change.Action switch
        {
            WorkOrderAction.Note => (noted, null),
            WorkOrderAction.Reply when order.AwaitsReply => (Woken(noted with
            {
                State = WorkOrderState.Replied,
                RepliedAt = now,
                FirstRepliedAt = order.FirstRepliedAt ?? now,
                ReplyDueAt = null,
                ProblemAt = null,
            }), null),
            WorkOrderAction.Confirm when order.State == WorkOrderState.Replied => (noted with { State = WorkOrderState.Confirmed, ConfirmedAt = now }, null),
            WorkOrderAction.Reopen when order.State is WorkOrderState.Replied or WorkOrderState.Confirmed =>
                (Dispatch(noted with { State = WorkOrderState.Reopened, Reopened = order.Reopened + 1, ConfirmedAt = null }, order.Department, now), null),
            WorkOrderAction.Close when order.State is WorkOrderState.Replied or WorkOrderState.Confirmed || change.Overrule =>
                (Woken(noted with { State = WorkOrderState.Closed, ClosedAt = now }), null),
            _ => (null, $"work order {order.Id} is {order.State.ToString().ToLowerInvariant()}: {Allowed(change.Action)}"),
        };
    }

    /// <summary>
    /// The timer fired: each deadline passed and not yet raised is raised once (a problem order is overdue too), and the
    /// timer set for the next. What was raised, for the alert; none for a repeated or early wake.
    /// </summary>
    public (WorkOrderRecord Order, WorkOrderLateness? Raised) Wake(WorkOrderRecord order, DateTimeOffset now)
    {
        if (!order.AwaitsReply)
        {
            return (order, null);
        }

        if (order.ProblemAt <= now && !order.ProblemRaised)
        {
            var entry = new WorkOrderEntry(now, "system", "problem", $"no reply from {order.Department} {options.ProblemAfter.TotalHours:0} h after it had the order");
            return (Woken(order with { OverdueRaised = true, ProblemRaised = true, History = order.History.Add(entry), UpdatedAt = now }), WorkOrderLateness.Problem);
        }

        if (order.ReplyDueAt <= now && !order.OverdueRaised)
        {
            var entry = new WorkOrderEntry(now, "system", "overdue", $"no reply from {order.Department} {options.ReplyWithin.TotalHours:0} h after it had the order");
            return (Woken(order with { OverdueRaised = true, History = order.History.Add(entry), UpdatedAt = now }), WorkOrderLateness.Overdue);
        }

        return (order, null);
    }

    /// <summary>With the department from now: its reply is owed, the deadlines run from now.</summary>
    private WorkOrderRecord Dispatch(WorkOrderRecord order, string department, DateTimeOffset now)
    {
        var entry = new WorkOrderEntry(now, "system", "dispatched", department);
        return Woken(order with
        {
            ReplyDueAt = now + options.ReplyWithin,
            ProblemAt = now + options.ProblemAfter,
            OverdueRaised = false,
            ProblemRaised = false,
            History = order.History.Add(entry),
        });
    }

    private static WorkOrderRecord Woken(WorkOrderRecord order) => order with
    {
        WakeAt = !order.AwaitsReply ? null : !order.OverdueRaised ? order.ReplyDueAt : !order.ProblemRaised ? order.ProblemAt : null,
    };

    private static string KindOf(WorkOrderAction action) => action switch
    {
        WorkOrderAction.Note => "note",
        WorkOrderAction.Reply => "replied",
        WorkOrderAction.Confirm => "confirmed",
        WorkOrderAction.Reopen => "reopened",
        _ => "closed",
    };

    private static string Allowed(WorkOrderAction action) => action switch
    {
        WorkOrderAction.Reply => "only a dispatched or reopened order takes a reply",
        WorkOrderAction.Confirm => "only a replied order is confirmed with the customer",
        WorkOrderAction.Reopen => "only a replied or confirmed order is reopened",
        WorkOrderAction.Close => "only a replied or confirmed order is closed (or any, by a supervisor)",
        _ => "not a change it takes",
    };
}
