namespace ContactCenter.GatewayClient;

/// <summary>The final outcome of an event: the client stops sending it once it has one.</summary>
public enum EventOutcome
{
    /// <summary>Committed to the region's journal and applied.</summary>
    Accepted,
    /// <summary>An earlier send of this event id was committed (its answer may have been lost); applied once.</summary>
    Duplicate,
    /// <summary>Refused by the silo: malformed, or impossible in the call's state. <see cref="EventReceipt.Reason"/> says why.</summary>
    Rejected,
    /// <summary>Refused by the silo: the call belongs to another gateway.</summary>
    Forbidden,
    /// <summary>
    /// Given up by the client without a refusal of its own: an earlier event of its call was refused, or the
    /// silo held it for a missing earlier sequence that the client does not have (never appended, or acknowledged
    /// by another region) for longer than <see cref="GatewayClientOptions.GapTimeout"/>.
    /// </summary>
    Blocked,
    /// <summary>
    /// Given up by the client: a region that answered the rest of its batch failed every request that carried
    /// this event alone (a 5xx, or an answer that could not be read), in two batches. Something in the event
    /// breaks the region's ingest; resending it would stall the gateway's stream. <see cref="EventReceipt.Reason"/> says what failed.
    /// </summary>
    Undeliverable,
}

/// <summary>What became of an event the gateway appended.</summary>
/// <param name="Reason">Why it was refused or blocked; null when acknowledged.</param>
/// <param name="Region">The region that gave the final answer; null when the client blocked the event itself.</param>
/// <param name="Transmissions">How many requests carried the event (more than one: it was resent).</param>
public sealed record EventReceipt(GatewayEvent Event, EventOutcome Outcome, string? Reason, Region? Region, int Transmissions)
{
    /// <summary>True when the event is durably committed: the gateway may forget it.</summary>
    public bool IsAcknowledged => Outcome is EventOutcome.Accepted or EventOutcome.Duplicate;
}
