using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Audit;
using ContactCenter.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ContactCenter.Supervision;

/// <summary>Endpoint metadata: this endpoint is a supervisor action, audited under this name, acting on the target named by a route value.</summary>
public sealed record SupervisorAction(string Name, string TargetKind, string TargetRouteValue);

public static class SupervisorAuditEndpoints
{
    /// <summary>Makes the endpoint a supervisor action: every call by an operator is audited under <paramref name="action"/>.</summary>
    public static RouteHandlerBuilder AuditedAs(this RouteHandlerBuilder endpoint, string action, string targetKind, string targetRouteValue) =>
        endpoint.AddEndpointFilter<SupervisorAuditFilter>().WithMetadata(new SupervisorAction(action, targetKind, targetRouteValue));
}

/// <summary>A request body of a supervisor action: written to the audit entry's details as it was received.</summary>
public interface IAuditedRequest;

/// <summary>
/// Writes every allowed supervisor action to the audit log around its handler: appended (pending) before anything
/// is done, so no action leaves no trace, and completed with its outcome (from the answer's status, the problem's
/// detail and the answer's value) before the answer leaves. A log that cannot be written stops the action (503).
/// </summary>
internal sealed partial class SupervisorAuditFilter(ISupervisorAuditLog audit, TimeProvider clock, IOptions<JsonOptions> json, ILogger<SupervisorAuditFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.User.IsInRole(Roles.Agent))
        {
            return await next(context); // an agent's desk changing its own agent: the agent's work, not a supervisor's action
        }

        var action = http.GetEndpoint()!.Metadata.GetRequiredMetadata<SupervisorAction>();
        var details = SupervisorAudit.RequestDetails(http, json.Value.SerializerOptions, context.Arguments.OfType<IAuditedRequest>());
        long id;
        try
        {
            id = await audit.AppendAsync(SupervisorAudit.Record(http, action, details, AuditOutcomes.Pending, clock.GetUtcNow()), http.RequestAborted);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogAuditUnavailable(ex, action.Name);
            return Results.Problem("the audit log cannot be written, so nothing was done; try again", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception ex)
        {
            // Recorded without the request's cancellation: the entry must not stay pending because the caller left.
            await CompleteAsync(id, action, details, AuditOutcomes.Failed, $"{ex.GetType().Name}: {ex.Message}");
            throw;
        }

        var status = (result as IStatusCodeHttpResult)?.StatusCode ?? StatusCodes.Status200OK;
        if ((result as IValueHttpResult)?.Value is { } value && result is not ProblemHttpResult)
        {
            details["result"] = JsonSerializer.SerializeToNode(value, value.GetType(), json.Value.SerializerOptions);
        }

        var reason = (result as ProblemHttpResult)?.ProblemDetails.Detail;
        if (!await CompleteAsync(id, action, details, SupervisorAudit.OutcomeOf(status), reason) && status < 300)
        {
            return Results.Problem(
                $"the action was carried out, but its outcome could not be written to the audit log (entry {id} stays pending)",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return result;
    }

    private async Task<bool> CompleteAsync(long id, SupervisorAction action, JsonObject details, string outcome, string? reason)
    {
        try
        {
            await audit.CompleteAsync(id, new AuditCompletion(clock.GetUtcNow(), outcome, reason, details.ToJsonString()), CancellationToken.None);
            return true;
        }
        catch (Exception ex)
        {
            LogAuditUnavailable(ex, action.Name);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The supervisor audit log could not be written for {Action}")]
    private partial void LogAuditUnavailable(Exception ex, string action);
}

/// <summary>
/// Audits a supervisor action refused for the caller's role (an agent's or a gateway's token), then refuses it as
/// usual (403). Runs before the request body is read: a refused caller's body is never parsed. A request without
/// a valid token is not audited (401): there is nobody to name.
/// </summary>
internal sealed partial class SupervisorRefusalAudit(ISupervisorAuditLog audit, TimeProvider clock, ILogger<SupervisorRefusalAudit> logger) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden && context.GetEndpoint()?.Metadata.GetMetadata<SupervisorAction>() is { } action)
        {
            var reason = $"role '{SupervisorAudit.Role(context.User)}' may not act as a supervisor";
            try
            {
                await audit.AppendAsync(SupervisorAudit.Record(context, action, SupervisorAudit.RequestDetails(context, null, []), AuditOutcomes.Forbidden, clock.GetUtcNow(), reason), context.RequestAborted);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Refused either way: a refusal does nothing, and must not wait for the log.
                LogRefusalNotAudited(ex, action.Name, context.User.Identity?.Name);
            }
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The refusal of {Action} to {Actor} could not be written to the supervisor audit log")]
    private partial void LogRefusalNotAudited(Exception ex, string action, string? actor);
}

internal static class SupervisorAudit
{
    public static string Role(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.Role) ?? "none";

    public static AuditRecord Record(HttpContext http, SupervisorAction action, JsonObject details, string outcome, DateTimeOffset at, string? reason = null) => new(
        at,
        http.User.Identity?.Name ?? "anonymous",
        Role(http.User),
        action.Name,
        action.TargetKind,
        http.Request.RouteValues.TryGetValue(action.TargetRouteValue, out var target) ? Bounded(target?.ToString()) : "",
        details.ToJsonString(),
        outcome,
        reason);

    /// <summary>The route values and the body (bounded by the endpoints' request size limit) of a supervisor action.</summary>
    public static JsonObject RequestDetails(HttpContext http, JsonSerializerOptions? options, IEnumerable<IAuditedRequest> bodies)
    {
        var details = new JsonObject();
        foreach (var (name, value) in http.Request.RouteValues)
        {
            details[name] = Bounded(value?.ToString());
        }

        foreach (var body in bodies)
        {
            if (JsonSerializer.SerializeToNode(body, body.GetType(), options) is JsonObject fields)
            {
                foreach (var (name, value) in fields)
                {
                    details[name] = value?.DeepClone();
                }
            }
        }

        return details;
    }

    public static string OutcomeOf(int status) => status switch
    {
        < 300 => AuditOutcomes.Succeeded,
        StatusCodes.Status400BadRequest => AuditOutcomes.Invalid,
        StatusCodes.Status404NotFound => AuditOutcomes.NotFound,
        StatusCodes.Status409Conflict => AuditOutcomes.Conflict,
        _ => AuditOutcomes.Failed,
    };

    /// <summary>Route values come from the URL, whose length only the server's limits bound: keep the log's rows small.</summary>
    private static string Bounded(string? text) => text is { Length: > 256 } ? text[..256] : text ?? "";
}
