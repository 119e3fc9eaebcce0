using System.Collections.Immutable;
using System.Text.Json.Serialization;

namespace ContactCenter.WorkOrders;

/// <summary>
/// Where a complaint's work order is on its way customer -> front line -> department -> front line -> customer. An
/// order is dispatched to the department that owns its category as it is opened. All but closed are open: the customer
/// does not have their answer yet.
/// </summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkOrderState>))]
public enum WorkOrderState
{
    /// <summary>With the department that owns its category, which owes a reply within the deadline.</summary>
    Dispatched,
    /// <summary>The department replied; the first responder tells the customer.</summary>
    Replied,
    /// <summary>The customer was told the answer; the first responder closes the order.</summary>
    Confirmed,
    Closed,
    /// <summary>The customer was not satisfied with the answer: back with the department, its deadline running again.</summary>
    Reopened,
}

/// <summary>Who or what opened the order.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkOrderSource>))]
public enum WorkOrderSource
{
    /// <summary>The agent who took the complaint: its first responder.</summary>
    Agent,
    /// <summary>A satisfaction survey's low score.</summary>
    LowScore,
    /// <summary>A supervisor or another system, through the API.</summary>
    Api,
}

/// <summary>How late an order's reply is: within the deadline, overdue (past 48 h), or a problem order (past 72 h).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkOrderLateness>))]
public enum WorkOrderLateness
{
    InTime,
    Overdue,
    Problem,
}

/// <summary>What a new order says.</summary>
/// <param name="Subscriber">The complaining customer's E.164 number.</param>
/// <param name="Category">One of the center's complaint categories (its owning department follows from it).</param>
/// <param name="CallId">The call the complaint was taken on: its recording is the order's evidence.</param>
/// <param name="Owner">The first responder (an agent id); null for an order nobody on the front line took yet.</param>
[GenerateSerializer, Immutable, Alias("cc.OpenWorkOrder")]
public sealed record OpenWorkOrder(
    [property: Id(0)] string Subscriber,
    [property: Id(1)] string Category,
    [property: Id(2)] string Summary,
    [property: Id(3)] string? CallId,
    [property: Id(4)] string? Owner,
    [property: Id(5)] WorkOrderSource Source,
    [property: Id(6)] string OpenedBy);

/// <summary>One entry of an order's history: a note, a reply, a change of state (by whom, when).</summary>
[GenerateSerializer, Immutable, Alias("cc.WorkOrderEntry")]
public sealed record WorkOrderEntry(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string By,
    [property: Id(2)] string Kind,
    [property: Id(3)] string? Text);

/// <summary>An order as desks and reports see it.</summary>
/// <param name="ReplyDueAt">When the department's reply is due (48 h after it had the order); past it the order is overdue.</param>
/// <param name="ProblemAt">Past this (72 h), unreplied, it is a problem order.</param>
[GenerateSerializer, Immutable, Alias("cc.WorkOrderView")]
public sealed record WorkOrderView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Subscriber,
    [property: Id(2)] string Category,
    [property: Id(3)] string Department,
    [property: Id(4)] WorkOrderState State,
    [property: Id(5)] WorkOrderSource Source,
    [property: Id(6)] string? Owner,
    [property: Id(7)] string Summary,
    [property: Id(8)] string? CallId,
    [property: Id(9)] DateTimeOffset OpenedAt,
    [property: Id(10)] DateTimeOffset? ReplyDueAt,
    [property: Id(11)] DateTimeOffset? ProblemAt,
    [property: Id(12)] DateTimeOffset? RepliedAt,
    [property: Id(13)] DateTimeOffset? ClosedAt,
    [property: Id(14)] WorkOrderLateness Lateness,
    [property: Id(15)] bool RepliedInTime,
    [property: Id(16)] int Reopened,
    [property: Id(17)] ImmutableArray<WorkOrderEntry> History);

/// <summary>An open order as the customer's screen-pop shows it: what it is about, where it is, and how late.</summary>
[GenerateSerializer, Immutable, Alias("cc.WorkOrderBrief")]
public sealed record WorkOrderBrief(
    [property: Id(0)] string Id,
    [property: Id(1)] string Category,
    [property: Id(2)] string Department,
    [property: Id(3)] WorkOrderState State,
    [property: Id(4)] WorkOrderLateness Lateness,
    [property: Id(5)] DateTimeOffset OpenedAt,
    [property: Id(6)] DateTimeOffset? ReplyDueAt,
    [property: Id(7)] string Summary);

/// <summary>A change asked of an order.</summary>
/// <param name="Overrule">A supervisor's: a close takes an order in any open state (withdrawn, a duplicate, a mistake).</param>
[GenerateSerializer, Immutable, Alias("cc.WorkOrderChange")]
public sealed record WorkOrderChange(
    [property: Id(0)] WorkOrderAction Action,
    [property: Id(1)] string By,
    [property: Id(2)] string? Text,
    [property: Id(3)] bool Overrule = false);

/// <summary>The changes an order takes, each from the party the flow gives it to.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<WorkOrderAction>))]
public enum WorkOrderAction
{
    /// <summary>A note, from anyone who may see the order; not on a closed one.</summary>
    Note,
    /// <summary>The department's answer (dispatched or reopened orders).</summary>
    Reply,
    /// <summary>The first responder told the customer the answer (replied orders).</summary>
    Confirm,
    /// <summary>The customer was not satisfied with the answer: back to the department (replied or confirmed orders).</summary>
    Reopen,
    /// <summary>Done (replied or confirmed orders; or, by a supervisor, any open one).</summary>
    Close,
}

/// <summary>The answer to an opening: the order, and whether this opening made it (false: it existed).</summary>
[GenerateSerializer, Immutable, Alias("cc.WorkOrderOpening")]
public sealed record WorkOrderOpening(
    [property: Id(0)] WorkOrderView Order,
    [property: Id(1)] bool Created);

/// <summary>The answer to a change: the order after it, or why it was refused (the order's state does not take it).</summary>
[GenerateSerializer, Immutable, Alias("cc.WorkOrderChangeOutcome")]
public sealed record WorkOrderChangeOutcome(
    [property: Id(0)] WorkOrderView? Order,
    [property: Id(1)] string? Refusal);

/// <summary>
/// One complaint's work order, keyed by its id (the opener's, so opening again after a lost answer opens nothing new).
/// Its state is its row in the work-orders table; its deadlines are the row's durable wake, raised once each.
/// </summary>
[Alias("cc.IWorkOrderGrain")]
public interface IWorkOrderGrain : IGrainWithStringKey
{
    /// <summary>Opens the order and dispatches it to its category's department; the order as it is when opened before (a repeat).</summary>
    [Alias("Open")]
    Task<WorkOrderOpening> OpenAsync(OpenWorkOrder order);

    /// <summary>A change by a party allowed it (the endpoints check who may).</summary>
    [Alias("Change")]
    Task<WorkOrderChangeOutcome> ChangeAsync(WorkOrderChange change);

    /// <summary>Its durable timer fired: raises the deadline that passed (overdue, problem), once each.</summary>
    [Alias("Wake")]
    Task WakeAsync();

    [Alias("Get")]
    Task<WorkOrderView?> GetAsync();
}
