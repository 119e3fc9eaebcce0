using ContactCenter.Hosting;
using ContactCenter.Outbound;
using ContactCenter.Security;

namespace ContactCenter.Gateways;

/// <summary>
/// A gateway that started again says so, and the cluster ends the calls it had before at once, instead of
/// waiting for them to be taken for lost: a gateway that restarts within the lost time never looks lost, and its
/// callers, who went with the old process, would otherwise hold agents and queue places until each call's own
/// timeouts. The gateway gives the time it started by its own clock, the clock its events carry, so no skew
/// between its clock and the silos' can end a call of the new process.
/// </summary>
public static class GatewayRestartEndpoint
{
    /// <summary>How far ahead of the silo's clock a start may be: more is a wrong clock, which would end new calls.</summary>
    public static readonly TimeSpan MaxClockLead = TimeSpan.FromMinutes(5);

    /// <param name="StartedAt">When the gateway's process started, by the gateway's clock.</param>
    public sealed record RestartReport(DateTimeOffset? StartedAt);

    /// <param name="Ended">How many of the gateway's calls from before its start were ended now (a repeat ends none).</param>
    /// <param name="OutboundFinished">How many outbound calls it had claimed before its start were finished now as failed.</param>
    public sealed record RestartResult(int Ended, int OutboundFinished);

    public static void MapGatewayRestart(this IEndpointRouteBuilder api)
    {
        api.MapPost("/gateway/restarted", RestartedAsync)
            .RequireAuthorization(AccessPolicies.Gateway)
            .RequireRateLimiting(RateLimits.GatewayCommands)
            .WithTags(ApiTags.Gateways)
            .WithSummary("Say the gateway started again, ending the calls it had before")
            .WithDescription($"""
                Ends every live call of this gateway offered before 'startedAt' (the gateway's own clock), with the
                cause '{GatewayLostCalls.RestartCause}', hung up by the system, as a lost gateway's calls are ended.
                The outbound calls it had claimed before then are finished as failed with the same cause (those not
                yet claimed are still its to dial). Safe to repeat. Each gateway process needs its own gateway identity: two processes sharing one
                would end each other's calls. 'startedAt' more than {MaxClockLead.TotalMinutes:0} minutes ahead of
                the silo's clock is refused.
                """)
            .Produces<RestartResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
    }

    private static async Task<IResult> RestartedAsync(RestartReport? report, HttpContext http, GatewayLostCalls calls, IGrainFactory grains, TimeProvider clock)
    {
        if (report?.StartedAt is not { } startedAt)
        {
            return Results.Problem("'startedAt' is the time the gateway started, by its clock (ISO 8601 with an offset)", statusCode: StatusCodes.Status400BadRequest);
        }

        if (startedAt > clock.GetUtcNow() + MaxClockLead)
        {
            return Results.Problem($"'startedAt' {startedAt:O} is more than {MaxClockLead.TotalMinutes:0} minutes ahead of the cluster's clock: the gateway's clock is wrong, and no call was ended", statusCode: StatusCodes.Status400BadRequest);
        }

        var gatewayId = http.User.GatewayId();
        var ended = await calls.EndRestartedAsync(gatewayId, startedAt, http.RequestAborted);
        return Results.Ok(new RestartResult(ended, await RestartedGatewayOutboundCalls.FinishAsync(grains, gatewayId, startedAt)));
    }
}
