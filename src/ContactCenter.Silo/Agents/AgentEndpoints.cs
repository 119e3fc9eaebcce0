using ContactCenter.Agents;
using ContactCenter.Audit;
using ContactCenter.Calls;
using ContactCenter.Customers;
using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Placement;
using ContactCenter.Security;
using ContactCenter.Supervision;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ContactCenter.Agents;

/// <summary>
/// The agent API, for agent desktops (each its own agent) and operators: presence changes, the agent's state
/// and figures, and the screen-pop of the call being offered or handled.
/// </summary>
public static class AgentEndpoints
{
    public const int MaxReasonLength = 64;

    public sealed record LoginRequest(string Endpoint) : IAuditedRequest;

    public sealed record NotReadyRequest(string Reason) : IAuditedRequest;

    public static void MapAgents(this IEndpointRouteBuilder api)
    {
        var agents = api.MapGroup("/agents").RequireAuthorization(AccessPolicies.AgentDesk).WithTags(ApiTags.Agents);
        agents.MapGet("/{agentId}", async (string agentId, HttpContext http, IGrainFactory grains, HomeRegionMap center) =>
            await UnknownAgentAsync(agentId, http, center) ?? await ActAsync(agentId, http, grains, agent => agent.GetStatusAsync()))
            .WithSummary("The agent's state, offer or call, and today's figures")
            .Produces<AgentStatus>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        // A supervisor or admin changing an agent's state here is as much a supervisor action as through
        // /api/v1/supervisor, and is audited the same way; an agent's own desk is not.
        agents.MapPost("/{agentId}/login", (string agentId, LoginRequest request, HttpContext http, IGrainFactory grains) =>
            string.IsNullOrWhiteSpace(request.Endpoint) || request.Endpoint.Length > IngestLimits.MaxReferenceLength
                ? Task.FromResult(Problem("'endpoint' is the phone endpoint to ring (a SIP URI or extension), at most 512 characters"))
                : ActAsync(agentId, http, grains, agent => agent.LoginAsync(request.Endpoint)))
            .AuditedAs("agent_login", AuditTargets.Agent, "agentId")
            .WithSummary("Log in at a phone endpoint (not ready until 'ready')")
            .Produces<AgentStatus>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        agents.MapPost("/{agentId}/logout", (string agentId, HttpContext http, IGrainFactory grains) =>
            ActAsync(agentId, http, grains, agent => agent.LogoutAsync()))
            .AuditedAs("agent_logout", AuditTargets.Agent, "agentId")
            .WithSummary("Log out (after the call in hand, if any)")
            .Produces<AgentStatus>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        agents.MapPost("/{agentId}/ready", (string agentId, HttpContext http, IGrainFactory grains) =>
            ActAsync(agentId, http, grains, agent => agent.ReadyAsync()))
            .AuditedAs("agent_ready", AuditTargets.Agent, "agentId")
            .WithSummary("Ready: offered calls from the agent's queues")
            .Produces<AgentStatus>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        agents.MapPost("/{agentId}/not-ready", (string agentId, NotReadyRequest request, HttpContext http, IGrainFactory grains) =>
            !EventFields.IsValidId(request.Reason) || request.Reason.Length > MaxReasonLength
                ? Task.FromResult(Problem($"'reason' is a reason code (break, meal, training...): an id of at most {MaxReasonLength} characters"))
                : ActAsync(agentId, http, grains, agent => agent.NotReadyAsync(request.Reason)))
            .AuditedAs("agent_not_ready", AuditTargets.Agent, "agentId")
            .WithSummary("Not ready, with a reason code (break, meal, training...)")
            .Produces<AgentStatus>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        agents.MapGet("/{agentId}/screen-pop", ScreenPopAsync)
            .WithSummary("Who is calling: the caller's profile, last contacts and open work orders")
            .Produces<ScreenPop>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        agents.MapGet("/{agentId}/stream", async (
                string agentId, HttpContext http, IGrainFactory grains, HomeRegionMap center, IOptions<JsonOptions> json, IHostApplicationLifetime lifetime,
                ApiTokenDirectory tokens, ILoggerFactory logs) =>
            {
                if (await UnknownAgentAsync(agentId, http, center) is { } refusal)
                {
                    await refusal.ExecuteAsync(http);
                    return;
                }

                await AgentDeskStream.StreamAsync(agentId, http, grains, json, lifetime, tokens, logs.CreateLogger(typeof(AgentDeskStream)));
            })
            .WithSummary("The agent's status as server-sent events, each time it changes, with the caller's screen-pop once a call is offered")
            .Produces<AgentDeskStream.DeskEvent>(contentType: "text/event-stream").ProducesProblem(StatusCodes.Status404NotFound);
        agents.MapRecordingControl();
        agents.MapCallTransfer();
    }

    /// <summary>Who is calling, their last contacts and open work orders, for the call offered to or handled by the agent.</summary>
    private static async Task<IResult> ScreenPopAsync(string agentId, HttpContext http, IGrainFactory grains, HomeRegionMap center)
    {
        if (await UnknownAgentAsync(agentId, http, center) is { } refusal)
        {
            return refusal;
        }

        var status = await grains.GetGrain<IAgentGrain>(agentId).GetStatusAsync();
        var caller = status.Offer?.Caller;
        if (caller is null && status.CallId is { } callId)
        {
            caller = (await grains.GetGrain<ICallGrain>(callId).GetSnapshotAsync())?.Caller;
        }

        if (caller is null || caller == PhoneNumbers.Withheld)
        {
            return Results.Problem(caller is null ? "the agent has no call" : "the caller withheld their number", statusCode: StatusCodes.Status404NotFound);
        }

        return Results.Ok(await grains.GetGrain<ICustomerGrain>(caller).GetScreenPopAsync());
    }

    private static async Task<IResult> ActAsync(string agentId, HttpContext http, IGrainFactory grains, Func<IAgentGrain, Task<AgentStatus>> act)
    {
        if (Refusal(agentId, http) is { } refusal)
        {
            return refusal;
        }

        try
        {
            return Results.Ok(await act(grains.GetGrain<IAgentGrain>(agentId)));
        }
        catch (AgentStateException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict);
        }
    }

    /// <summary>
    /// The refusal of a read about an agent the center does not have (404), or that the caller may not see;
    /// asked of this silo's copy of the center, so a made-up id activates no agent grain.
    /// </summary>
    private static async Task<IResult?> UnknownAgentAsync(string agentId, HttpContext http, HomeRegionMap center)
    {
        if (Refusal(agentId, http) is { } refusal)
        {
            return refusal;
        }

        return await center.IsConfiguredAsync(HomeRegionKind.Agent, agentId) switch
        {
            true => null,
            false => Results.Problem($"there is no agent '{agentId}'", statusCode: StatusCodes.Status404NotFound),
            null => Results.Problem("the center's agents could not be read; try again", statusCode: StatusCodes.Status503ServiceUnavailable),
        };
    }

    /// <summary>Why the request may not act for the agent (a bad id: 400; someone else's desk: 403), or null.</summary>
    internal static IResult? Refusal(string agentId, HttpContext http) =>
        !EventFields.IsValidId(agentId) ? Problem("not a valid agent id")
        : !http.User.MayActFor(agentId) ? Results.Forbid()
        : null;

    private static IResult Problem(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);
}
