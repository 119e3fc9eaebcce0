using System.Net;
using System.Net.Http.Headers;
using Microsoft.AspNetCore.Http.Metadata;

namespace ContactCenter.Recordings;

/// <summary>
/// A recording streamed from its gateway to the supervisor as it arrives (never held whole in the silo), with the
/// headers a player needs to seek: length, range, type. The gateway's refusals become the cluster's own problems.
/// </summary>
internal sealed class RelayedRecording(HttpResponseMessage response) : IResult, IStatusCodeHttpResult
{
    private static readonly string[] CopiedHeaders = ["Accept-Ranges", "Last-Modified", "ETag"];

    public int? StatusCode => (int)response.StatusCode;

    public static async Task<IResult> FetchAsync(HttpClient client, Uri address, string token, HttpContext http, string mediaRef)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, address);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (http.Request.Headers.Range.ToString() is { Length: > 0 } range)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, http.RequestAborted);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !http.RequestAborted.IsCancellationRequested)
        {
            return CallRecordingEndpoints.Problem(StatusCodes.Status502BadGateway, $"the gateway that holds the recording cannot be reached ({ex.Message})");
        }

        switch (response.StatusCode)
        {
            case HttpStatusCode.OK or HttpStatusCode.PartialContent:
                return new RelayedRecording(response);
            case HttpStatusCode.RequestedRangeNotSatisfiable:
                response.Dispose();
                return CallRecordingEndpoints.Problem(StatusCodes.Status416RangeNotSatisfiable, "the range asked for is not in the recording");
            case HttpStatusCode.NotFound:
                response.Dispose();
                return CallRecordingEndpoints.Problem(StatusCodes.Status404NotFound, $"the gateway no longer has recording '{mediaRef}' (deleted after its retention?)");
            default:
                var status = (int)response.StatusCode;
                response.Dispose();
                return CallRecordingEndpoints.Problem(StatusCodes.Status502BadGateway, $"the gateway refused the recording ({status}); see its log");
        }
    }

    public async Task ExecuteAsync(HttpContext http)
    {
        using (response)
        {
            http.Response.StatusCode = (int)response.StatusCode;
            http.Response.ContentType = "audio/wav";
            var content = response.Content.Headers;
            http.Response.ContentLength = content.ContentLength;
            if (content.ContentRange is { } range)
            {
                http.Response.Headers.ContentRange = range.ToString();
            }

            if (content.ContentDisposition is { } disposition)
            {
                http.Response.Headers.ContentDisposition = disposition.ToString();
            }

            foreach (var name in CopiedHeaders)
            {
                if (response.Headers.TryGetValues(name, out var values) || content.TryGetValues(name, out values))
                {
                    http.Response.Headers[name] = values.ToArray();
                }
            }

            await using var body = await response.Content.ReadAsStreamAsync(http.RequestAborted);
            await body.CopyToAsync(http.Response.Body, http.RequestAborted);
        }
    }
}
