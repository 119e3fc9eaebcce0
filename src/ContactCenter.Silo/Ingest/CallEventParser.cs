using System.Text.Json;
using ContactCenter.Calls;
using Microsoft.Extensions.Options;

namespace ContactCenter.Ingest;

/// <summary>One element of a gateway batch: the event, or why it cannot be one.</summary>
/// <param name="Sequence">The event's place in its call, when its id, call and sequence could be read (even if the rest could not).</param>
public sealed record ParsedEvent(int Index, string? EventId, string? CallId, CallEvent? Event, string? Error, int? Sequence = null)
{
    /// <summary>
    /// A refused event whose place in its call is known: the record that takes that place (<see cref="EventRefused"/>),
    /// so the call's later events are not held for it; null for a valid event, or one whose call or place is not known.
    /// </summary>
    /// <remarks>Not at sequence 1: a call whose <c>offered</c> is refused never began, and has no place to take (nor a grain to activate for it).</remarks>
    public EventRefused? RefusalAt(DateTimeOffset now) =>
        Event is null && Error is not null && EventId is { } id && CallId is { } call && Sequence is { } sequence and > 1 ? new EventRefused(id, call, sequence, now, Error) : null;
}

/// <summary>
/// Turns a gateway's JSON batch into typed events. Each element is judged alone: a malformed one gets its
/// reason and the rest of the batch goes on. Nothing a gateway sends makes it throw anything but
/// <see cref="BatchFormatException"/>, and that only for a body that is not a batch at all.
/// </summary>
public sealed class CallEventParser(TimeProvider clock, IOptions<IngestOptions> options)
{
    /// <summary>The options for a document that <see cref="Parse"/> reads: the depth a batch may have.</summary>
    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = IngestLimits.MaxDepth };

    /// <summary>Parses the <c>events</c> array; throws <see cref="BatchFormatException"/> when the body as a whole is unusable.</summary>
    public IReadOnlyList<ParsedEvent> Parse(JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new BatchFormatException("the body must be a JSON object with an 'events' array");
        }

        var (eventsProperty, sentAt) = PropertiesOf(body);
        if (eventsProperty is not { ValueKind: JsonValueKind.Array } events)
        {
            throw new BatchFormatException("the body must be a JSON object with an 'events' array");
        }

        var count = events.GetArrayLength();
        if (count == 0)
        {
            throw new BatchFormatException("'events' is empty");
        }

        if (count > IngestLimits.MaxEventsPerBatch)
        {
            throw new BatchFormatException($"'events' holds {count} events; at most {IngestLimits.MaxEventsPerBatch} per request");
        }

        var window = EventTimeWindow.For(sentAt, clock.GetUtcNow(), options.Value);
        return [.. events.EnumerateArray().Select((element, index) => ParseOne(index, element, window))];
    }

    /// <summary>
    /// The body's <c>events</c> and its optional <c>sentAt</c> (the gateway's clock when it sent the request);
    /// a name that cannot be read, or is given twice, and a <c>sentAt</c> that is not a time make the body unusable.
    /// </summary>
    private static (JsonElement? Events, DateTimeOffset? SentAt) PropertiesOf(JsonElement body)
    {
        JsonElement? events = null;
        DateTimeOffset? sentAt = null;
        foreach (var property in body.EnumerateObject())
        {
            if (!EventShape.IsReadableName(property))
            {
                throw new BatchFormatException($"a property name of the body is {EventShape.NotText}");
            }

            if (property.NameEquals("events"u8))
            {
                events = events is null ? property.Value : throw new BatchFormatException("'events' is given twice");
            }
            else if (property.NameEquals("sentAt"u8))
            {
                sentAt = sentAt is not null ? throw new BatchFormatException("'sentAt' is given twice")
                    : property.Value.ValueKind == JsonValueKind.String && EventShape.IsReadable(property.Value)
                        && EventFields.TryParseTime(property.Value.GetString(), out var sent) ? sent.ToUniversalTime()
                    : throw new BatchFormatException($"'sentAt' must be {EventFields.TimeFormat}");
            }
        }

        return (events, sentAt);
    }

    private static ParsedEvent ParseOne(int index, JsonElement element, EventTimeWindow window)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return new ParsedEvent(index, null, null, null, "an event must be a JSON object");
        }

        if (EventShape.Problem(element) is { } malformed)
        {
            return new ParsedEvent(index, null, null, null, malformed);
        }

        var fields = new EventFields(element);
        var eventId = fields.Id("eventId");
        var callId = fields.Id("callId");
        var sequence = fields.Sequence("sequence");
        int? place = fields.Error is null ? sequence : null;
        var occurredAt = fields.Timestamp("occurredAt", window);
        var kind = fields.Text("type", 32, _ => true, "");
        if (fields.Error is not null)
        {
            return new ParsedEvent(index, eventId, callId, null, fields.Error, place);
        }

        if (!CallEventKinds.TryGetGatewayType(kind, out var type))
        {
            return new ParsedEvent(index, eventId, callId, null, $"unknown event type '{kind}'; known: {string.Join(", ", CallEventKinds.FromGateways)}", place);
        }

        var e = Build(type, fields, eventId, callId, sequence, occurredAt);
        return fields.Error is null
            ? new ParsedEvent(index, eventId, callId, e, null, place)
            : new ParsedEvent(index, eventId, callId, null, fields.Error, place);
    }

    private static CallEvent Build(Type type, EventFields f, string id, string call, int seq, DateTimeOffset at)
    {
        if (type == typeof(CallOffered))
        {
            var caller = f.Text("caller", 16, c => c == PhoneNumbers.Withheld || PhoneNumbers.IsE164(c), $"not an E.164 number (+ and 8 to 15 digits) or '{PhoneNumbers.Withheld}'");
            var dialled = f.Text("dialled", 16, PhoneNumbers.IsDiallable, "not an E.164 number or a short code of 3 to 15 digits");
            f.Require(seq == 1, "'offered' must be the call's first event (sequence 1)");
            return new CallOffered(id, call, seq, at, caller, dialled, f.Id("region"));
        }

        if (type == typeof(CallTransferred))
        {
            var toQueue = f.OptionalId("toQueue");
            var toAgent = f.OptionalId("toAgent");
            f.Require((toQueue is null) != (toAgent is null), "a transfer names exactly one of 'toQueue' and 'toAgent'");
            return new CallTransferred(id, call, seq, at, toQueue, toAgent);
        }

        return type.Name switch
        {
            nameof(IvrEntered) => new IvrEntered(id, call, seq, at, f.Id("menu")),
            nameof(IvrExited) => new IvrExited(id, call, seq, at, f.Reference("menuPath")),
            nameof(CallQueued) => new CallQueued(id, call, seq, at, f.Id("queue")),
            nameof(AgentRinging) => new AgentRinging(id, call, seq, at, f.Id("agent")),
            nameof(AgentRingFailed) => new AgentRingFailed(id, call, seq, at, f.Id("agent"), f.Id("reason")),
            nameof(CallAnswered) => new CallAnswered(id, call, seq, at, f.Id("agent")),
            nameof(CallHeld) => new CallHeld(id, call, seq, at),
            nameof(CallResumed) => new CallResumed(id, call, seq, at),
            nameof(ParticipantJoined) => new ParticipantJoined(id, call, seq, at, f.Id("participant"), f.Enum<ParticipantRole>("role")),
            nameof(ParticipantLeft) => new ParticipantLeft(id, call, seq, at, f.Id("participant")),
            nameof(RecordingStarted) => new RecordingStarted(id, call, seq, at, f.Reference("mediaRef")),
            nameof(RecordingPaused) => new RecordingPaused(id, call, seq, at),
            nameof(RecordingResumed) => new RecordingResumed(id, call, seq, at),
            nameof(RecordingStopped) => new RecordingStopped(id, call, seq, at, f.Reference("mediaRef")),
            nameof(CallEnded) => new CallEnded(id, call, seq, at, f.Id("cause"), f.Enum<HangupSide>("hungUpBy")),
            _ => throw new InvalidOperationException($"event type {type.Name} has no parser"),
        };
    }
}

/// <summary>The request body as a whole cannot be read as a batch: answered with 400.</summary>
public sealed class BatchFormatException(string message) : Exception(message);
