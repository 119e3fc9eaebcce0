using ContactCenter.Audit;
using ContactCenter.Calls;
using ContactCenter.Gateways;
using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Security;
using ContactCenter.Supervision;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Outbound;

/// <summary>
/// Outbound calls: the center (an operator, and the satisfaction callbacks) asks for a call to a subscriber under
/// an id of its own, the cluster places it through a gateway (<c>place_call</c>), and the gateway claims it before
/// it dials and reports its progress to a result: answered with the keys pressed, no answer, busy, declined,
/// unreachable or failed. The id makes asking again safe: the same request under the same id places nothing new.
/// </summary>
public static class OutboundCallEndpoints
{
    public const int MaxDigitsAllowed = 16;
    public const int MaxDigitSeconds = 60;
    public const int MinRingSeconds = 5;
    public const int MaxRingSeconds = 120;
    public const int MaxPromptLength = 40;
    private const int MaxCauseLength = 64;
    private const long MaxBodyBytes = 4 * 1024;

    /// <param name="To">The subscriber's E.164 number.</param>
    /// <param name="Prompt">The name of one of the gateway's outbound prompts.</param>
    /// <param name="MaxDigits">Keys to collect, 0 to play the prompt only; 1 by default.</param>
    /// <param name="DigitSeconds">How long to wait for them after the prompt; 8 by default.</param>
    /// <param name="RingSeconds">How long the phone rings before it counts as not answered; 30 by default.</param>
    /// <param name="CallerId">The number the subscriber sees; the gateway's own by default.</param>
    public sealed record OutboundCallBody(string? To, string? Prompt, int? MaxDigits, int? DigitSeconds, int? RingSeconds, string? CallerId) : IAuditedRequest;

    /// <param name="Step">dialing (the claim, before dialling), ringing, answered or finished.</param>
    /// <param name="Attempt">The gateway's id of this attempt, the same in all its reports.</param>
    public sealed record ProgressBody(OutboundCallPhase? Step, string? Attempt, DateTimeOffset? At, OutboundCallResult? Result, string? Digits, string? Cause, int? SipStatus);

