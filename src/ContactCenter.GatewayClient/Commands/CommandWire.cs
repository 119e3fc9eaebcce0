using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;

namespace ContactCenter.GatewayClient;

/// <summary>The body of <c>POST /api/v1/gateway/commands/ack</c>.</summary>
internal sealed record CommandAcknowledgement(long[] Ids);

/// <summary>The wire format of the command channel: the poll's page of delivered commands, and the acknowledgement.</summary>
internal static class CommandWire
{
    public const string AcknowledgePath = "api/v1/gateway/commands/ack";

    public static string PollPath(int waitSeconds, int max) =>
        string.Create(CultureInfo.InvariantCulture, $"api/v1/gateway/commands?wait={waitSeconds}&max={max}");

    public static HttpContent Acknowledgement(IEnumerable<long> ids) =>
        JsonContent.Create(new CommandAcknowledgement([.. ids]), WireJson.Default.CommandAcknowledgement);

    /// <summary>
    /// <c>{"commands":[{"id":42,"command":{"kind":"connect","callId":"c-1",...},"createdAt":"...","deliveries":1}]}</c>;
    /// null when the page cannot be read.
    /// </summary>
    public static async Task<List<GatewayCommand>?> ReadPageAsync(HttpContent content, Region region)
    {
        try
        {
            await using var stream = await content.ReadAsStreamAsync();
            using var page = await JsonDocument.ParseAsync(stream);
            return [.. page.RootElement.GetProperty("commands").EnumerateArray().Select(delivered => Read(delivered, region))];
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }

    private static GatewayCommand Read(JsonElement delivered, Region region)
    {
        var command = delivered.GetProperty("command");
        var fields = command.EnumerateObject()
            .Where(p => p.Name is not ("kind" or "callId") && p.Value.ValueKind != JsonValueKind.Null) // a field without a value is absent
            .ToDictionary(p => p.Name, p => p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText(), StringComparer.Ordinal);
        return new GatewayCommand(
            delivered.GetProperty("id").GetInt64(),
            command.GetProperty("kind").GetString()!,
            command.GetProperty("callId").GetString()!,
            fields,
            delivered.GetProperty("createdAt").GetDateTimeOffset(),
            delivered.GetProperty("deliveries").GetInt32(),
            region);
    }
}
