using System.Text.Json;
using ContactCenter.Journal;

namespace ContactCenter.Gateways;

internal static class GatewayCommandJson
{
    public static string Serialize(GatewayCommand command) => JsonSerializer.Serialize(command, JournalJson.Options);

    public static GatewayCommand Deserialize(string payload) =>
        JsonSerializer.Deserialize<GatewayCommand>(payload, JournalJson.Options) ?? throw new JsonException("empty command payload");

    public static string KindOf(GatewayCommand command) => JsonNamingPolicy.SnakeCaseLower.ConvertName(command.GetType().Name);
}
