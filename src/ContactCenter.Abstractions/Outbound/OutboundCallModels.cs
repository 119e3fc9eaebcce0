using System.Text.Json.Serialization;

namespace ContactCenter.Outbound;

/// <summary>
/// A call the center places to a subscriber (a satisfaction callback): the edge dials <see cref="To"/>, plays the
/// prompt named <see cref="Prompt"/> (one of the edge's outbound prompts) and collects up to
/// <see cref="MaxDigits"/> keys, waiting <see cref="DigitSeconds"/> after the prompt for them.
/// </summary>
/// <param name="To">The subscriber's E.164 number.</param>
/// <param name="RingSeconds">How long the subscriber's phone rings before it counts as not answered.</param>
/// <param name="CallerId">The number the subscriber sees; null for the edge's configured one.</param>
[GenerateSerializer, Immutable, Alias("cc.OutboundCallRequest")]
public sealed record OutboundCallRequest(string To, string Prompt, int MaxDigits, int DigitSeconds, int RingSeconds, string? CallerId);

/// <summary>Where an outbound call is in its life.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutboundCallPhase>))]
public enum OutboundCallPhase
{
    /// <summary>The cluster asked its gateway (<c>place_call</c>); the gateway has not started dialling.</summary>
    Placed,
    /// <summary>The gateway claimed the call and is dialling it.</summary>
    Dialing,
    Ringing,
    /// <summary>The subscriber answered and hears the prompt.</summary>
    Answered,
    Finished,
}

/// <summary>How an outbound call ended.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OutboundCallResult>))]
public enum OutboundCallResult
{
    /// <summary>Answered; the keys pressed (maybe none) are in <see cref="OutboundCallSnapshot.Digits"/>.</summary>
    Answered,
    /// <summary>Rang out, or the phone said it was not available now (408, 480).</summary>
    NoAnswer,
    /// <summary>486 or 600: the subscriber is on another call.</summary>
    Busy,
    /// <summary>The subscriber refused it (603, 403).</summary>
    Declined,
    /// <summary>No such number or no way to it (404, 410, 484, 5xx from the trunk).</summary>
    Unreachable,
    /// <summary>Not placed or not completed for the center's own reasons (the gateway restarted, the request expired, no room): see the cause.</summary>
    Failed,
}

/// <summary>One outbound call as the cluster knows it.</summary>
/// <param name="GatewayId">The gateway asked to place it.</param>
/// <param name="Digits">The keys the subscriber pressed, in order; null until answered.</param>
/// <param name="Cause">Why it ended, in the gateway's words (<c>completed</c>, <c>hung_up</c>, <c>no_answer</c>, <c>busy</c>, <c>expired</c>...).</param>
/// <param name="SipStatus">The final SIP status of a call that was not answered, when there was one.</param>
[GenerateSerializer, Immutable, Alias("cc.OutboundCallSnapshot")]
public sealed record OutboundCallSnapshot(
    string Id,
    OutboundCallRequest Request,
    string GatewayId,
    OutboundCallPhase Phase,
    OutboundCallResult? Result,
    string? Digits,
    string? Cause,
    int? SipStatus,
    DateTimeOffset PlacedAt,
    DateTimeOffset? DialedAt,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? FinishedAt);

/// <summary>
/// What the gateway reports of an outbound call. <see cref="OutboundCallPhase.Dialing"/> is a claim, made before
/// the gateway dials and granted once: a <c>place_call</c> delivered twice (a lost acknowledgement, a gateway that
/// restarted) is dialled by whichever delivery claims it first, and never again.
/// </summary>
/// <param name="Attempt">The gateway's id for this attempt: the same claim repeated (its answer was lost) is granted again; another attempt's is not.</param>
/// <param name="At">When it happened, by the gateway's clock.</param>
[GenerateSerializer, Immutable, Alias("cc.OutboundProgress")]
public sealed record OutboundProgress(OutboundCallPhase Step, string Attempt, DateTimeOffset At, OutboundCallResult? Result, string? Digits, string? Cause, int? SipStatus);

/// <summary>The answer to a placement: the call, and why it was refused, when it was.</summary>
/// <param name="Created">False when the call already existed with the same request (a repeat).</param>
/// <param name="Conflict">Set when the id is taken by a different request: nothing was placed.</param>
[GenerateSerializer, Immutable, Alias("cc.OutboundPlacement")]
public sealed record OutboundPlacement(OutboundCallSnapshot Call, bool Created, string? Conflict);

/// <summary>The answer to a gateway's report.</summary>
/// <param name="Refusal">Why the report was not taken (another attempt claimed the call, it is finished otherwise, too late); null when taken or a repeat.</param>
[GenerateSerializer, Immutable, Alias("cc.OutboundReportOutcome")]
public sealed record OutboundReportOutcome(OutboundCallSnapshot? Call, string? Refusal);
