using ContactCenter.SipEdge.Sdp;
using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Sip.Transactions;
using ContactCenter.SipEdge.Telephony;

namespace ContactCenter.SipEdge.Sip.Dialogs;

/// <summary>What both kinds of leg share: the dialog, the end of the leg, BYE either way and re-INVITEs from the far end. Lives on the signalling loop.</summary>
public abstract class SipLeg : ICallLeg
{
    private Action<LegEnding>? _ended;

    protected SipLeg(SipUserAgent agent, Dialog dialog)
    {
        Agent = agent;
        Dialog = dialog;
    }

    public Dialog Dialog { get; }

    public string CallId => Dialog.CallId;

    public bool IsEnded { get; private set; }

    /// <summary>Confirmed: both sides have the dialog (the 2xx was ACKed, or we ACKed theirs); a BYE may be sent.</summary>
    public bool IsConfirmed { get; protected set; }

    public Func<SessionDescription, SessionDescription?>? AnswerReoffer { get; set; }

    public Func<SipUri, int>? AnswerTransfer { get; set; }

    protected SipUserAgent Agent { get; }

    public event Action<LegEnding>? Ended
    {
        add => _ended += value;
        remove => _ended -= value;
    }

    public abstract void Hangup(string cause);

    /// <summary>Sends BYE (if the dialog is confirmed) and ends the leg as ended by us.</summary>
    protected void SendBye(string cause)
    {
        if (IsConfirmed)
        {
            var bye = Dialog.NewRequest(SipMethods.Bye, Agent.ContactFor(Dialog.Peer.Transport));
            bye.Headers.Add("Reason", $"SIP;cause=200;text=\"{cause}\"");
            Agent.SendInDialog(bye, Dialog, _ => { });
        }

        End(new LegEnding(cause, ByFarEnd: false));
    }

    /// <summary>The far end never ACKed our 2xx: the dialog is taken as confirmed only to end it with a BYE (RFC 3261 section 13.3.1.4).</summary>
    internal void GiveUp(string cause)
    {
        IsConfirmed = true;
        SendBye(cause);
    }

    /// <summary>A request inside this leg's dialog from the far end.</summary>
    internal void OnInDialogRequest(SipRequest request, ServerTransaction transaction)
    {
        var cseq = request.CSeq.Number;
        if (Dialog.RemoteSequence is { } last && cseq < last && request.Method != SipMethods.Ack)
        {
            // Out of order (RFC 3261 section 12.2.2).
            transaction.Respond(request.CreateResponse(500, reason: "Server Internal Error (CSeq out of order)"));
            return;
        }

        Dialog.RemoteSequence = cseq;
        switch (request.Method)
        {
            case SipMethods.Bye:
                transaction.Respond(request.CreateResponse(200));
                End(new LegEnding(ReasonOf(request) ?? "normal_clearing", ByFarEnd: true));
                break;
            case SipMethods.Invite:
                OnReInvite(request, transaction);
                break;
            case SipMethods.Refer:
                OnRefer(request, transaction);
                break;
            case SipMethods.Options or SipMethods.Info:
                transaction.Respond(request.CreateResponse(200));
                break;
            default:
                var refused = request.CreateResponse(405);
                refused.Headers.Add("Allow", SipMethods.Allowed);
                transaction.Respond(refused);
                break;
        }
    }

    private void OnReInvite(SipRequest request, ServerTransaction transaction)
    {
        var offer = request.HasSdp ? SessionDescription.Parse(request.Body) : null;
        var answer = offer is null ? null : AnswerReoffer?.Invoke(offer);
        if (answer is null)
        {
            // A re-INVITE without SDP (asking for our offer) or one we cannot take: the session stays as it was (RFC 3261 section 14.2).
            transaction.Respond(request.CreateResponse(488));
            return;
        }

        if (request.Headers["Contact"] is { } contact && NameAddress.TryParse(contact, out var target))
        {
            Dialog.RemoteTarget = target!.Uri;
        }

        var ok = request.CreateResponse(200, Dialog.LocalTag);
        Agent.AddSdp(ok, answer, Dialog.Peer.Transport);
        transaction.Respond(ok);
        Agent.RetransmitUntilAcked(this, ok, request.CSeq.Number);
    }

