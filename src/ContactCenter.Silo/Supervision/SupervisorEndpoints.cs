using ContactCenter.Agents;
using ContactCenter.Audit;
using ContactCenter.Calls;
using ContactCenter.Gateways;
using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Placement;
using ContactCenter.Queues;
using ContactCenter.Security;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Supervision;

/// <summary>
/// What supervisors (and admins) do to agents, calls and queues: force an agent's state, monitor, whisper to or
/// barge into a call, move a waiting call to another queue, change its priority. Every action, allowed or refused
/// for the caller's role, is written to the audit log before the answer (see <see cref="SupervisorAuditFilter"/>).
/// </summary>
public static class SupervisorEndpoints
{
    /// <summary>Every body here is a few short fields.</summary>
    public const long MaxBodyBytes = 4 * 1024;

    public sealed record NotReadyRequest(string? Reason) : IAuditedRequest;

    public sealed record JoinRequest(string? Endpoint) : IAuditedRequest;

    public sealed record MoveRequest(string? ToQueue) : IAuditedRequest;

    public sealed record PriorityRequest(int? Priority) : IAuditedRequest;

    /// <summary>A command sent to the call's gateway; the gateway reports what it did as the call's own events.</summary>
    public sealed record CommandSent(string CallId, string GatewayId, long CommandId, string Kind, string? Mode = null, string? Endpoint = null);

    public sealed record CallMovedView(string CallId, string FromQueue, string ToQueue, string? WithdrawnOfferFrom);

