using System.Globalization;
using System.Text.Json.Nodes;
using ContactCenter.Audit;
using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Security;

namespace ContactCenter.Supervision;

/// <summary>Reading the supervisor audit log, and the supervisor actions taken on one call.</summary>
public static class AuditEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1_000;

    /// <summary>The most supervisor actions shown with one call.</summary>
    public const int MaxActionsPerCall = 100;

    /// <param name="Details">What was asked (route values, body) and, for an action carried out, its result.</param>
    public sealed record AuditEntryView(
        long Id, DateTimeOffset At, string Actor, string Role, string Action, string TargetKind, string TargetId,
        JsonNode? Details, string Outcome, string? Reason, DateTimeOffset? CompletedAt)
    {
        public static AuditEntryView From(AuditEntry e) =>
            new(e.Id, e.At, e.Actor, e.Role, e.Action, e.TargetKind, e.TargetId, JsonNode.Parse(e.Details), e.Outcome, e.Reason, e.CompletedAt);
    }

    public sealed record AuditPage(IReadOnlyList<AuditEntryView> Entries);

    /// <summary>A supervisor action carried out on a call: a request to its gateway (monitor, whisper, barge, leave) or a change in its queue (move, priority).</summary>
    public sealed record CallSupervisorAction(DateTimeOffset At, string Supervisor, string Action, JsonNode? Details);

    public static void MapSupervisorAudit(this IEndpointRouteBuilder api) =>
        api.MapGet("/audit", QueryAsync).RequireAuthorization(AccessPolicies.Operator).WithTags(ApiTags.Supervisors)
            .WithSummary("The audit log of supervisor and admin actions, newest first")
            .Produces<AuditPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest);

    /// <summary>
    /// The supervisor actions carried out on a call, oldest first. The audit log is where they are kept, not the
    /// call's journal: the journal holds the gateway's events, numbered by the gateway and replayed through the
    /// call's state machine, and a request is not yet a fact about the call (the gateway reports the fact, e.g.
    /// participant_joined, in its own sequence).
    /// </summary>
    public static async Task<IReadOnlyList<CallSupervisorAction>> ForCallAsync(ISupervisorAuditLog audit, string callId, CancellationToken cancellationToken)
    {
        var entries = await audit.QueryAsync(
            new AuditQuery(MaxActionsPerCall, TargetKind: AuditTargets.Call, TargetId: callId, Outcome: AuditOutcomes.Succeeded), cancellationToken);
        return [.. entries.Reverse().Select(e => new CallSupervisorAction(e.At, e.Actor, e.Action, JsonNode.Parse(e.Details)))];
    }

    private static async Task<IResult> QueryAsync(
        HttpContext http, ISupervisorAuditLog audit, string? from, string? to, string? actor, string? action, int? limit)
    {
        var count = limit ?? DefaultLimit;
        if (count is < 1 or > MaxLimit)
        {
            return Invalid($"'limit' must be from 1 to {MaxLimit}");
        }

        if (!TryParseTime(from, out var since) || !TryParseTime(to, out var until))
        {
            return Invalid("'from' and 'to' are ISO-8601 times with an offset, e.g. 2026-11-23T08:00:00Z");
        }

        if (since >= until)
        {
            return Invalid("'from' must be before 'to'");
        }

        if (new[] { actor, action }.Any(v => v is not null && !EventFields.IsValidId(v)))
        {
            return Invalid("'actor' and 'action' must be ids");
        }

        var entries = await audit.QueryAsync(new AuditQuery(count, since, until, actor, action), http.RequestAborted);
        return Results.Ok(new AuditPage([.. entries.Select(AuditEntryView.From)]));
    }

    private static bool TryParseTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return true;
        }

        // An offset is required: a time without one would mean the server's zone, which nobody reading the log knows.
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
        if (!hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            return false;
        }

        time = parsed.ToUniversalTime();
        return true;
    }

    private static IResult Invalid(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);
}
