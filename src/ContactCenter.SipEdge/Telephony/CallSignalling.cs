using System.Net;
using ContactCenter.SipEdge.Sdp;
using ContactCenter.SipEdge.Sip.Messages;

namespace ContactCenter.SipEdge.Telephony;

/// <summary>
/// The seam between the edge's contact-center logic (<c>Calls/</c>) and the SIP stack under it: calls come in as
/// <see cref="IInboundLeg"/>, go out through <see cref="Dial"/>, and everything else (transactions, dialogs,
/// retransmissions, the registrar) stays below it. A SIP library could replace the stack by implementing these
/// three interfaces. Every event of a leg is raised on the signalling loop, and the legs' methods may be called
/// from any thread.
/// </summary>
public interface ICallSignalling
{
    /// <summary>Calls <paramref name="target"/> (an agent's address of record, resolved through the registrar, or a URI) with the edge's offer.</summary>
    IOutboundLeg Dial(SipUri target, string callerNumber, SessionDescription offer);
}

/// <summary>Why a leg ended and which side ended it.</summary>
public sealed record LegEnding(string Cause, bool ByFarEnd, int? StatusCode = null);

/// <summary>One side of a call as the call logic sees it.</summary>
public interface ICallLeg
{
    /// <summary>The SIP Call-ID of this leg.</summary>
    string CallId { get; }

    /// <summary>Raised once, when the leg is over (a BYE either way, a CANCEL, a failure, a lost ACK).</summary>
    event Action<LegEnding>? Ended;

    bool IsEnded { get; }

    /// <summary>How the leg answers the far end's re-INVITE: our SDP for its new offer (by default the same stream, direction mirrored).</summary>
    Func<SessionDescription, SessionDescription?>? AnswerReoffer { get; set; }

    /// <summary>
    /// How the leg answers the far end's blind transfer of the call to a target (a SIP REFER): 202 when the call logic
    /// takes it, after which the leg ends by itself; any other status refuses it. Null refuses every transfer.
    /// </summary>
    Func<SipUri, int>? AnswerTransfer { get; set; }

    /// <summary>Ends the leg from our side (BYE, or CANCEL or a final response while it is still being set up).</summary>
    void Hangup(string cause);
}

public interface IInboundLeg : ICallLeg
{
    /// <summary>The caller's number or user part of From (<c>anonymous</c> when withheld).</summary>
    string Caller { get; }

    /// <summary>The number dialled: the user part of the Request-URI.</summary>
    string Dialled { get; }

    IPEndPoint Source { get; }

    /// <summary>The caller's offer; null when the INVITE came without one (the offer goes in our 2xx, the answer comes in the ACK).</summary>
    SessionDescription? Offer { get; }

    /// <summary>Raised when the ACK of an INVITE without an offer brings the caller's answer.</summary>
    event Action<SessionDescription>? AnswerReceived;

    void Ring();

    /// <summary>Answers 200 with <paramref name="sdp"/> (our answer, or our offer when the INVITE had none).</summary>
    void Answer(SessionDescription sdp);

    /// <summary>Refuses the call (486, 503 with Retry-After, 404, ...).</summary>
    void Reject(int statusCode, TimeSpan? retryAfter = null);
}

public interface IOutboundLeg : ICallLeg
{
    event Action? Ringing;

    /// <summary>The far end answered (its SDP answer); the leg is confirmed.</summary>
    event Action<SessionDescription?>? Answered;
}
