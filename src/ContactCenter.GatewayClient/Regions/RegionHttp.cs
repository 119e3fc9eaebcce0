using System.Net;
using System.Net.Http.Headers;

namespace ContactCenter.GatewayClient;

/// <summary>A request's result: the region's answer, or why there was none worth reading.</summary>
internal readonly record struct Exchange(HttpResponseMessage? Response, RegionFailure? Failure);

/// <summary>
/// Sends one request to a region with the gateway's token and a deadline, and sorts what came back into an
/// answer the caller reads or a failure of the region. Whether a failure moves the client on is the
/// <see cref="RegionSelector"/>'s business, not this class's. A region that asks the client to slow down (429)
/// has given neither: it is waited out here, and the request sent to it again.
/// </summary>
internal sealed class RegionHttp(HttpClient http, GatewayClientOptions options, ClientTally tally)
{
    private readonly AuthenticationHeaderValue _authorization = new("Bearer", options.Token);

    /// <summary>
    /// Sends the request <paramref name="compose"/> makes and reads the whole body within <paramref name="timeout"/>.
    /// A 429 Too Many Requests (the region limits how much this gateway may ask at once) says the region is up and
    /// busy with this gateway's other requests, so moving to another region would be wrong: the request is composed
    /// and sent to the same region again after the wait the region asks for (<see cref="ThrottleWait"/>), and the
    /// caller sees only the answer that follows. A region that keeps refusing one request for longer than
    /// <see cref="GatewayClientOptions.MaxThrottledWait"/> (a proxy in front of it stuck at 429) has not answered it
    /// in time: that is a <see cref="FailureKind.TimedOut"/> failure like any other. Throws <see cref="OperationCanceledException"/>
    /// only when <paramref name="cancellationToken"/> was cancelled, during a wait too.
    /// </summary>
    public async Task<Exchange> SendAsync(Func<HttpRequestMessage> compose, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        while (true)
        {
            using var request = compose();
            var exchange = await TransmitAsync(request, timeout, cancellationToken);
            if (exchange.Response is not { StatusCode: HttpStatusCode.TooManyRequests } throttled)
            {
                return exchange;
            }

            var wait = ThrottleWait(throttled);
            throttled.Dispose();
            ClientTally.Add(ref tally.ThrottledRequests);
            if (waited + wait > options.MaxThrottledWait)
            {
                return Failure(FailureKind.TimedOut, $"still answered 429 after {waited.TotalSeconds:0.#} s of waiting (MaxThrottledWait)");
            }

            await Task.Delay(wait, cancellationToken);
            waited += wait;
        }
    }

    private async Task<Exchange> TransmitAsync(HttpRequestMessage request, TimeSpan timeout, CancellationToken cancellationToken)
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
    /// Success, and the refusals the API gives on purpose about the request's content or pace, or because it clashes
    /// with what the cluster knows (409: an outbound call another attempt has claimed). Anything else (5xx,
    /// a token the region does not know, a path it does not serve) says the region cannot serve this gateway
    /// now, so the request is repeated, possibly elsewhere, rather than its content given up.
    /// </summary>
    private static bool IsAnswerToTheRequest(HttpStatusCode status) =>
        (int)status is >= 200 and < 300
        || status is HttpStatusCode.BadRequest or HttpStatusCode.Forbidden or HttpStatusCode.Conflict or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.TooManyRequests;

    /// <summary>
    /// How long a 429 asks the client to wait: its <c>Retry-After</c>, in seconds or as a date. Never longer than
    /// <see cref="GatewayClientOptions.MaxRetryAfter"/> (the next answer can ask again, and a gateway's calls should
    /// not wait an hour on one header), never shorter than <see cref="GatewayClientOptions.RetryDelay"/> (a
    /// <c>Retry-After</c> of 0, or a date already past, must not make the client hammer the region), and the retry
    /// delay when there is none.
    /// </summary>
    private TimeSpan ThrottleWait(HttpResponseMessage response)
    {
        var asked = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => options.RetryDelay,
        };
        return asked > options.MaxRetryAfter ? options.MaxRetryAfter
            : asked < options.RetryDelay ? options.RetryDelay
            : asked;
    }

    private static Exchange Failure(FailureKind kind, string detail) => new(null, new RegionFailure(kind, detail));
}
