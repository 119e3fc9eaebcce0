using System.Net;
using System.Net.Http.Headers;

namespace ContactCenter.GatewayClient;

/// <summary>A request's result: the region's answer, or why there was none worth reading.</summary>
internal readonly record struct Exchange(HttpResponseMessage? Response, RegionFailure? Failure);

/// <summary>
/// Sends one request to a region with the gateway's token and a deadline, and sorts what came back into an
/// answer the caller reads or a failure of the region. Whether a failure moves the client on is the
/// <see cref="RegionSelector"/>'s business, not this class's.
/// </summary>
internal sealed class RegionHttp(HttpClient http, string token)
{
    private readonly AuthenticationHeaderValue _authorization = new("Bearer", token);

    /// <summary>
    /// Sends <paramref name="request"/> and reads the whole body within <paramref name="timeout"/>. Throws
    /// <see cref="OperationCanceledException"/> only when <paramref name="cancellationToken"/> was cancelled.
    /// </summary>
    public async Task<Exchange> SendAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = _authorization;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            // ResponseContentRead: the deadline covers the body too, so a silo that stalls mid-answer times out.
            response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Failure(FailureKind.TimedOut, $"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException ex)
        {
            return Failure(ex.HttpRequestError == HttpRequestError.ConnectionError ? FailureKind.Unreachable : FailureKind.Failed, ex.Message);
        }

        if (IsAnswerToTheRequest(response.StatusCode))
        {
            return new Exchange(response, null);
        }

        var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        response.Dispose();
        return Failure(FailureKind.Failed, status);
    }

    /// <summary>
    /// Success, and the refusals the API gives on purpose about the request's content. Anything else (5xx, a
    /// token the region does not know, a path it does not serve) says the region cannot serve this gateway
    /// now, so the request is repeated, possibly elsewhere, rather than its content given up.
    /// </summary>
    private static bool IsAnswerToTheRequest(HttpStatusCode status) =>
        (int)status is >= 200 and < 300 || status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.RequestEntityTooLarge;

    private static Exchange Failure(FailureKind kind, string detail) => new(null, new RegionFailure(kind, detail));
}
