using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Testing;

/// <summary>Builds gateway batches as raw JSON, so tests can send exactly what a (possibly broken) gateway would.</summary>
public sealed class GatewayBatch
{
    private readonly JsonArray _events = [];
    private JsonNode? _sentAt;

    public static string Now => DateTimeOffset.UtcNow.ToString("O");

    /// <summary>The body's <c>sentAt</c>: the gateway's clock as it sends (any JSON, to send a broken one too).</summary>
    public GatewayBatch SentAt(JsonNode? sentAt)
    {
        _sentAt = sentAt;
        return this;
    }

    public GatewayBatch Add(JsonNode? element)
    {
        _events.Add(element);
        return this;
    }

    public GatewayBatch Event(string callId, int sequence, string type, object? fields = null, string? eventId = null)
    {
        var e = new JsonObject
        {
            ["eventId"] = eventId ?? $"{callId}-{sequence}",
            ["callId"] = callId,
            ["sequence"] = sequence,
            ["type"] = type,
            ["occurredAt"] = Now,
        };
        if (fields is not null)
        {
            foreach (var (name, value) in JsonSerializer.SerializeToNode(fields)!.AsObject())
            {
                e[name] = value?.DeepClone();
            }
        }

        return Add(e);
    }

    public GatewayBatch Offered(string callId, string caller = "+8613812345678", string region = "nanjing") =>
        Event(callId, 1, "offered", new { caller, dialled = "10086", region });

    /// <summary>The request body, for a test that sends it its own way.</summary>
    public string Json() => new JsonObject { ["events"] = _events.DeepClone() }.ToJsonString();

    public async Task<BatchReply> PostAsync(HttpClient client)
    {
        var body = new JsonObject { ["events"] = _events.DeepClone() };
        if (_sentAt is not null)
        {
            body["sentAt"] = _sentAt.DeepClone();
        }

        using var response = await client.PostAsJsonAsync("/api/v1/gateway/events", body);
        return new BatchReply((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>The answer to a batch, with accessors for the per-event outcomes.</summary>
public sealed record BatchReply(int Status, string Body)
{
    private JsonNode Json => JsonNode.Parse(Body)!;

    public string Outcome(int index) => Result(index)["outcome"]!.GetValue<string>();

    public string? Reason(int index) => Result(index)["reason"]?.GetValue<string>();

    public int Count(string field) => Json[field]!.GetValue<int>();

    private JsonNode Result(int index) => Json["results"]!.AsArray().Single(r => r!["index"]!.GetValue<int>() == index)!;
}
