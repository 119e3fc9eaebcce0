namespace ContactCenter.GatewayClient.Tests.Infrastructure;

/// <summary>Calls with fresh ids and valid life cycles, as a gateway would report them.</summary>
public static class TestCalls
{
    public static string NewId(string name) => $"{name}-{Guid.NewGuid():N}"[..24];

    /// <summary>A short call: offered, into a voice menu, hung up by the caller there.</summary>
    public static GatewayEvent[] Short(string callId)
    {
        var at = DateTimeOffset.UtcNow;
        return
        [
            GatewayEvent.Offered($"{callId}-1", callId, at, "+8613812345678", "10086", "nanjing"),
            GatewayEvent.IvrEntered($"{callId}-2", callId, 2, at, "main"),
            GatewayEvent.Ended($"{callId}-3", callId, 3, at, "normal", HangupSide.Caller),
        ];
    }

    public static GatewayEvent[] Short(params string[] callIds) => [.. callIds.SelectMany(Short)];
}
