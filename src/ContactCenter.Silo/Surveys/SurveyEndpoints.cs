using ContactCenter.Audit;
using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Security;
using ContactCenter.Supervision;

namespace ContactCenter.Surveys;

/// <summary>Supervisors' view of the surveys: today's figures, one call's survey, and the low scores to follow up.</summary>
public static class SurveyEndpoints
{
    public const int MaxFollowUpsListed = 500;

    public sealed record FollowUpBody(string? Note) : IAuditedRequest;

    public static void MapSurveys(this IEndpointRouteBuilder api)
    {
        var surveys = api.MapGroup("/surveys").RequireAuthorization(AccessPolicies.Operator).WithTags(ApiTags.Surveys);
        surveys.MapGet("/figures", (IGrainFactory grains) => grains.ReferenceTo<ISurveyFiguresGrain>(SurveyFiguresGrain.Key).GetTodayAsync())
            .WithSummary("Today's survey figures (sent, answered, satisfied, low scores, opted out) for the center, by queue and by agent")
            .Produces<SurveyFigures>();
        surveys.MapGet("/follow-ups", FollowUpsAsync)
            .WithSummary("The low scores not yet followed up, oldest first (optionally one queue's)")
            .Produces<SurveyView[]>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        surveys.MapGet("/{callId}", GetAsync)
            .WithSummary("One call's survey")
            .Produces<SurveyView>()
            .ProducesProblem(StatusCodes.Status404NotFound);
        surveys.MapPost("/{callId}/follow-up", CloseFollowUpAsync)
            .AuditedAs("survey_follow_up", AuditTargets.Call, "callId")
            .WithSummary("The survey's low score was followed up (the customer called back, the case handled)")
            .Produces<SurveyView>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict);
    }

    private static async Task<IResult> FollowUpsAsync(string? queue, int? limit, ISurveyStore store, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxFollowUpsListed)
        {
            return Results.Problem($"limit must be 1-{MaxFollowUpsListed}", statusCode: StatusCodes.Status400BadRequest);
        }

        if (queue is not null && !EventFields.IsValidId(queue))
        {
            return Results.Problem("queue is not a valid queue id", statusCode: StatusCodes.Status400BadRequest);
        }

        return Results.Ok(await store.OpenFollowUpsAsync(queue, limit ?? 100, cancellationToken));
    }

    private static async Task<IResult> GetAsync(string callId, IGrainFactory grains) =>
        EventFields.IsValidId(callId) && await grains.ReferenceTo<ISurveyGrain>(callId).GetAsync() is { } survey
            ? Results.Ok(survey)
            : Results.Problem($"no survey of call '{callId}'", statusCode: StatusCodes.Status404NotFound);

    private static async Task<IResult> CloseFollowUpAsync(string callId, FollowUpBody? body, HttpContext http, IGrainFactory grains)
    {
        var survey = EventFields.IsValidId(callId) ? grains.ReferenceTo<ISurveyGrain>(callId) : null;
        if (survey is null || await survey.GetAsync() is null)
        {
            return Results.Problem($"no survey of call '{callId}'", statusCode: StatusCodes.Status404NotFound);
        }

        return await survey.CloseFollowUpAsync(http.User.Identity?.Name ?? "operator") is { } closed
            ? Results.Ok(closed)
            : Results.Problem($"the survey of call '{callId}' has no low score to follow up", statusCode: StatusCodes.Status409Conflict);
    }
}
