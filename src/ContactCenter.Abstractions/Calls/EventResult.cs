using System.Text.Json.Serialization;

namespace ContactCenter.Calls;

/// <summary>What became of one submitted event.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<EventOutcome>))]
public enum EventOutcome
{
    /// <summary>Committed to the journal and applied. The gateway may forget it.</summary>
    Accepted,
    /// <summary>Already accepted earlier under the same event id; acknowledged again, applied once.</summary>
    Duplicate,
    /// <summary>Arrived ahead of a missing earlier sequence number. Kept in memory, NOT durable: the gateway must resend it until it is acknowledged.</summary>
    Held,
    /// <summary>Refused, with a reason; nothing was recorded.</summary>
    Rejected,
    /// <summary>The call belongs to another gateway.</summary>
    Forbidden,
    /// <summary>Not recorded because of a transient fault (the journal could not commit); resend it.</summary>
    Unavailable,
}

/// <summary>The outcome of one event, with the reason when it was not accepted.</summary>
[GenerateSerializer, Immutable, Alias("cc.EventResult")]
public sealed record EventResult(string EventId, EventOutcome Outcome, string? Reason = null)
{
    /// <summary>True when the event is durable and the gateway can stop resending it.</summary>
    [JsonIgnore] public bool IsAcknowledged => Outcome is EventOutcome.Accepted or EventOutcome.Duplicate;

    public static EventResult Accepted(string eventId) => new(eventId, EventOutcome.Accepted);
    public static EventResult Duplicate(string eventId) => new(eventId, EventOutcome.Duplicate);
    public static EventResult Rejected(string eventId, string reason) => new(eventId, EventOutcome.Rejected, reason);
    public static EventResult Held(string eventId, string reason) => new(eventId, EventOutcome.Held, reason);
    public static EventResult Forbidden(string eventId) => new(eventId, EventOutcome.Forbidden, "the call belongs to another gateway");
    public static EventResult Unavailable(string eventId, string reason) => new(eventId, EventOutcome.Unavailable, reason);
}
