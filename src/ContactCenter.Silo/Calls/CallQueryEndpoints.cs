using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.ActiveCalls;
using ContactCenter.Audit;
using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Journal;
using ContactCenter.Security;
using ContactCenter.Supervision;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ContactCenter.Calls;

/// <summary>Reading calls: one call's live state, and the active calls by queue, region or gateway.</summary>
public static class CallQueryEndpoints
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    public static void MapCallQueries(this IEndpointRouteBuilder api)
    {
        var calls = api.MapGroup("/calls").RequireAuthorization(AccessPolicies.CallReader).WithTags(ApiTags.Calls);
        calls.MapGet("/{callId}", GetCallAsync)
            .WithSummary("One call's live state")
            .WithDescription("The call as its grain holds it, with 'supervisorActions': the supervisor actions carried out on it, oldest first. A gateway may read its own calls only.")
            .Produces<CallSnapshot>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .Produces(StatusCodes.Status404NotFound);
        calls.MapGet("/", ListActiveAsync)
            .WithSummary("The active calls, by queue, region or gateway")
            .WithDescription($"A page of at most 'limit' calls (1 to {MaxPageSize}, default {DefaultPageSize}) in call id order; pass the last id of a page as 'after' for the next. A gateway sees its own calls only.")
            .Produces<ActiveCallPage>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
    }

    /// <summary>The call's live state, with the supervisor actions carried out on it (<c>supervisorActions</c>, oldest first).</summary>
    private static async Task<IResult> GetCallAsync(string callId, HttpContext http, IGrainFactory grains, ISupervisorAuditLog audit, IOptions<JsonOptions> json)
    {
        if (!EventFields.IsValidId(callId))
        {
            return Results.Problem("not a valid call id", statusCode: StatusCodes.Status400BadRequest);
        }

        var call = await grains.GetGrain<ICallGrain>(callId).GetSnapshotAsync();
        if (call is null)
        {
            return Results.NotFound();
        }

        if (http.User.IsGateway() && call.GatewayId != http.User.GatewayId())
        {
            return Results.Forbid();
        }

        var view = JsonSerializer.SerializeToNode(call, json.Value.SerializerOptions)!.AsObject();
        view["supervisorActions"] = JsonSerializer.SerializeToNode(
            await AuditEndpoints.ForCallAsync(audit, callId, http.RequestAborted), json.Value.SerializerOptions);
        return Results.Ok(view);
    }

    private static async Task<IResult> ListActiveAsync(
        HttpContext http, IJournalStore journal, string? queue, string? region, string? gateway, int? limit, string? after)
    {
        var pageSize = limit ?? DefaultPageSize;
        if (pageSize is < 1 or > MaxPageSize)
        {
            return Results.Problem($"'limit' must be from 1 to {MaxPageSize}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (new[] { queue, region, gateway, after }.Any(v => v is not null && !EventFields.IsValidId(v)))
        {
            return Results.Problem("filters and 'after' must be ids", statusCode: StatusCodes.Status400BadRequest);
        }

        if (http.User.IsGateway())
        {
            // A gateway sees only its own calls, whatever it asked for.
            if (gateway is not null && gateway != http.User.GatewayId())
            {
                return Results.Forbid();
            }

            gateway = http.User.GatewayId();
        }

        var page = await journal.QueryActiveCallsAsync(new ActiveCallQuery(queue, region, gateway, pageSize, after), http.RequestAborted);
        return Results.Ok(page);
    }
}