    public static void MapSupervisorActions(this IEndpointRouteBuilder api)
    {
        var supervisor = api.MapGroup("/supervisor")
            .RequireAuthorization(AccessPolicies.Operator)
            .AddEndpointFilter<SupervisorAuditFilter>()
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .WithTags(ApiTags.Supervisors)
            .WithDescription("Every request, carried out or refused, is in the audit log (GET /api/v1/audit).");

        supervisor.MapPost("/agents/{agentId}/not-ready", ForceNotReadyAsync)
            .WithMetadata(new SupervisorAction("force_not_ready", AuditTargets.Agent, "agentId"))
            .WithSummary("Make an agent not ready (after the call in hand)")
            .Produces<AgentStatus>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        supervisor.MapPost("/agents/{agentId}/logout", ForceLogoutAsync)
            .WithMetadata(new SupervisorAction("force_logout", AuditTargets.Agent, "agentId"))
            .WithSummary("Log an agent out (after the call in hand)")
            .Produces<AgentStatus>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        foreach (var mode in Enum.GetValues<SupervisionMode>())
        {
            var name = mode.ToString().ToLowerInvariant();
            supervisor.MapPost($"/calls/{{callId}}/{name}", (string callId, JoinRequest? request, HttpContext http, IGrainFactory grains, IGatewayCommands commands) =>
                    JoinAsync(callId, mode, request, http, grains, commands))
                .WithMetadata(new SupervisorAction(name, AuditTargets.Call, "callId"))
                .WithSummary($"Join a call as a supervisor: {name} ({Describe(mode)})")
                .Produces<CommandSent>(StatusCodes.Status202Accepted)
                .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        }

        supervisor.MapPost("/calls/{callId}/leave", LeaveAsync)
            .WithMetadata(new SupervisorAction("leave_call", AuditTargets.Call, "callId"))
            .WithSummary("Leave a call the supervisor joined")
            .Produces<CommandSent>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        supervisor.MapPost("/queues/{queueId}/calls/{callId}/move", MoveAsync)
            .WithMetadata(new SupervisorAction("move_call", AuditTargets.Call, "callId"))
            .WithSummary("Move a waiting call to another queue, keeping its place by waiting time")
            .Produces<CallMovedView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        supervisor.MapPost("/queues/{queueId}/calls/{callId}/priority", SetPriorityAsync)
            .WithMetadata(new SupervisorAction("set_priority", AuditTargets.Call, "callId"))
            .WithSummary("Change a waiting call's priority (higher is served first)")
            .Produces<WaitingCallView>()
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ForceNotReadyAsync(string agentId, NotReadyRequest? request, IGrainFactory grains)
    {
        if (request?.Reason is not { } reason || !EventFields.IsValidId(reason) || reason.Length > AgentEndpoints.MaxReasonLength)
        {
            return Invalid($"'reason' is a reason code (break, meal, training...): an id of at most {AgentEndpoints.MaxReasonLength} characters");
        }

        return await ForceAsync(agentId, grains, agent => agent.NotReadyAsync(reason));
    }

    private static Task<IResult> ForceLogoutAsync(string agentId, IGrainFactory grains) =>
        ForceAsync(agentId, grains, agent => agent.LogoutAsync());

    /// <summary>The agent's own state machine decides, as for the agent's desktop: an agent on a call can be neither logged out nor put not ready (409).</summary>
    private static async Task<IResult> ForceAsync(string agentId, IGrainFactory grains, Func<IAgentGrain, Task<AgentStatus>> change)
    {
        if (!EventFields.IsValidId(agentId))
        {
            return Invalid("not a valid agent id");
        }

        var agent = grains.GetGrain<IAgentGrain>(agentId);
        if ((await agent.GetStatusAsync()).Profile is null)
        {
            return NotFound($"there is no agent '{agentId}'");
        }

        try
        {
            return Results.Ok(await change(agent));
        }
        catch (AgentStateException ex)
        {
            return Conflict(ex.Message);
        }
    }

    /// <summary>
    /// Asks the gateway that owns the call to bridge the supervisor in. The request is not an event of the call:
    /// a call's events are the gateway's, numbered by the gateway and replayed through the call's state machine,
    /// so the cluster writes none of its own into them. The request is kept in the audit log (and shown with the
    /// call by GET /api/v1/calls/{id}); the gateway reports the fact, participant_joined, in its own sequence.
    /// </summary>
    private static async Task<IResult> JoinAsync(string callId, SupervisionMode mode, JoinRequest? request, HttpContext http, IGrainFactory grains, IGatewayCommands commands)
    {
        if (request?.Endpoint is not { } endpoint || string.IsNullOrWhiteSpace(endpoint) || endpoint.Length > IngestLimits.MaxReferenceLength || endpoint.Any(char.IsControl))
        {
            return Invalid($"'endpoint' is the supervisor's phone endpoint to bridge in (a SIP URI or extension), at most {IngestLimits.MaxReferenceLength} characters");
        }

        var (call, refusal) = await CallAsync(callId, grains);
        if (refusal is not null)
        {
            return refusal;
        }

        if (call!.Phase is not (CallPhase.Talking or CallPhase.OnHold))
        {
            return Conflict($"call '{callId}' is {Describe(call.Phase)}: only a call that is talking or on hold can be monitored, whispered to or barged into");
        }

        var supervisor = http.User.Identity!.Name!;
        var id = await commands.SendAsync(call.GatewayId, new JoinAsSupervisor(callId, supervisor, mode, endpoint), http.RequestAborted);
        return Results.Accepted(ApiRoutes.Call(callId), new CommandSent(callId, call.GatewayId, id, "join_as_supervisor", mode.ToString().ToLowerInvariant(), endpoint));
    }

    private static async Task<IResult> LeaveAsync(string callId, HttpContext http, IGrainFactory grains, IGatewayCommands commands)
    {
        var (call, refusal) = await CallAsync(callId, grains);
        if (refusal is not null)
        {
            return refusal;
        }

        if (call!.IsEnded)
        {
            return Conflict($"call '{callId}' has ended");
        }

        var id = await commands.SendAsync(call.GatewayId, new LeaveAsSupervisor(callId, http.User.Identity!.Name!), http.RequestAborted);
        return Results.Accepted(ApiRoutes.Call(callId), new CommandSent(callId, call.GatewayId, id, "leave_as_supervisor"));
    }

    private static async Task<IResult> MoveAsync(string queueId, string callId, MoveRequest? request, HttpContext http, IGrainFactory grains, HomeRegionMap center)
    {
        if (!EventFields.IsValidId(queueId) || !EventFields.IsValidId(callId))
        {
            return Invalid("not a valid queue or call id");
        }

        if (request?.ToQueue is not { } toQueue || !EventFields.IsValidId(toQueue))
        {
            return Invalid("'toQueue' is the id of the queue to move the call to");
        }

        if (toQueue == queueId)
        {
            return Invalid($"call '{callId}' already waits in '{queueId}'");
        }

        // Asked of this silo's copy of the center first: a queue grain activated for a made-up id would stay.
        var (sourceKnown, targetKnown) = (await center.IsConfiguredAsync(HomeRegionKind.Queue, queueId), await center.IsConfiguredAsync(HomeRegionKind.Queue, toQueue));
        if (sourceKnown is null || targetKnown is null)
        {
            return Results.Problem("the center's queues could not be read; try again", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        if (sourceKnown == false)
        {
            return NotFound($"there is no queue '{queueId}'");
        }

        if (targetKnown == false)
        {
            return Invalid($"'toQueue': there is no queue '{toQueue}'");
        }

        var (source, target) = (await grains.GetGrain<IQueueGrain>(queueId).GetStatusAsync(), await grains.GetGrain<IQueueGrain>(toQueue).GetStatusAsync());
        if (source.Configuration is null)
        {
            return NotFound($"there is no queue '{queueId}'");
        }

        if (target.Configuration is null)
        {
            return Invalid($"'toQueue': there is no queue '{toQueue}'");
        }

        // Looked at before the call is let go, so an offer in flight is not withdrawn for a move bound to fail;
        // the target checks again when it takes the call.
        if (TargetCannotTake(target) is { } full)
        {
            return Conflict($"queue '{toQueue}' cannot take the call: {full}; it stays in '{queueId}'");
        }

        MoveResult moved;
        try
        {
            moved = await SupervisorMoves.MoveAsync(grains, queueId, callId, toQueue, http.User.Identity!.Name!);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            return Results.Problem(
                $"the move did not finish ({ex.GetType().Name}); queue '{queueId}' settles it within a minute, see GET /api/v1/queues/{queueId}",
                statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        return moved.Status switch
        {
            MoveStatus.Moved => Results.Ok(new CallMovedView(callId, queueId, toQueue, moved.WithdrawnFrom)),
            MoveStatus.NotWaiting => NotFound($"call '{callId}' is not waiting in queue '{queueId}'"),
            MoveStatus.BeingHandedOver => Conflict($"call '{callId}' is being handed to another queue (overflow, or another move); look again in a moment"),
            MoveStatus.TargetRefused => Conflict($"queue '{toQueue}' cannot take the call: {Describe(moved.TargetOutcome)}; it stays in '{queueId}'"),
            _ => Conflict($"call '{callId}' left queue '{queueId}' (answered, or the caller hung up) while it was being moved"),
        };
    }

    private static async Task<IResult> SetPriorityAsync(string queueId, string callId, PriorityRequest? request, IGrainFactory grains, HomeRegionMap center)
    {
        if (!EventFields.IsValidId(queueId) || !EventFields.IsValidId(callId))
        {
            return Invalid("not a valid queue or call id");
        }

        if (request?.Priority is not { } priority || priority is < CallPriorities.Normal or > CallPriorities.Highest)
        {
            return Invalid($"'priority' is a whole number from {CallPriorities.Normal} (normal) to {CallPriorities.Highest} (first)");
        }

        // Asked of this silo's copy of the center first, as a move is: a queue grain activated for a made-up id would stay.
        switch (await center.IsConfiguredAsync(HomeRegionKind.Queue, queueId))
        {
            case null:
                return Results.Problem("the center's queues could not be read; try again", statusCode: StatusCodes.Status503ServiceUnavailable);
            case false:
                return NotFound($"there is no queue '{queueId}'");
        }

        var queue = grains.GetGrain<IQueueGrain>(queueId);
        if ((await queue.GetStatusAsync()).Configuration is null)
        {
            return NotFound($"there is no queue '{queueId}'");
        }

        var change = await queue.SetPriorityAsync(callId, priority);
        return change.Refusal switch
        {
            null => Results.Ok(change.Call),
            WaitingCallRefusal.NotWaiting => NotFound($"call '{callId}' is not waiting in queue '{queueId}'"),
            _ => Conflict($"call '{callId}' is being handed to queue '{change.Call?.OverflowingTo}'; look again in a moment"),
        };
    }

    private static async Task<(CallSnapshot? Call, IResult? Refusal)> CallAsync(string callId, IGrainFactory grains)
    {
        if (!EventFields.IsValidId(callId))
        {
            return (null, Invalid("not a valid call id"));
        }

        var call = await grains.GetGrain<ICallGrain>(callId).GetSnapshotAsync();
        return call is null ? (null, NotFound($"there is no call '{callId}'")) : (call, null);
    }

    private static string? TargetCannotTake(QueueStatus target) =>
        target.Waiting.Length >= target.Configuration!.MaxLength ? "it is full"
        : target.LoggedInAgents == 0 ? "nobody is logged in to it"
        : null;

    private static string Describe(EnqueueOutcome? outcome) => outcome switch
    {
        EnqueueOutcome.Full => "it is full",
        EnqueueOutcome.NobodyLoggedIn => "nobody is logged in to it",
        _ => "it is not a queue",
    };

    private static string Describe(CallPhase phase) => phase switch
    {
        CallPhase.InIvr => "in the IVR",
        CallPhase.Ended => "over",
        _ => phase.ToString().ToLowerInvariant(),
    };

    private static string Describe(SupervisionMode mode) => mode switch
    {
        SupervisionMode.Monitor => "listen, unheard",
        SupervisionMode.Whisper => "speak to the agent only",
        SupervisionMode.Barge => "speak to both",
        _ => mode.ToString(),
    };

    private static IResult Invalid(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    private static IResult NotFound(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status404NotFound);

    private static IResult Conflict(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status409Conflict);
}
