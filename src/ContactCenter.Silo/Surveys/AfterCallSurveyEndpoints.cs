using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Outbound;
using ContactCenter.Security;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Surveys;

/// <summary>
/// The gateway's side of IVR surveys: it was asked (<c>survey_after_call</c>) to keep the caller on the line when the
/// agent hangs up and put the question, and it reports here what the caller keyed, or that it could not ask.
/// </summary>
public static class AfterCallSurveyEndpoints
{
    private const long MaxBodyBytes = 4 * 1024;

    /// <param name="Asked">The caller heard the question; false when the gateway could not put it (the cause says why).</param>
    /// <param name="Digits">The keys pressed, in order.</param>
    /// <param name="Cause">completed, no_keys, hung_up, unknown_prompt...</param>
    /// <param name="At">When the question ended, by the gateway's clock; the same report again carries the same time.</param>
    public sealed record AnswerBody(bool? Asked, string? Digits, string? Cause, DateTimeOffset? At);

    public static void MapAfterCallSurveys(this IEndpointRouteBuilder api)
    {
        api.MapPost("/gateway/calls/{callId}/survey-answer", ReportAsync)
            .RequireAuthorization(AccessPolicies.Gateway)
            .RequireRateLimiting(RateLimits.GatewayCommands)
            .WithMetadata(new RequestSizeLimitAttribute(MaxBodyBytes))
            .WithTags(ApiTags.Gateways)
            .WithSummary("Report the question of a call's IVR survey (survey_after_call): the keys the caller pressed, or why they were not asked")
            .WithDescription("""
                The first key, when it is 1-5, is the score. A repeated report (the same 'at') is answered 200 again. A
                call with no IVR survey, or one whose survey closed already, is answered 409: nothing to resend (a
                gateway retries a 404 elsewhere, taking it for a path not served). Another gateway's call is a 403.
                """)
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> ReportAsync(string callId, AnswerBody? body, HttpContext http, IGrainFactory grains)
    {
        if (!EventFields.IsValidId(callId))
        {
            return Problem(StatusCodes.Status400BadRequest, $"the call id must be 1-{IngestLimits.MaxIdLength} letters, digits or . _ : - @ /");
        }

        if (body is not { Asked: { } asked, Cause: { Length: > 0 } cause, At: { } at })
        {
            return Problem(StatusCodes.Status400BadRequest, "'asked', 'cause' and 'at' are required");
        }

        if (OutboundCallEndpoints.KeysProblem(body.Digits, cause) is { } problem)
        {
            return Problem(StatusCodes.Status400BadRequest, problem);
        }

        if (!asked && !string.IsNullOrEmpty(body.Digits))
        {
            return Problem(StatusCodes.Status400BadRequest, "'digits' come only with a question that was asked");
        }

        var outcome = await grains.ReferenceTo<ISurveyGrain>(callId).AfterCallAnswerAsync(http.User.GatewayId(), new AfterCallAnswer(asked, body.Digits, cause, at));
        return outcome switch
        {
            AfterCallAnswerOutcome.Taken => Results.Ok(new { taken = true }),
            AfterCallAnswerOutcome.WrongGateway => Problem(StatusCodes.Status403Forbidden, $"call '{callId}' is another gateway's"),
            AfterCallAnswerOutcome.Closed => Problem(StatusCodes.Status409Conflict, $"the survey of call '{callId}' is closed"),
            _ => Problem(StatusCodes.Status409Conflict, $"call '{callId}' has no IVR survey"),
        };
    }

    private static IResult Problem(int status, string detail) => Results.Problem(detail, statusCode: status);
}
