using ContactCenter.Audit;
using ContactCenter.Calls;
using ContactCenter.Hosting;
using ContactCenter.Ingest;
using ContactCenter.Security;
using ContactCenter.Supervision;
using Microsoft.Extensions.Options;

namespace ContactCenter.Recordings;

/// <summary>
/// A call's recording, played by a supervisor through the cluster: the file stays on the gateway that recorded it
/// (the SIP edge keeps it for its retention), and the silo relays it from the gateway's
/// <see cref="GatewayAccess.RecordingsUrl"/>, ranges included. Every request is audited, as
/// <c>recording_played</c> on the call, refused ones too: who listened to which call is a question a regulator asks.
/// </summary>
public static class CallRecordingEndpoints
{
    public const string HttpClientName = "recordings";

    public static void MapCallRecordings(this IEndpointRouteBuilder api)
    {
        api.MapGet("/calls/{callId}/recording", PlayAsync)
            .RequireAuthorization(AccessPolicies.Operator)
            .AuditedAs("recording_played", AuditTargets.Call, "callId")
            .WithTags(ApiTags.Calls)
            .WithSummary("A call's recording, as a two-channel WAV (the caller left, the agent right); ranges are served")
            .WithDescription("'part' picks one of several recordings of the call, from 1 (the first, by default). A call still being recorded is a 409: its file is complete once the call has ended.")
            .Produces(StatusCodes.Status200OK, contentType: "audio/wav")
            .Produces(StatusCodes.Status206PartialContent, contentType: "audio/wav")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status502BadGateway);
    }

    public static void AddCallRecordings(this IServiceCollection services) =>
        // Headers within 30 s; the body then streams as fast as the supervisor's player reads it.
        services.AddHttpClient(HttpClientName, client => client.Timeout = TimeSpan.FromSeconds(30));

    private static async Task<IResult> PlayAsync(string callId, int? part, HttpContext http, IGrainFactory grains, IOptionsMonitor<AccessOptions> access, IHttpClientFactory clients)
    {
        if (!EventFields.IsValidId(callId))
        {
            return Problem(StatusCodes.Status400BadRequest, "not a valid call id");
        }

        if (part is < 1)
        {
            return Problem(StatusCodes.Status400BadRequest, "'part' counts from 1");
        }

        if (await grains.GetGrain<ICallGrain>(callId).GetSnapshotAsync() is not { } call)
        {
            return Problem(StatusCodes.Status404NotFound, $"no call '{callId}'");
        }

        var index = (part ?? 1) - 1;
        if (index >= call.Recordings.Length)
        {
            return call.ActiveRecording is not null && index == call.Recordings.Length
                ? Problem(StatusCodes.Status409Conflict, "the call is still being recorded; its recording can be played once the call has ended")
                : Problem(StatusCodes.Status404NotFound, call.Recordings.IsEmpty ? $"call '{callId}' has no recording" : $"call '{callId}' has {call.Recordings.Length} recording(s)");
        }

        var gateway = access.CurrentValue.Gateways.FirstOrDefault(g => g.Id == call.GatewayId);
        if (gateway?.RecordingsUrl is not { } source)
        {
            return Problem(StatusCodes.Status404NotFound, $"gateway '{call.GatewayId}' has no RecordingsUrl: its recordings are not served through the cluster");
        }

        var mediaRef = call.Recordings[index];
        var address = new Uri($"{source.AbsoluteUri.TrimEnd('/')}/recordings/{string.Join('/', mediaRef.Split('/').Select(Uri.EscapeDataString))}");
        return await RelayedRecording.FetchAsync(clients.CreateClient(HttpClientName), address, gateway.Token, http, mediaRef);
    }

    internal static IResult Problem(int status, string detail) => Results.Problem(detail, statusCode: status);
}
