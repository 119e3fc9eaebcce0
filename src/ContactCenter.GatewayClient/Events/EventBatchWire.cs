using System.Buffers;
using System.Collections.ObjectModel;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ContactCenter.GatewayClient;

/// <summary>
/// The wire format of <c>POST /api/v1/gateway/events</c>: the request body <c>{"sentAt":...,"events":[...]}</c> with each event's
/// common fields and then its type's own, and the per-event results of the answer.
/// </summary>
internal static class EventBatchWire
{
    public const string Path = "api/v1/gateway/events";

    private static readonly MediaTypeHeaderValue Json = new("application/json");

    public static HttpContent Body(IReadOnlyList<PendingEvent> batch)
    {
        var buffer = new ArrayBufferWriter<byte>(256 * batch.Count);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            // The gateway's clock as the request leaves: the silo checks that clock by it, and then accepts events
            // as old as an outage kept them in the outbox (an event older than the skew bound is not refused).
            json.WriteString("sentAt", DateTimeOffset.UtcNow.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteStartArray("events");
            foreach (var e in batch.Select(p => p.Event))
            {
                json.WriteStartObject();
                json.WriteString("eventId", e.EventId);
                json.WriteString("callId", e.CallId);
                json.WriteNumber("sequence", e.Sequence);
                json.WriteString("type", e.Type);
                // ISO-8601 with the offset, as the silo requires.
                json.WriteString("occurredAt", e.OccurredAt);
                foreach (var (name, value) in e.Fields ?? ReadOnlyDictionary<string, string>.Empty)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var content = new ReadOnlyMemoryContent(buffer.WrittenMemory);
        content.Headers.ContentType = Json;
        return content;
    }

    /// <summary>One answer per event of the batch, in the batch's order; null when the body is not a complete answer to it.</summary>
    public static async Task<EventAnswer[]?> ReadAnswersAsync(HttpContent content, int batchSize)
    {
        BatchAnswer? answer;
        try
        {
            answer = await content.ReadFromJsonAsync(WireJson.Default.BatchAnswer);
        }
        catch (JsonException)
        {
            return null;
        }

        var answers = new EventAnswer[batchSize];
        foreach (var line in answer?.Results ?? [])
        {
            if (line.Index < 0 || line.Index >= batchSize || line.Outcome is null)
            {
                return null;
            }

            answers[line.Index] = new EventAnswer(line.Outcome, line.Reason);
        }

        return answers.Any(a => a.Outcome is null) ? null : answers;
    }

    /// <summary>The <c>detail</c> of a problem answer (400, 413), or the start of whatever the body is.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        try
        {
            using var problem = JsonDocument.Parse(text);
            if (problem.RootElement.ValueKind == JsonValueKind.Object && problem.RootElement.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String)
            {
                text = detail.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not a problem document (a proxy's page, say): its own text is the best reason there is.
        }

        return $"HTTP {(int)response.StatusCode}, the whole request was refused: {text[..Math.Min(text.Length, 300)]}";
    }
}

internal sealed record BatchAnswer(IReadOnlyList<AnswerLine>? Results);

internal sealed record AnswerLine(int Index, string? Outcome, string? Reason);

/// <summary>Source-generated: the client reflects over nothing, so it trims and starts fast in a gateway process.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(BatchAnswer))]
[JsonSerializable(typeof(CommandAcknowledgement))]
[JsonSerializable(typeof(RestartReport))]
[JsonSerializable(typeof(RestartResult))]
[JsonSerializable(typeof(OutboundReport))]
[JsonSerializable(typeof(SurveyAnswerReport))]
internal sealed partial class WireJson : JsonSerializerContext;
