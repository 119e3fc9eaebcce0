using System.Text.Json;
using ContactCenter.Calls;
using ContactCenter.Hosting;
using ContactCenter.Observability;
using ContactCenter.Security;
using Microsoft.AspNetCore.Mvc;

namespace ContactCenter.Ingest;

/// <summary>The gateway ingest API: <c>POST /api/v1/gateway/events</c>.</summary>
public static class GatewayEventEndpoints
{
    public static void MapGatewayEvents(this IEndpointRouteBuilder api) =>
        api.MapPost("/gateway/events", HandleAsync)
            .WithTags(ApiTags.Gateways)
            .WithSummary("Report call events")
            .WithDescription("""
                A batch of call events (1 to 1,000), answered event by event in 'results', in the order sent. An event
                counts once its outcome is 'accepted' or 'duplicate': it is then in the journal and the gateway may
                forget it. 'held' (arrived ahead of a missing sequence number) and 'unavailable' (a transient fault)
                must be sent again; 'rejected' carries the reason and is not retried; 'forbidden' is a call of
                another gateway. One malformed event never spoils the rest of its batch.
                The answer is 200 whenever the batch was processed, 403 when every event was for other gateways'
                calls, 503 when none could be recorded (plain HTTP retry logic then resends the batch).
                """)
            .Accepts<GatewayEventBatch>("application/json")
            .Produces<BatchResponse>(StatusCodes.Status200OK)
            .Produces<BatchResponse>(StatusCodes.Status403Forbidden)
            .Produces<BatchResponse>(StatusCodes.Status503ServiceUnavailable)
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .RequireAuthorization(AccessPolicies.Gateway)
            .RequireRateLimiting(RateLimits.GatewayEvents)
            .WithMetadata(new RequestSizeLimitAttribute(IngestLimits.MaxBodyBytes));

    private static async Task<IResult> HandleAsync(HttpRequest request, CallEventParser parser, EventDispatcher dispatcher)
    {
        IReadOnlyList<ParsedEvent> parsed;
        try
        {
            using var body = await JsonDocument.ParseAsync(request.Body, CallEventParser.DocumentOptions, request.HttpContext.RequestAborted);
            parsed = parser.Parse(body.RootElement);
        }
        catch (JsonException ex)
        {
            return BadRequest($"the body is not valid JSON: {ex.Message}");
        }
        catch (BatchFormatException ex)
        {
            return BadRequest(ex.Message);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Results.Problem($"the body is larger than {IngestLimits.MaxBodyBytes} bytes", statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel could not read the body: cut short, a broken chunk, sent too slowly (408). The client's doing.
            return Results.Problem($"the body could not be read: {ex.Message}", statusCode: ex.StatusCode, title: "Malformed batch");
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException)
        {
            // The gateway went away while sending (its connection broke, or it gave up): nothing was processed,
            // nobody reads this answer, and it is no fault of the silo's, so neither an error nor a 5xx in the log.
            return Results.StatusCode(StatusCodes.Status499ClientClosedRequest);
        }

        var results = await dispatcher.DispatchAsync(request.HttpContext.User.GatewayId(), parsed);
        IngestMeter.Record(results);
        var response = BatchResponse.From(results);
        return Results.Json(response, statusCode: response.StatusCode);
    }

    private static IResult BadRequest(string reason) => Results.Problem(reason, statusCode: StatusCodes.Status400BadRequest, title: "Malformed batch");
}

/// <summary>The answer to a batch: counts by outcome and one result per submitted event, in order.</summary>
public sealed record BatchResponse(int Acknowledged, int Held, int Rejected, int Forbidden, int Unavailable, IReadOnlyList<IndexedResult> Results)
{
    /// <summary>
    /// 200 whenever the batch was processed (read the per-event outcomes); 403 when every event was for calls
    /// of other gateways; 503 when nothing could be recorded, so ordinary HTTP retry logic resends the batch.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public int StatusCode =>
        Forbidden == Results.Count ? StatusCodes.Status403Forbidden
        : Unavailable == Results.Count ? StatusCodes.Status503ServiceUnavailable
        : StatusCodes.Status200OK;

    public static BatchResponse From(IReadOnlyList<IndexedResult> results) => new(
        results.Count(r => r.Outcome is EventOutcome.Accepted or EventOutcome.Duplicate),
        results.Count(r => r.Outcome == EventOutcome.Held),
        results.Count(r => r.Outcome == EventOutcome.Rejected),
        results.Count(r => r.Outcome == EventOutcome.Forbidden),
        results.Count(r => r.Outcome == EventOutcome.Unavailable),
        results);
}
