using ContactCenter.Audit;
using ContactCenter.Calls;
using ContactCenter.Gateways;
using ContactCenter.Hosting;
using ContactCenter.Security;
using ContactCenter.Supervision;

namespace ContactCenter.Agents;

/// <summary>
/// Pausing and resuming the recording of the call an agent is on: from the agent's own desk (a caller about to
/// read a card number) or by a supervisor for them (audited as a supervisor action). The cluster asks the call's
/// gateway; the gateway records silence in the meantime, so the recording's timeline stays whole, and reports
/// <c>recording_paused</c> and <c>recording_resumed</c>, which the call's journal keeps with their times.
/// </summary>
public static class RecordingControlEndpoints
{
    public static void MapRecordingControl(this RouteGroupBuilder agents)
    {
        agents.MapPost("/{agentId}/recording/pause", (string agentId, HttpContext http, IGrainFactory grains, IGatewayCommands commands) =>
                AskAsync(agentId, pause: true, http, grains, commands))
            .AuditedAs("recording_pause", AuditTargets.Agent, "agentId")
            .WithSummary("Pause the recording of the agent's call (silence is recorded until it resumes)")
            .Produces<SupervisorEndpoints.CommandSent>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
        agents.MapPost("/{agentId}/recording/resume", (string agentId, HttpContext http, IGrainFactory grains, IGatewayCommands commands) =>
                AskAsync(agentId, pause: false, http, grains, commands))
            .AuditedAs("recording_resume", AuditTargets.Agent, "agentId")
            .WithSummary("Resume the recording of the agent's call")
            .Produces<SupervisorEndpoints.CommandSent>(StatusCodes.Status202Accepted)
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> AskAsync(string agentId, bool pause, HttpContext http, IGrainFactory grains, IGatewayCommands commands)
    {
        if (AgentEndpoints.Refusal(agentId, http) is { } refusal)
        {
            return refusal;
        }

        var status = await grains.GetGrain<IAgentGrain>(agentId).GetStatusAsync();
        var call = status.CallId is { } callId ? await grains.GetGrain<ICallGrain>(callId).GetSnapshotAsync() : null;
        if (call is null || call.Phase is not (CallPhase.Talking or CallPhase.OnHold))
        {
            return Conflict($"agent '{agentId}' is not on a call");
        }

        var wanted = pause ? RecordingStatus.Recording : RecordingStatus.Paused;
        if (call.Recording != wanted)
        {
            return Conflict($"the recording of call '{call.CallId}' is {call.Recording.ToString().ToLowerInvariant()}: only one that is {wanted.ToString().ToLowerInvariant()} can be {(pause ? "paused" : "resumed")}");
        }

        var by = http.User.Identity?.Name ?? agentId;
        GatewayCommand command = pause ? new PauseRecording(call.CallId, by) : new ResumeRecording(call.CallId, by);
        var id = await commands.SendAsync(call.GatewayId, command, http.RequestAborted);
        return Results.Accepted(ApiRoutes.Call(call.CallId), new SupervisorEndpoints.CommandSent(call.CallId, call.GatewayId, id, pause ? "pause_recording" : "resume_recording"));
    }

    private static IResult Conflict(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status409Conflict);
}
