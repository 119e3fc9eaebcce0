using ContactCenter.SipEdge.Sdp;
using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Sip.Transactions;
using ContactCenter.SipEdge.Telephony;

namespace ContactCenter.SipEdge.Sip.Dialogs;

/// <summary>
/// A call the edge places (the UAC side of RFC 3261 section 13.2): ringing, answered (ACKed, and ACKed again for
/// each 2xx retransmission), failed, or cancelled. A cancel before the first provisional response waits for it
/// (section 9.1); a 2xx that crosses our CANCEL is ACKed and hung up at once.
/// </summary>
public sealed class OutboundSipLeg : SipLeg, IOutboundLeg
{
    private Action? _ringing;
    private Action<SessionDescription?>? _answered;
    private ClientTransaction? _invite;
    private SipRequest? _ack;
    private bool _cancelWanted;
    private bool _cancelSent;

    internal OutboundSipLeg(SipUserAgent agent, Dialog dialog)
        : base(agent, dialog)
    {
    }

    public event Action? Ringing
    {
        add => _ringing += value;
        remove => _ringing -= value;
    }

    public event Action<SessionDescription?>? Answered
    {
        add => _answered += value;
        remove => _answered -= value;
    }

    internal void Started(ClientTransaction invite)
    {
        _invite = invite;
        if (_cancelWanted)
        {
            // Hung up before the INVITE was even sent (the target was being resolved).
            End(new LegEnding("cancelled", ByFarEnd: false));
        }
    }

    public override void Hangup(string cause) => Agent.OnLoop(() =>
    {
        if (IsEnded)
        {
            return;
        }

        if (IsConfirmed)
        {
            SendBye(cause);
            return;
        }

        _cancelWanted = true;
        if (_invite is { HadProvisional: true })
        {
            SendCancel();
        }
        else if (_invite is null)
        {
            End(new LegEnding(cause, ByFarEnd: false));
        }
    });

    internal void OnResponse(SipResponse response)
    {
        if (IsEnded && !response.IsSuccess)
        {
            return;
        }

        if (response.IsProvisional)
        {
            if (_cancelWanted && !_cancelSent)
            {
                SendCancel();
            }
            else if (response.StatusCode is 180 or 183 && !_cancelWanted)
            {
                _ringing?.Invoke();
            }

            return;
        }

        if (response.IsSuccess)
        {
            OnSuccess(response);
            return;
        }

        End(new LegEnding(response.StatusCode == 487 ? "cancelled" : FailureCause(response.StatusCode), ByFarEnd: response.StatusCode != 487 || !_cancelWanted, response.StatusCode));
    }

    private void OnSuccess(SipResponse response)
    {
        if (_ack is not null)
        {
            // A retransmission of the 2xx: our ACK was lost (RFC 3261 section 13.2.2.4).
            Agent.SendAck(_ack, Dialog);
            return;
        }

        Dialog.RemoteTag = response.To.Tag;
        if (response.Headers["Contact"] is { } contact && NameAddress.TryParse(contact, out var target))
        {
            Dialog.RemoteTarget = target!.Uri;
        }

        // The route set of a UAC is the Record-Route of the 2xx, reversed (section 12.1.2).
        Dialog.RouteSet = [.. response.Headers.Values("Record-Route").Reverse()];
        Agent.Adopt(this);
        _ack = Dialog.NewRequest(SipMethods.Ack, Agent.ContactFor(Dialog.Peer.Transport), _invite!.Request.CSeq.Number);
        Agent.SendAck(_ack, Dialog);
        IsConfirmed = true;
        if (_cancelWanted || IsEnded)
        {
            SendBye("cancelled");
            return;
        }

        _answered?.Invoke(response.HasSdp ? SessionDescription.Parse(response.Body) : null);
    }

    private void SendCancel()
    {
        _cancelSent = true;
        var invite = _invite!.Request;
        var cancel = new SipRequest { Method = SipMethods.Cancel, RequestUri = invite.RequestUri };
        cancel.Headers.Add("Via", invite.Headers.Values("Via").First());
        foreach (var route in invite.Headers.Values("Route"))
        {
            cancel.Headers.Add("Route", route);
        }

        cancel.Headers.Add("Max-Forwards", "70");
        cancel.Headers.Add("From", invite.Headers["From"]!);
        cancel.Headers.Add("To", invite.Headers["To"]!);
        cancel.Headers.Add("Call-ID", invite.CallId);
        cancel.Headers.Add("CSeq", new CSeq(invite.CSeq.Number, SipMethods.Cancel).ToString());
        Agent.SendCancel(cancel, _invite.Peer);
    }

    internal override void OnAck(SipRequest ack)
    {
        // Only the ACK of a 2xx we sent to the far end's re-INVITE reaches here.
        Agent.StopRetransmitting(this);
    }

    private static string FailureCause(int status) => status switch
    {
        486 or 600 => "busy",
        408 => "no_answer",
        480 => "unavailable",
        404 or 604 => "not_found",
        603 => "declined",
        _ => $"failed_{status}",
    };
}
