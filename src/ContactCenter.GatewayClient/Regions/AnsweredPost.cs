using System.Net.Http.Json;
using System.Text.Json.Serialization.Metadata;

namespace ContactCenter.GatewayClient;

/// <summary>
/// Posts one report (a restart, an outbound call's progress) to whichever region serves the gateway now, again and
/// again with a growing pause, failing over as the event sender does, until a region has answered it: what the
/// report says must reach the cluster, and a report is safe to repeat. Returns that answer, success or a refusal
/// of the report's content (400, 403, 409), for the caller to read.
/// </summary>
internal sealed class AnsweredPost(RegionSelector regions, RegionHttp http, GatewayClientOptions options, ClientTally tally)
{
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(10);

    public async Task<HttpResponseMessage> SendAsync<TBody>(string path, TBody body, JsonTypeInfo<TBody> type, TimeSpan answerTimeout, CancellationToken cancellationToken)
    {
        var pause = options.RetryDelay;
        while (true)
        {
            var region = regions.Current;
            var exchange = await http.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Post, region.Resolve(path)) { Content = JsonContent.Create(body, type) },
                answerTimeout,
                cancellationToken);
            if (exchange.Response is { } response)
            {
                regions.Succeeded(region);
                return response;
            }

            ClientTally.Add(ref tally.FailedRequests);
            regions.Failed(region, exchange.Failure!);
            await Task.Delay(pause, cancellationToken);
            pause = pause * 2 > LongestPause ? LongestPause : pause * 2;
        }
    }
}
