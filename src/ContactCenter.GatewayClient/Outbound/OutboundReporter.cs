using System.Net.Http.Json;
using System.Text.Json;

namespace ContactCenter.GatewayClient;

/// <summary>
/// Sends an outbound call's reports (<see cref="ContactCenterClient.ReportOutboundAsync"/>) until a region has
/// answered each: a claim must be answered before the gateway dials, and a result must reach the cluster.
/// </summary>
internal sealed class OutboundReporter(AnsweredPost post)
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    public static string PathOf(string callId) => $"api/v1/gateway/outbound-calls/{Uri.EscapeDataString(callId)}/progress";

    public async Task<OutboundAnswer> ReportAsync(string callId, OutboundReport report, CancellationToken cancellationToken)
    {
        using var response = await post.SendAsync(PathOf(callId), report, WireJson.Default.OutboundReport, AnswerTimeout, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return new OutboundAnswer(true, null);
        }

        // A problem document (RFC 9457): its detail says why.
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        string? detail = null;
        try
        {
            using var problem = JsonDocument.Parse(body);
            detail = problem.RootElement.TryGetProperty("detail", out var d) ? d.GetString() : null;
        }
        catch (JsonException)
        {
            // not a problem document; the status says enough
        }

        return new OutboundAnswer(false, detail ?? $"HTTP {(int)response.StatusCode}");
    }
}
