using System.Net;
using System.Net.Http.Headers;

namespace ContactCenter.GatewayClient.Tests.Infrastructure;

/// <summary>
/// Stands in front of real silos as a proxy that limits a gateway's pace would: the first <paramref name="times"/>
/// batches of events are answered 429 with the <c>Retry-After</c> that <paramref name="retryAfter"/> gives (none when
/// it gives null), without reaching the silo; everything else goes through. The silo's own limiter sends only
/// seconds; this plays the forms it does not (a date, no header at all), and a proxy stuck refusing one region
/// (<paramref name="onlyTo"/>: that region's address; null for every region).
/// </summary>
public sealed class ThrottledIngest(int times, Func<RetryConditionHeaderValue?> retryAfter, Uri? onlyTo = null) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _batches;

    /// <summary>Requests answered 429 so far.</summary>
    public int Throttled => Math.Min(Volatile.Read(ref _batches), times);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri!.AbsolutePath.EndsWith("/api/v1/gateway/events", StringComparison.Ordinal)
            && (onlyTo is null || request.RequestUri.Authority == onlyTo.Authority)
            && Interlocked.Increment(ref _batches) <= times)
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { RequestMessage = request, Content = new StringContent("slow down") };
            response.Headers.RetryAfter = retryAfter();
            return Task.FromResult(response);
        }

        return base.SendAsync(request, cancellationToken);
    }
}
