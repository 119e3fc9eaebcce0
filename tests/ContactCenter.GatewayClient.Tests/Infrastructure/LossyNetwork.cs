namespace ContactCenter.GatewayClient.Tests.Infrastructure;

/// <summary>
/// The network between gateway and silo, which loses the answer to the next batch of events when told to:
/// the silo receives and commits the request, the gateway sees only a broken connection.
/// </summary>
public sealed class LossyNetwork() : DelegatingHandler(new SocketsHttpHandler())
{
    private int _loseNext;

    public void LoseNextEventsAnswer() => Interlocked.Exchange(ref _loseNext, 1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (request.RequestUri!.AbsolutePath.EndsWith("/api/v1/gateway/events", StringComparison.Ordinal) && Interlocked.Exchange(ref _loseNext, 0) == 1)
        {
            response.Dispose();
            throw new HttpRequestException(HttpRequestError.ResponseEnded, "the connection broke before the answer arrived");
        }

        return response;
    }
}
