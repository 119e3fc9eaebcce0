using System.Text;
using ContactCenter.Hosting;
using ContactCenter.Security;
using ContactCenter.Surveys;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Sms;

/// <summary>
/// What Kannel tells the cluster: subscribers' texts (its <c>get-url</c>, or <c>post-url</c> with the text as the body
/// and the sender in <c>X-Kannel-From</c>) and delivery reports of the surveys' messages, let in by the key in their
/// URLs (<see cref="SmsGatewayKeyAuthentication"/>).
/// A text that cannot be taken (no sender, no text, too long) is a 400 with the reason; a text from a number that is no
/// subscriber's, or with no survey to answer, is a 200 saying so, since sending it again would change nothing.
/// </summary>
public static class KannelInboundEndpoints
{
    /// <summary>A long message of several parts, reassembled by Kannel, is still at most a few hundred characters.</summary>
    public const int MaxTextLength = 2_000;

    private const int MaxIdLength = 100;

    public sealed record IncomingResult(string Outcome);

    public static void MapKannelInbound(this IEndpointRouteBuilder api)
    {
        var kannel = api.MapGroup("/sms/kannel").RequireAuthorization(AccessPolicies.SmsGateway).WithTags(ApiTags.Surveys);
        kannel.MapGet("/incoming", IncomingAsync)
            .WithSummary("A subscriber's text, from Kannel's get-url (key, from=%p, text=%a, id=%I)")
            .Produces<IncomingResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        kannel.MapPost("/incoming", IncomingPostAsync)
            .WithMetadata(new RequestSizeLimitAttribute(MaxTextLength * 4))
            .WithSummary("A subscriber's text, from Kannel's post-url: the text is the body, the sender X-Kannel-From")
            .Produces<IncomingResult>()
            .ProducesProblem(StatusCodes.Status400BadRequest);
        kannel.MapGet("/delivery", DeliveryAsync)
            .WithSummary("A delivery report of a survey's message (key, ref, status=%d)")
            .Produces(StatusCodes.Status200OK)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    private static Task<IResult> IncomingAsync(
        [FromQuery] string? from, [FromQuery] string? text, [FromQuery] string? id, KannelOptions kannel, IGrainFactory grains, TimeProvider clock) =>
        TakeAsync(from, text, id, kannel, grains, clock);

    private static async Task<IResult> IncomingPostAsync([FromQuery] string? id, HttpContext http, KannelOptions kannel, IGrainFactory grains, TimeProvider clock)
    {
        string text;
        try
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            text = await reader.ReadToEndAsync(http.RequestAborted);
        }
        catch (BadHttpRequestException ex)
        {
            return BadRequest($"the text could not be read: {ex.Message}");
        }

        var from = http.Request.Headers["X-Kannel-From"].ToString();
        return await TakeAsync(from, text, id, kannel, grains, clock);
    }

    private static async Task<IResult> TakeAsync(string? from, string? text, string? id, KannelOptions kannel, IGrainFactory grains, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(from))
        {
            return BadRequest("the sender is missing (from=%p in Kannel's get-url)");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return BadRequest("the text is missing or empty (text=%a in Kannel's get-url)");
        }

        if (text.Length > MaxTextLength)
        {
            return BadRequest($"the text is {text.Length} characters; at most {MaxTextLength} are taken");
        }

        if (id is { Length: > MaxIdLength })
        {
            return BadRequest($"the message id is longer than {MaxIdLength} characters");
        }

        if (SmsNumbers.ToE164(from, kannel.CountryCode) is not { } subscriber)
        {
            return Results.Ok(new IncomingResult("unknown_sender"));
        }

        var outcome = await grains.ReferenceTo<ISubscriberSurveysGrain>(subscriber)
            .ReplyAsync(new IncomingSms(subscriber, text, clock.GetUtcNow(), string.IsNullOrEmpty(id) ? null : id));
        return Results.Ok(new IncomingResult(System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(outcome.ToString())));
    }

    private static async Task<IResult> DeliveryAsync([FromQuery(Name = "ref")] string? reference, [FromQuery] string? status, IGrainFactory grains)
    {
        if (reference is null || reference.Length > MaxIdLength || !SmsReference.TryRead(reference, out var callId, out var number))
        {
            return BadRequest("ref must be a survey message's reference: its number, a dot, the call id");
        }

        if (!int.TryParse(status, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var code)
            || KannelSmsGateway.DeliveryOf(code) is not { } delivery)
        {
            return BadRequest("status must be one of Kannel's delivery report values (%d): 1, 2, 4, 8 or 16");
        }

        var survey = grains.ReferenceTo<ISurveyGrain>(callId);
        if (await survey.GetAsync() is null)
        {
            return Results.Problem($"no survey of call '{callId}'", statusCode: StatusCodes.Status404NotFound);
        }

        await survey.DeliveryReportAsync(number, delivery == SmsDelivery.Delivered, delivery == SmsDelivery.Failed);
        return Results.Ok();
    }

    private static IResult BadRequest(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);
}
