using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace ContactCenter.GatewayClient;

/// <summary>
/// Sends the gateway's reports on what it was asked to do (an outbound call's steps, the question put after a call)
/// until a region has answered each: a claim must be answered before the gateway dials, and a result must reach the
/// cluster. A refusal comes back with the reason of its problem document.
/// </summary>
internal sealed class ReportPoster(AnsweredPost post)
{
    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    public static string OutboundPathOf(string callId) => $"api/v1/gateway/outbound-calls/{Uri.EscapeDataString(callId)}/progress";

    public static string SurveyAnswerPathOf(string callId) => $"api/v1/gateway/calls/{Uri.EscapeDataString(callId)}/survey-answer";

    public async Task<OutboundAnswer> ReportOutboundAsync(string callId, OutboundReport report, CancellationToken cancellationToken)
    {
        var (taken, refusal) = await PostAsync(OutboundPathOf(callId), report, WireJson.Default.OutboundReport, cancellationToken);
        return new OutboundAnswer(taken, refusal);
    }

    public async Task<SurveyAnswerReceipt> ReportSurveyAnswerAsync(string callId, SurveyAnswerReport report, CancellationToken cancellationToken)
    {
        var (taken, refusal) = await PostAsync(SurveyAnswerPathOf(callId), report, WireJson.Default.SurveyAnswerReport, cancellationToken);
        return new SurveyAnswerReceipt(taken, refusal);
    }

    private async Task<(bool Taken, string? Refusal)> PostAsync<TReport>(string path, TReport report, JsonTypeInfo<TReport> type, CancellationToken cancellationToken)
    {
        using var response = await post.SendAsync(path, report, type, AnswerTimeout, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return (true, null);
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

        return (false, detail ?? $"HTTP {(int)response.StatusCode}");
    }
}
