namespace ContactCenter.ActiveCalls;

/// <summary>A page request over calls that have not ended; every filter is optional.</summary>
/// <param name="After">The cursor: the last call id of the previous page.</param>
public sealed record ActiveCallQuery(string? Queue, string? Region, string? GatewayId, int Limit, string? After)
{
    /// <summary>The calls of one caller (their E.164 number).</summary>
    public string? Caller { get; init; }
}

/// <summary>A call that has not ended, as the active-calls index holds it.</summary>
public sealed record ActiveCall(
    string CallId, string GatewayId, string Region, string? Queue, string? Agent, string Phase, string Caller,
    DateTimeOffset OfferedAt, DateTimeOffset UpdatedAt);

/// <summary>One page of active calls; <see cref="Next"/> is the cursor for the next page, null on the last.</summary>
public sealed record ActiveCallPage(IReadOnlyList<ActiveCall> Calls, string? Next);
