using System.Globalization;
using System.Net;
using ContactCenter.SipEdge.Sdp;
using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Sip.Transactions;
using ContactCenter.SipEdge.Telephony;

namespace ContactCenter.SipEdge.Sip.Dialogs;

/// <summary>A call a trunk sent us (the UAS side of RFC 3261 section 13.3): rung, answered or refused by the call logic, CANCELled or hung up by the caller.</summary>
public sealed class InboundSipLeg : SipLeg, IInboundLeg
{
    private readonly ServerTransaction _invite;
    private Action<SessionDescription>? _answerReceived;
    private bool _answered;

    internal InboundSipLeg(SipUserAgent agent, Dialog dialog, ServerTransaction invite, SessionDescription? offer)
        : base(agent, dialog)
    {
        _invite = invite;
        Offer = offer;
        var from = invite.Request.From.Uri;
        Caller = string.IsNullOrEmpty(from.User) || from.User.Equals("anonymous", StringComparison.OrdinalIgnoreCase) ? "anonymous" : from.User;
        Dialled = invite.Request.RequestUri.User ?? invite.Request.To.Uri.User ?? "";
        Source = invite.Peer.EndPoint;
    }

    public string Caller { get; }

    public string Dialled { get; }

    public IPEndPoint Source { get; }

    public SessionDescription? Offer { get; }

    internal ServerTransaction InviteTransaction => _invite;

    public event Action<SessionDescription>? AnswerReceived
    {
        add => _answerReceived += value;
        remove => _answerReceived -= value;
    }

    public void Ring() => Agent.OnLoop(() =>
    {
        if (!_answered && !IsEnded)
        {
            _invite.Respond(_invite.Request.CreateResponse(180, Dialog.LocalTag));
        }
    });

    public void Answer(SessionDescription sdp) => Agent.OnLoop(() =>
    {
        if (_answered || IsEnded)
        {
            return;
        }

        _answered = true;
        var ok = _invite.Request.CreateResponse(200, Dialog.LocalTag);
        Agent.AddSdp(ok, sdp, Dialog.Peer.Transport);
        _invite.Respond(ok);
        Agent.RetransmitUntilAcked(this, ok, _invite.Request.CSeq.Number);
    });

    public void Reject(int statusCode, TimeSpan? retryAfter = null) => Agent.OnLoop(() =>
    {
        if (_answered || IsEnded)
        {
            return;
        }

        var refusal = _invite.Request.CreateResponse(statusCode, Dialog.LocalTag);
        if (retryAfter is { } after)
        {
            refusal.Headers.Add("Retry-After", ((int)Math.Ceiling(after.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        }

        _invite.Respond(refusal);
        End(new LegEnding("rejected", ByFarEnd: false, statusCode));
    });

    public override void Hangup(string cause) => Agent.OnLoop(() =>
    {
        if (IsEnded)
        {
            return;
        }

        if (!_answered)
        {
            _invite.Respond(_invite.Request.CreateResponse(480, Dialog.LocalTag));
            End(new LegEnding(cause, ByFarEnd: false, 480));
            return;
        }

        SendBye(cause);
    });

    /// <summary>The caller's CANCEL reached the INVITE before we answered it.</summary>
    internal void OnCancelled()
    {
        _invite.Respond(_invite.Request.CreateResponse(487, Dialog.LocalTag));
        End(new LegEnding("cancelled", ByFarEnd: true, 487));
    }

    internal override void OnAck(SipRequest ack)
    {
        Agent.StopRetransmitting(this);
        var wasConfirmed = IsConfirmed;
        IsConfirmed = true;
        if (!wasConfirmed && Offer is null && ack.HasSdp && SessionDescription.Parse(ack.Body) is { } answer)
        {
            _answerReceived?.Invoke(answer);
        }
    }
}