    /// <summary>How long the far end has to answer the transfer's NOTIFY before the edge ends its leg anyway.</summary>
    private static readonly TimeSpan NotifyWait = TimeSpan.FromSeconds(4);

    /// <summary>
    /// A blind transfer (RFC 3515): the far end asks that this call go to the Refer-To target. The call logic
    /// decides (<see cref="AnswerTransfer"/>: 202, or the refusal to answer). A taken transfer is over at once for
    /// the transferor, since the call waits for its target inside the edge: the REFER's implicit subscription gets
    /// one NOTIFY with a 200 sipfrag and ends, and the leg is ended with a BYE once that NOTIFY is answered (or
    /// after <see cref="NotifyWait"/>), unless the phone hangs up first, as many do on the 202.
    /// </summary>
    private void OnRefer(SipRequest request, ServerTransaction transaction)
    {
        var targets = request.Headers.Values("Refer-To").ToList();
        if (targets.Count != 1 || !NameAddress.TryParse(targets[0], out var target))
        {
            transaction.Respond(request.CreateResponse(400, reason: "Bad Request (a REFER needs one Refer-To with a SIP URI)"));
            return;
        }

        var status = AnswerTransfer?.Invoke(target!.Uri) ?? 403;
        var answer = request.CreateResponse(status);
        // RFC 4488: a transferor that asks for no subscription gets no NOTIFY, and its leg ends at once.
        var withoutSubscription = string.Equals(request.Headers["Refer-Sub"]?.Trim(), "false", StringComparison.OrdinalIgnoreCase);
        if (status == 202 && withoutSubscription)
        {
            answer.Headers.Add("Refer-Sub", "false");
        }

        transaction.Respond(answer);
        if (status != 202)
        {
            return;
        }

        if (withoutSubscription)
        {
            EndAfterTransfer();
            return;
        }

        var notify = Dialog.NewRequest(SipMethods.Notify, Agent.ContactFor(Dialog.Peer.Transport));
        notify.Headers.Add("Contact", Agent.ContactFor(Dialog.Peer.Transport));
        notify.Headers.Add("Event", "refer");
        notify.Headers.Add("Subscription-State", "terminated;reason=noresource");
        notify.Headers.Add("Content-Type", "message/sipfrag;version=2.0");
        notify.Body = "SIP/2.0 200 OK\r\n"u8.ToArray();
        var fallback = Agent.After(NotifyWait, () => EndAfterTransfer());
        Agent.SendInDialog(notify, Dialog, response =>
        {
            if (response.IsProvisional)
            {
                return;
            }

            fallback.Dispose();
            EndAfterTransfer();
        });
    }

    private void EndAfterTransfer()
    {
        if (!IsEnded)
        {
            SendBye("transferred");
        }
    }

    internal abstract void OnAck(SipRequest ack);

    internal void End(LegEnding ending)
    {
        if (IsEnded)
        {
            return;
        }

        IsEnded = true;
        Agent.Forget(this);
        _ended?.Invoke(ending);
    }

    private static string? ReasonOf(SipRequest request)
    {
        // Reason: Q.850;cause=16;text="..." (RFC 3326) says why, where the far end says.
        var reason = request.Headers["Reason"];
        var text = reason?.IndexOf("text=\"", StringComparison.Ordinal) ?? -1;
        if (reason is null || text < 0)
        {
            return null;
        }

        var value = reason[(text + 6)..].TrimEnd('"');
        return value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or ' ' or '-')
            ? value.Replace(' ', '_').ToLowerInvariant()
            : null;
    }
}
