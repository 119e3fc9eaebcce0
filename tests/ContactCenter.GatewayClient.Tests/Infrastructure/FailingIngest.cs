using System.Net;

namespace ContactCenter.GatewayClient.Tests.Infrastructure;

/// <summary>
/// Stands in front of real silos as a silo with an ingest bug would behave: a batch of events for the chosen
/// region that carries <paramref name="poison"/> (or every batch, when it is null) is answered 500 without reaching
/// the silo; everything else, readiness probes included, goes through to the real silo. The silos themselves
/// answer every malformed event on its own now, so a 500 has to be played.
/// </summary>
public sealed class FailingIngest(Uri region, string? poison) : DelegatingHandler(new SocketsHttpHandler())
{
    private int _failed;

    /// <summary>Requests answered 500 so far.</summary>
    public int Failed => Volatile.Read(ref _failed);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri!.Authority == region.Authority && request.RequestUri.AbsolutePath.EndsWith("/api/v1/gateway/events", StringComparison.Ordinal)
            && (poison is null || (await request.Content!.ReadAsStringAsync(cancellationToken)).Contains(poison, StringComparison.Ordinal)))
        {
            Interlocked.Increment(ref _failed);
            return new HttpResponseMessage(HttpStatusCode.InternalServerError) { RequestMessage = request, Content = new StringContent("boom") };
        }

        return await base.SendAsync(request, cancellationToken);
    }
}
