using System.Globalization;
using ContactCenter.GatewayClient;

namespace ContactCenter.SipEdge.Outbound;

/// <summary>A <c>place_call</c> command as the edge carries it out.</summary>
public sealed record PlaceRequest(string Id, string To, string Prompt, int MaxDigits, int DigitSeconds, int RingSeconds, string? CallerId)
{
    /// <summary>The command's request; null when a field is missing or not a number (a defect of the cluster, logged by the caller).</summary>
    public static PlaceRequest? From(GatewayCommand command) =>
        command.Field("to") is { } to && command.Field("prompt") is { } prompt
        && Number(command, "maxDigits") is { } maxDigits && Number(command, "digitSeconds") is { } digitSeconds && Number(command, "ringSeconds") is { } ringSeconds
            ? new PlaceRequest(command.CallId, to, prompt, maxDigits, digitSeconds, ringSeconds, command.Field("callerId"))
            : null;

    private static int? Number(GatewayCommand command, string field) =>
        int.TryParse(command.Field(field), NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
}
