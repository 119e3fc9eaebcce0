using System.Net.Http.Json;

namespace ContactCenter.GatewayClient;

/// <summary>The body of <c>POST /api/v1/gateway/restarted</c>, and its answer.</summary>
internal sealed record RestartReport(DateTimeOffset StartedAt);

internal sealed record RestartResult(int Ended);

/// <summary>
/// Tells the cluster the gateway started again (<see cref="ContactCenterClient.ReportRestartAsync"/>), to whichever
/// region serves it now, until one has answered: the calls the old process had are ended only once a region knows.
/// </summary>
internal sealed class RestartReporter(RegionSelector regions, RegionHttp http, GatewayClientOptions options, ClientTally tally)
{
    public const string Path = "api/v1/gateway/restarted";

    /// <summary>The region ends every earlier call before it answers: thousands of them after a busy gateway restarts.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(10);

    public async Task<int> ReportAsync(DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var pause = options.RetryDelay;
        while (true)
        {
            var region = regions.Current;
            var exchange = await http.SendAsync(
                () => new HttpRequestMessage(HttpMethod.Post, region.Resolve(Path)) { Content = JsonContent.Create(new RestartReport(startedAt), WireJson.Default.RestartReport) },
                AnswerTimeout,
                cancellationToken);
            using var response = exchange.Response;
            if (response is { IsSuccessStatusCode: true })
            {
                regions.Succeeded(region);
                var result = await response.Content.ReadFromJsonAsync(WireJson.Default.RestartResult, cancellationToken);
                return result?.Ended ?? 0;
            }

            if (response is not null)
            {
                // Refused on purpose (a start too far ahead of the region's clock): asking again would not change it.
                throw new InvalidOperationException($"the cluster refused the restart report: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
            }

            ClientTally.Add(ref tally.FailedRequests);
            regions.Failed(region, exchange.Failure!);
            await Task.Delay(pause, cancellationToken);
            pause = pause * 2 > LongestPause ? LongestPause : pause * 2;
        }
    }
}
