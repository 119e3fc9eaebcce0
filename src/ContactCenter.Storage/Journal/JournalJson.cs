using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Calls;

namespace ContactCenter.Journal;

/// <summary>The JSON form of events in the journal: the same camel-case shape gateways send.</summary>
public static class JournalJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static string Serialize(CallEvent e) => JsonSerializer.Serialize(e, Options);

    public static CallEvent Deserialize(string payload) =>
        JsonSerializer.Deserialize<CallEvent>(payload, Options) ?? throw new JsonException("empty journal payload");
}
