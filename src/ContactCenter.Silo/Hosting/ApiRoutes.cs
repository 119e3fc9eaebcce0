namespace ContactCenter.Hosting;

/// <summary>
/// Where the HTTP API lives. Every API path is under one version prefix, given here only: a change that would
/// break a gateway, a desk or a script already written against the API goes under a new prefix beside this one,
/// and both are served while their users move.
/// </summary>
public static class ApiRoutes
{
    public const string Version1 = "/api/v1";

    /// <summary>A call's resource, for the Location of a 202 about it.</summary>
    public static string Call(string callId) => $"{Version1}/calls/{Uri.EscapeDataString(callId)}";

    /// <summary>An outbound call's resource.</summary>
    public static string OutboundCall(string id) => $"{Version1}/outbound-calls/{Uri.EscapeDataString(id)}";

    public static string WorkOrder(string id) => $"{Version1}/work-orders/{Uri.EscapeDataString(id)}";
}