    public static void MapOutboundCalls(this IEndpointRouteBuilder api)
    {
        var calls = api.MapGroup("/outbound-calls").RequireAuthorization(AccessPolicies.Operator).WithTags(ApiTags.Calls);
        calls.MapPut("/{id}", PlaceAsync)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .AuditedAs("outbound_call", AuditTargets.OutboundCall, "id")
            .WithSummary("Place a call to a subscriber under this id (asking again with the same request places nothing new)")
            .Produces<OutboundCallSnapshot>(StatusCodes.Status202Accepted)
            .Produces<OutboundCallSnapshot>()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        calls.MapGet("/{id}", GetAsync)
            .WithSummary("An outbound call: its phase, and its result once finished")
            .Produces<OutboundCallSnapshot>()
            .ProducesProblem(StatusCodes.Status404NotFound);

        api.MapPost("/gateway/outbound-calls/{id}/progress", ReportAsync)
            .RequireAuthorization(AccessPolicies.Gateway)
            .RequireRateLimiting(RateLimits.GatewayCommands)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .WithTags(ApiTags.Gateways)
            .WithSummary("Report a step of an outbound call the gateway was asked to place (claim it with 'dialing' before dialling)")
            .WithDescription("""
                'dialing' is a claim: dial only after a 200. The cluster grants one attempt per call, so a place_call
                delivered twice rings the subscriber once; a claim by another attempt, after the call expired or
                finished, is answered 409 and must not be dialled. A repeated report is answered 200 again. An
                unknown call id is a 409 too (a gateway retries a 404 elsewhere, taking it for a path not served).
                """)
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> PlaceAsync(string id, OutboundCallBody? body, HttpContext http, IGrainFactory grains, OutboundGateways gateways)
    {
        if (!EventFields.IsValidId(id))
        {
            return BadRequest($"the id must be 1-{IngestLimits.MaxIdLength} letters, digits or . _ : - @ /");
        }

        if (id.StartsWith(Surveys.SurveyLife.CallbackCallPrefix, StringComparison.Ordinal))
        {
            return BadRequest($"ids beginning '{Surveys.SurveyLife.CallbackCallPrefix}' are the satisfaction callbacks'; choose another");
        }

        if (Validate(body) is { } problem)
        {
            return BadRequest(problem);
        }

        var request = new OutboundCallRequest(body!.To!, body.Prompt!, body.MaxDigits ?? 1, body.DigitSeconds ?? 8, body.RingSeconds ?? 30, body.CallerId);
        var grain = grains.GetGrain<IOutboundCallGrain>(id);
        // A repeat goes to the gateway the call was placed through, whatever the gateways' health is now.
        var gateway = (await grain.GetAsync())?.GatewayId ?? gateways.Choose();
        if (gateway is null)
        {
            return Results.Problem(gateways.Unavailable(), statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var placed = await grain.PlaceAsync(request, gateway);
        if (placed.Conflict is { } conflict)
        {
            return Results.Problem(conflict, statusCode: StatusCodes.Status409Conflict);
        }

        return placed.Created ? Results.Accepted(ApiRoutes.OutboundCall(id), placed.Call) : Results.Ok(placed.Call);
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains) =>
        EventFields.IsValidId(id) && await grains.GetGrain<IOutboundCallGrain>(id).GetAsync() is { } call
            ? Results.Ok(call)
            : Results.Problem($"no outbound call '{id}'", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> ReportAsync(string id, ProgressBody? body, HttpContext http, IGrainFactory grains)
    {
        if (!EventFields.IsValidId(id))
        {
            return BadRequest($"the id must be 1-{IngestLimits.MaxIdLength} letters, digits or . _ : - @ /");
        }

        if (body is not { Step: { } step, Attempt: { } attempt, At: { } at })
        {
            return BadRequest("'step', 'attempt' and 'at' are required");
        }

        if (!EventFields.IsValidId(attempt))
        {
            return BadRequest($"'attempt' must be 1-{IngestLimits.MaxIdLength} letters, digits or . _ : - @ /");
        }

        if (step == OutboundCallPhase.Placed)
        {
            return BadRequest("'placed' is the cluster's step, not a gateway's");
        }

        if ((step == OutboundCallPhase.Finished) != (body.Result is not null))
        {
            return BadRequest("'result' is given with 'finished', and only with it");
        }

        if (KeysProblem(body.Digits, body.Cause) is { } problem)
        {
            return BadRequest(problem);
        }

        if (body.SipStatus is { } status && status is < 300 or > 699)
        {
            return BadRequest("'sipStatus' is a final SIP status of a call not answered, 300-699");
        }

        var progress = new OutboundProgress(step, attempt, at, body.Result, body.Digits, body.Cause, body.SipStatus);
        var outcome = await grains.GetGrain<IOutboundCallGrain>(id).ReportAsync(http.User.GatewayId(), progress);
        return outcome.Refusal is { } refusal
            ? Results.Problem(refusal, statusCode: StatusCodes.Status409Conflict)
            : Results.Ok(new { phase = outcome.Call!.Phase });
    }

    /// <summary>What is wrong with the keys and the cause a gateway reports of a call it put a question on; null when nothing.</summary>
    internal static string? KeysProblem(string? digits, string? cause) =>
        digits is not null && (digits.Length > MaxDigitsAllowed || digits.AsSpan().IndexOfAnyExcept("0123456789*#ABCD") >= 0)
            ? $"'digits' are at most {MaxDigitsAllowed} of 0-9 * # A-D"
            : cause is not null && (cause.Length > MaxCauseLength || !EventFields.IsIdentifier(cause))
                ? $"'cause' is at most {MaxCauseLength} letters, digits or . _ : - @ /"
                : null;

    private static string? Validate(OutboundCallBody? body)
    {
        if (body is null)
        {
            return "a JSON body with 'to' and 'prompt' is required";
        }

        if (body.To is not { } to || !PhoneNumbers.IsE164(to))
        {
            return "'to' is the subscriber's E.164 number ('+' and 8 to 15 digits)";
        }

        if (body.Prompt is not { Length: > 0 and <= MaxPromptLength } prompt || prompt.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789_-") >= 0)
        {
            return $"'prompt' is the name of one of the gateway's outbound prompts: 1-{MaxPromptLength} of a-z 0-9 _ -";
        }

        if (body.MaxDigits is < 0 or > MaxDigitsAllowed)
        {
            return $"'maxDigits' is 0 (play the prompt only) to {MaxDigitsAllowed}";
        }

        if (body.DigitSeconds is < 1 or > MaxDigitSeconds)
        {
            return $"'digitSeconds' is 1 to {MaxDigitSeconds}";
        }

        if (body.RingSeconds is < MinRingSeconds or > MaxRingSeconds)
        {
            return $"'ringSeconds' is {MinRingSeconds} to {MaxRingSeconds}";
        }

        if (body.CallerId is { } callerId && !PhoneNumbers.IsDiallable(callerId))
        {
            return "'callerId' is an E.164 number or a service number of 3 to 15 digits";
        }

        return null;
    }

    private static IResult BadRequest(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);
}
