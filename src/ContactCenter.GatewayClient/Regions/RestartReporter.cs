using System.Net.Http.Json;

namespace ContactCenter.GatewayClient;

/// <summary>The body of <c>POST /api/v1/gateway/restarted</c>, and its answer.</summary>
internal sealed record RestartReport(DateTimeOffset StartedAt);

internal sealed record RestartResult(int Ended);

/// <summary>
/// Tells the cluster the gateway started again (<see cref="ContactCenterClient.ReportRestartAsync"/>), to whichever
/// region serves it now, until one has answered: the calls the old process had are ended only once a region knows.
/// </summary>
internal sealed class RestartReporter(AnsweredPost post)
{
    public const string Path = "api/v1/gateway/restarted";

    /// <summary>The region ends every earlier call before it answers: thousands of them after a busy gateway restarts.</summary>
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(60);

    public async Task<int> ReportAsync(DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        using var response = await post.SendAsync(Path, new RestartReport(startedAt), WireJson.Default.RestartReport, AnswerTimeout, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // Refused on purpose (a start too far ahead of the region's clock): asking again would not change it.
            throw new InvalidOperationException($"the cluster refused the restart report: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        var result = await response.Content.ReadFromJsonAsync(WireJson.Default.RestartResult, cancellationToken);
        return result?.Ended ?? 0;
    }
}
