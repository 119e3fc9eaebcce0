namespace ContactCenter.Audit;

/// <summary>
/// The durable record of supervisor actions: who (the token's name and role) did what to which agent, call or
/// queue, with what details, and how it ended. An allowed action is appended as <see cref="AuditOutcomes.Pending"/>
/// before it is carried out and completed with its outcome before the API answers; a refusal is appended whole.
/// </summary>
public interface ISupervisorAuditLog
{
    /// <summary>Appends an entry, committed when this completes; its id.</summary>
    Task<long> AppendAsync(AuditRecord record, CancellationToken cancellationToken = default);

    /// <summary>Records how a pending entry's action ended, with its final details (the request and the result).</summary>
    Task CompleteAsync(long id, AuditCompletion completion, CancellationToken cancellationToken = default);

    /// <summary>Entries matching the query, newest first, at most <see cref="AuditQuery.Limit"/>.</summary>
    Task<IReadOnlyList<AuditEntry>> QueryAsync(AuditQuery query, CancellationToken cancellationToken = default);
}

/// <summary>A new entry of the audit log.</summary>
/// <param name="Details">A JSON object: the request's route values and body.</param>
public sealed record AuditRecord(
    DateTimeOffset At, string Actor, string Role, string Action, string TargetKind, string TargetId, string Details, string Outcome, string? Reason = null);

/// <param name="Details">A JSON object, replacing the entry's details.</param>
public sealed record AuditCompletion(DateTimeOffset At, string Outcome, string? Reason, string Details);

/// <summary>An entry as the log holds it.</summary>
/// <param name="Details">A JSON object.</param>
/// <param name="CompletedAt">When the action's outcome was recorded; null for a refusal, or an action still pending.</param>
public sealed record AuditEntry(
    long Id, DateTimeOffset At, string Actor, string Role, string Action, string TargetKind, string TargetId, string Details,
    string Outcome, string? Reason, DateTimeOffset? CompletedAt);

/// <summary>Which entries to read; every filter is optional. <see cref="From"/> is inclusive, <see cref="To"/> exclusive.</summary>
public sealed record AuditQuery(
    int Limit, DateTimeOffset? From = null, DateTimeOffset? To = null, string? Actor = null, string? Action = null,
    string? TargetKind = null, string? TargetId = null, string? Outcome = null);

public static class AuditOutcomes
{
    /// <summary>Allowed, being carried out (or its outcome could not be recorded).</summary>
    public const string Pending = "pending";
    public const string Succeeded = "succeeded";
    /// <summary>Refused: the caller's role may not do it.</summary>
    public const string Forbidden = "forbidden";
    /// <summary>Refused: the request itself is wrong (400).</summary>
    public const string Invalid = "invalid";
    public const string NotFound = "not_found";
    /// <summary>Refused: the agent, call or queue is not in a state that allows it (409).</summary>
    public const string Conflict = "conflict";
    /// <summary>The action failed (an error, or a grain or database that did not answer).</summary>
    public const string Failed = "failed";
}

public static class AuditTargets
{
    public const string Agent = "agent";
    public const string Call = "call";
    public const string Queue = "queue";
    public const string OutboundCall = "outbound_call";
    public const string WorkOrder = "work_order";
}
