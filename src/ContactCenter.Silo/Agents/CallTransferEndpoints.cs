using ContactCenter.Audit;
using ContactCenter.Calls;
using ContactCenter.Gateways;
using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Placement;
using ContactCenter.Security;
using ContactCenter.Supervision;

namespace ContactCenter.Agents;

/// <summary>
/// A blind transfer of the call an agent is on to another queue, from the agent's own desk or by a supervisor for
/// them (audited like every such action). The cluster asks the call's gateway (<see cref="TransferCall"/>); the
/// gateway ends the agent's leg, keeps the caller and the call's recording, and reports <c>transferred</c>, whose
/// effects put the caller in the new queue with a new wait and the agent into wrap-up.
/// </summary>
public static class CallTransferEndpoints
{
    public sealed record TransferRequest(string? ToQueue) : IAuditedRequest;

    public static void MapCallTransfer(this RouteGroupBuilder agents)
    {
        agents.MapPost("/{agentId}/transfer", (string agentId, TransferRequest request, HttpContext http, IGrainFactory grains, IGatewayCommands commands, HomeRegionMap center) =>
                TransferAsync(agentId, request, http, grains, commands, center))
            .AuditedAs("call_transfer", AuditTargets.Agent, "agentId")
            .WithSummary("Transfer the agent's call to another queue (blind): the caller waits there, the agent goes to wrap-up")
            .Produces<SupervisorEndpoints.CommandSent>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> TransferAsync(
        string agentId, TransferRequest request, HttpContext http, IGrainFactory grains, IGatewayCommands commands, HomeRegionMap center)
    {
        if (AgentEndpoints.Refusal(agentId, http) is { } refusal)
        {
            return refusal;
        }

        if (request.ToQueue is not { } queue || !EventFields.IsValidId(queue))
        {
            return Results.Problem("name the queue to transfer to in 'toQueue' (a valid queue id)", statusCode: StatusCodes.Status400BadRequest);
        }

        switch (await center.IsConfiguredAsync(HomeRegionKind.Queue, queue))
        {
            case false:
                return Results.Problem($"there is no queue '{queue}'", statusCode: StatusCodes.Status400BadRequest);
            case null:
                return Results.Problem("the center's queues could not be read; try again", statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var status = await grains.GetGrain<IAgentGrain>(agentId).GetStatusAsync();
        var call = status.CallId is { } callId ? await grains.GetGrain<ICallGrain>(callId).GetSnapshotAsync() : null;
        if (call is null || call.Phase is not (CallPhase.Talking or CallPhase.OnHold) || call.Agent != agentId)
        {
            return Results.Problem($"agent '{agentId}' is not on a call", statusCode: StatusCodes.Status409Conflict);
        }

        var by = http.User.Identity?.Name ?? agentId;
        var id = await commands.SendAsync(call.GatewayId, new TransferCall(call.CallId, agentId, queue, by), http.RequestAborted);
        return Results.Accepted(ApiRoutes.Call(call.CallId), new SupervisorEndpoints.CommandSent(call.CallId, call.GatewayId, id, "transfer"));
    }
}
