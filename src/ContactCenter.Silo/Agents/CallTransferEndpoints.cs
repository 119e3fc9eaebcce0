using ContactCenter.Audit;
using ContactCenter.Calls;
using ContactCenter.Gateways;
using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Placement;
using ContactCenter.Queues;
using ContactCenter.Security;
using ContactCenter.Supervision;

namespace ContactCenter.Agents;

/// <summary>
/// A blind transfer of the call an agent is on, from the agent's own desk or by a supervisor for them (audited like
/// every such action): to another queue, or to an agent through a queue (by default the call's own), which keeps
/// that agent for the call and offers it to them first (<see cref="IQueueGrain.HoldForTransferAsync"/>). The
/// cluster then asks the call's gateway (<see cref="TransferCall"/>); the gateway ends the agent's leg, keeps the
/// caller and the call's recording, and reports <c>transferred</c>, whose effects put the caller in the queue with
/// a new wait and the first agent into wrap-up.
/// </summary>
public static class CallTransferEndpoints
{
    /// <param name="ToQueue">The queue the call goes to; with <paramref name="ToAgent"/>, the queue it reaches them through (by default the call's).</param>
    /// <param name="ToAgent">The agent the call goes to, if any.</param>
    public sealed record TransferRequest(string? ToQueue, string? ToAgent) : IAuditedRequest;

    public static void MapCallTransfer(this RouteGroupBuilder agents)
    {
        agents.MapPost("/{agentId}/transfer", (string agentId, TransferRequest request, HttpContext http, IGrainFactory grains, IGatewayCommands commands, HomeRegionMap center) =>
                TransferAsync(agentId, request, http, grains, commands, center))
            .AuditedAs("call_transfer", AuditTargets.Agent, "agentId")
            .WithSummary("Transfer the agent's call (blind) to a queue, or to an agent, who is kept for it; the first agent goes to wrap-up")
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

        if (request is { ToQueue: null, ToAgent: null })
        {
            return BadRequest("name where the call goes: 'toQueue', 'toAgent', or both (an agent through a queue)");
        }

        foreach (var (kind, id, field) in new[] { (HomeRegionKind.Queue, request.ToQueue, "toQueue"), (HomeRegionKind.Agent, request.ToAgent, "toAgent") })
        {
            if (id is null)
            {
                continue;
            }

            var known = EventFields.IsValidId(id) ? await center.IsConfiguredAsync(kind, id) : false;
            if (known is null)
            {
                return Results.Problem("the center's queues and agents could not be read; try again", statusCode: StatusCodes.Status503ServiceUnavailable);
            }

            if (known is false)
            {
                return BadRequest($"'{field}': there is no {(kind == HomeRegionKind.Queue ? "queue" : "agent")} '{id}'");
            }
        }

        if (request.ToAgent == agentId)
        {
            return BadRequest("an agent cannot transfer a call to themselves");
        }

        var status = await grains.GetGrain<IAgentGrain>(agentId).GetStatusAsync();
        var call = status.CallId is { } callId ? await grains.GetGrain<ICallGrain>(callId).GetSnapshotAsync() : null;
        if (call is null || call.Phase is not (CallPhase.Talking or CallPhase.OnHold) || call.Agent != agentId)
        {
            return Conflict($"agent '{agentId}' is not on a call");
        }

        if ((request.ToQueue ?? call.Queue) is not { } queue)
        {
            return BadRequest($"call '{call.CallId}' came through no queue: name the queue to reach agent '{request.ToAgent}' through in 'toQueue'");
        }

        // A queue that would turn the caller away (nobody logged in, full) would hang up on them: refused here instead.
        var into = await grains.GetGrain<IQueueGrain>(queue).GetStatusAsync();
        if (into.LoggedInAgents == 0)
        {
            return Conflict($"nobody is logged in to queue '{queue}'");
        }

        if (into.Configuration is { } settings && into.Waiting.Length >= settings.MaxLength)
        {
            return Conflict($"queue '{queue}' is full ({into.Waiting.Length} waiting)");
        }

        if (request.ToAgent is { } target)
        {
            switch (await grains.GetGrain<IQueueGrain>(queue).HoldForTransferAsync(call.CallId, target))
            {
                case TransferHoldOutcome.NotInQueue:
                    return Conflict($"agent '{target}' takes no calls of queue '{queue}'");
                case TransferHoldOutcome.NotAvailable:
                    return Conflict($"agent '{target}' is not available");
                case TransferHoldOutcome.UnknownQueue:
                    return BadRequest($"there is no queue '{queue}'");
            }
        }

        var by = http.User.Identity?.Name ?? agentId;
        var command = await commands.SendAsync(call.GatewayId, new TransferCall(call.CallId, agentId, queue, by), http.RequestAborted);
        return Results.Accepted(ApiRoutes.Call(call.CallId), new SupervisorEndpoints.CommandSent(call.CallId, call.GatewayId, command, "transfer"));
    }

    private static IResult BadRequest(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    private static IResult Conflict(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status409Conflict);
}
