using System.Net;
using ContactCenter.SipEdge.Sdp;
using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Sip.Registration;
using ContactCenter.SipEdge.Sip.Transactions;
using ContactCenter.SipEdge.Sip.Transport;
using ContactCenter.SipEdge.Telephony;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Sip.Dialogs;

/// <summary>
/// The user agent core (RFC 3261 sections 8, 12-15) over the transaction layer, and the SIP side of the
/// <see cref="ICallSignalling"/> seam: new INVITEs become <see cref="InboundSipLeg"/>s (after the checks a trunk
/// gateway owes: the source is a configured trunk, no Require it cannot honour), requests inside a dialog go to
/// their leg (481 for a dialog it does not know), REGISTER to the registrar, OPTIONS are answered, and the 2xx of
/// an INVITE is retransmitted until its ACK comes (section 13.3.1.4). Runs on the signalling loop.
/// </summary>
public sealed class SipUserAgent : ITransactionUser, ICallSignalling
{
    private readonly TransactionLayer _layer;
    private readonly Registrar _registrar;
    private readonly Func<IPAddress, bool> _isTrunk;
    private readonly ILogger _log;
    private readonly Dictionary<string, SipLeg> _dialogs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, InboundSipLeg> _byInvite = new(StringComparer.Ordinal);
    private readonly Dictionary<SipLeg, ITimer> _retransmitting = [];
    private Action<IInboundLeg>? _incoming;

    public SipUserAgent(TransactionLayer layer, Registrar registrar, Func<IPAddress, bool> isTrunk, ILogger log)
    {
        _layer = layer;
        _registrar = registrar;
        _isTrunk = isTrunk;
        _log = log;
        layer.Attach(this);
    }

    public int Dialogs => _dialogs.Count;

    /// <summary>Sets who takes new calls (the call logic); until then every INVITE is answered 503.</summary>
    public void Accept(Action<IInboundLeg> incoming) => _incoming = incoming;

    public IOutboundLeg Dial(SipUri target, string callerNumber, SessionDescription offer)
    {
        var transport = target.Transport == "TCP" ? SipTransportKind.Tcp : SipTransportKind.Udp;
        var localParty = new NameAddress(null, new SipUri("sip", SafeUser(callerNumber), _layer.AdvertisedHost, null, []), []);
        var leg = new OutboundSipLeg(this, new Dialog
        {
            CallId = Dialog.NewCallId(_layer.AdvertisedHost),
            LocalTag = Dialog.NewTag(),
            LocalParty = localParty,
            RemoteParty = new NameAddress(null, target with { Parameters = [] }, []),
            RemoteTarget = target,
            Peer = new SipPeer(transport, new IPEndPoint(IPAddress.Loopback, 0)),
        });
        _ = PlaceAsync(leg, target, offer);
        return leg;
    }

    private async Task PlaceAsync(OutboundSipLeg leg, SipUri target, SessionDescription offer)
    {
        // A registered phone is reached at its binding's contact (where its REGISTER came from); anything else by its URI.
        var binding = _registrar.Find(target);
        var requestUri = binding?.Contact ?? target;
        var peer = binding?.Peer;
        if (peer is null)
        {
            var address = await TransactionLayer.ResolveAsync(requestUri.Host);
            if (address is not null)
            {
                var kind = requestUri.Transport == "TCP" ? SipTransportKind.Tcp : SipTransportKind.Udp;
                peer = new SipPeer(kind, new IPEndPoint(address, requestUri.Port ?? 5060));
            }
        }

        OnLoop(() =>
        {
            if (peer is null)
            {
                leg.End(new LegEnding("not_found", ByFarEnd: false, 404));
                return;
            }

            if (leg.IsEnded)
            {
                return;
            }

            leg.Dialog.Peer = peer;
            leg.Dialog.RemoteTarget = requestUri;
            var invite = leg.Dialog.NewRequest(SipMethods.Invite, ContactFor(peer.Transport));
            invite.Headers.Add("Allow", SipMethods.Allowed);
            AddSdp(invite, offer, peer.Transport);
            invite.Headers.Set("Via", _layer.NewVia(peer.Transport));
            leg.Started(_layer.Send(invite, peer, leg.OnResponse));
        });
    }

    public void OnRequest(SipRequest request, ServerTransaction? transaction)
    {
        var toTag = request.To.Tag;
        if (transaction is null)
        {
            // An ACK: of a 2xx (its own transaction), for the dialog it confirms.
            if (toTag is not null && _dialogs.TryGetValue(Dialog.KeyOf(request.CallId, toTag, request.From.Tag ?? ""), out var acked))
            {
                acked.OnAck(request);
            }

            return;
        }

        if (toTag is not null)
        {
            if (_dialogs.TryGetValue(Dialog.KeyOf(request.CallId, toTag, request.From.Tag ?? ""), out var leg))
            {
                leg.OnInDialogRequest(request, transaction);
            }
            else
            {
                transaction.Respond(request.CreateResponse(481));
            }

            return;
        }

        switch (request.Method)
        {
            case SipMethods.Invite:
                OnInvite(request, transaction);
                break;
            case SipMethods.Register:
                _registrar.OnRegister(request, transaction);
                break;
            case SipMethods.Options:
                var capabilities = request.CreateResponse(200, Dialog.NewTag());
                capabilities.Headers.Add("Allow", SipMethods.Allowed);
                capabilities.Headers.Add("Accept", "application/sdp");
                transaction.Respond(capabilities);
                break;
            case SipMethods.Bye:
                transaction.Respond(request.CreateResponse(481));
                break;
            case SipMethods.Info:
                transaction.Respond(request.CreateResponse(481));
                break;
            case SipMethods.Refer:
                // Only a call's own phone transfers it, inside the call's dialog; the edge serves no out-of-dialog REFER.
                transaction.Respond(request.CreateResponse(403, Dialog.NewTag(), "Forbidden (REFER only within a call)"));
                break;
            default:
                var unknown = request.CreateResponse(IsKnown(request.Method) ? 405 : 501, Dialog.NewTag());
                unknown.Headers.Add("Allow", SipMethods.Allowed);
                transaction.Respond(unknown);
                break;
        }
    }

    private void OnInvite(SipRequest invite, ServerTransaction transaction)
    {
        var tag = Dialog.NewTag();
        if (!_isTrunk(transaction.Peer.EndPoint.Address))
        {
            transaction.Respond(invite.CreateResponse(403, tag, "Forbidden (not a configured trunk)"));
            return;
        }

        var required = invite.Headers.Values("Require").ToList();
        if (required.Count > 0)
        {
            // The edge implements no extension a caller could require (100rel, timer, ...): RFC 3261 section 8.2.2.3.
            var refused = invite.CreateResponse(420, tag);
            refused.Headers.Add("Unsupported", string.Join(", ", required));
            transaction.Respond(refused);
            return;
        }

        SessionDescription? offer = null;
        if (invite.Body.Length > 0)
        {
            if (!invite.HasSdp)
            {
                var unsupported = invite.CreateResponse(415, tag);
                unsupported.Headers.Add("Accept", "application/sdp");
                transaction.Respond(unsupported);
                return;
            }

            offer = SessionDescription.Parse(invite.Body);
            if (offer is null)
            {
                transaction.Respond(invite.CreateResponse(400, tag, "Bad Request (the SDP cannot be read)"));
                return;
            }
        }

        if (_incoming is null)
        {
            transaction.Respond(invite.CreateResponse(503, tag));
            return;
        }

        var contact = invite.Headers["Contact"] is { } c && NameAddress.TryParse(c, out var address) ? address!.Uri : invite.From.Uri;
        var dialog = new Dialog
        {
            CallId = invite.CallId,
            LocalTag = tag,
            RemoteTag = invite.From.Tag,
            LocalParty = invite.To,
            RemoteParty = invite.From with { Parameters = [] },
            RemoteTarget = contact,
            RouteSet = [.. invite.Headers.Values("Record-Route")],
            Peer = transaction.Peer,
            RemoteSequence = invite.CSeq.Number,
        };
        var leg = new InboundSipLeg(this, dialog, transaction, offer);
        _dialogs[dialog.Key] = leg;
        _byInvite[transaction.Key] = leg;
        _incoming(leg);
    }

    public void OnCancel(ServerTransaction invite)
    {
        if (_byInvite.TryGetValue(invite.Key, out var leg) && !leg.IsEnded)
        {
            leg.OnCancelled();
        }
    }

    public void OnAckTimeout(ServerTransaction invite) => _log.LogDebug("no ACK for the {Status} to INVITE {CallId}", invite.FinalStatus, invite.Request.CallId);

    public void OnStrayResponse(SipResponse response, SipPeer from)
    {
        // A 2xx retransmitted after the INVITE transaction ended: ACK it again through the dialog.
        if (response.IsSuccess && response.CSeq.Method == SipMethods.Invite && response.From.Tag is { } local
            && _dialogs.TryGetValue(Dialog.KeyOf(response.CallId, local, response.To.Tag ?? ""), out var leg) && leg is OutboundSipLeg outbound)
        {
            outbound.OnResponse(response);
        }
    }

    /// <summary>Runs the work on the signalling loop after the delay.</summary>
    internal ITimer After(TimeSpan delay, Action work) => _layer.Loop.After(delay, work);

    /// <summary>Runs the work on the signalling loop (at once when already there).</summary>
    internal void OnLoop(Action work)
    {
        if (_layer.Loop.IsOnLoop)
        {
            work();
        }
        else
        {
            _layer.Loop.Post(work);
        }
    }

    internal string ContactFor(SipTransportKind transport) =>
        $"<sip:edge@{_layer.AdvertisedHost}:{_layer.PortOf(transport)}{(transport == SipTransportKind.Tcp ? ";transport=tcp" : "")}>";

    internal void AddSdp(SipMessage message, SessionDescription sdp, SipTransportKind transport)
    {
        message.Headers.Set("Contact", ContactFor(transport));
        message.Headers.Set("Content-Type", "application/sdp");
        message.Body = sdp.ToBytes();
    }

    internal void SendInDialog(SipRequest request, Dialog dialog, Action<SipResponse> responded)
    {
        request.Headers.Set("Via", _layer.NewVia(dialog.Peer.Transport));
        _layer.Send(request, dialog.Peer, responded);
    }

    internal void SendAck(SipRequest ack, Dialog dialog)
    {
        if (ack.Headers["Via"] is null)
        {
            ack.Headers.Set("Via", _layer.NewVia(dialog.Peer.Transport));
        }

        _layer.SendWithoutTransaction(ack, dialog.Peer);
    }

    internal void SendCancel(SipRequest cancel, SipPeer peer) => _layer.Send(cancel, peer, _ => { });

    /// <summary>The leg's dialog now has both tags: requests in it are matched from here on.</summary>
    internal void Adopt(SipLeg leg) => _dialogs[leg.Dialog.Key] = leg;

    internal void Forget(SipLeg leg)
    {
        _dialogs.Remove(leg.Dialog.Key);
        if (leg is InboundSipLeg inbound)
        {
            _byInvite.Remove(inbound.InviteTransaction.Key);
        }

        StopRetransmitting(leg);
    }

    /// <summary>Sends the 2xx again, T1 doubling to T2, until its ACK; without an ACK in 64*T1 the leg is hung up (section 13.3.1.4).</summary>
    internal void RetransmitUntilAcked(SipLeg leg, SipResponse ok, long cseq)
    {
        var bytes = ok.ToBytes();
        var timers = _layer.Timers;
        if (leg.Dialog.Peer.IsReliable)
        {
            // Over TCP the 2xx is not retransmitted, but the ACK is still awaited.
            _retransmitting[leg] = _layer.Loop.After(timers.TransactionTimeout, () => AckNeverCame(leg));
            return;
        }

        var interval = timers.T1;
        var started = _layer.Loop.Time.GetTimestamp();
        void Resend()
        {
            if (!_retransmitting.ContainsKey(leg))
            {
                return;
            }

            if (_layer.Loop.Time.GetElapsedTime(started) >= timers.TransactionTimeout)
            {
                AckNeverCame(leg);
                return;
            }

            _layer.SendResponse(bytes, leg.Dialog.Peer);
            interval = timers.Next(interval, capped: true);
            _retransmitting[leg] = _layer.Loop.After(interval, Resend);
        }

        _retransmitting[leg] = _layer.Loop.After(interval, Resend);
    }

    internal void StopRetransmitting(SipLeg leg)
    {
        if (_retransmitting.Remove(leg, out var timer))
        {
            timer.Dispose();
        }
    }

    private void AckNeverCame(SipLeg leg)
    {
        _retransmitting.Remove(leg);
        _log.LogInformation("SIP call {CallId}: no ACK for our 2xx in 64*T1; hanging up", leg.CallId);
        if (!leg.IsEnded)
        {
            leg.GiveUp("no_ack");
        }
    }

    private static bool IsKnown(string method) => method is SipMethods.Invite or SipMethods.Ack or SipMethods.Bye or SipMethods.Cancel or SipMethods.Options or SipMethods.Register or "PRACK" or "UPDATE" or "REFER" or "SUBSCRIBE" or "NOTIFY" or "MESSAGE" or "PUBLISH";

    private static string SafeUser(string number) => number.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.' or '_') && number.Length is > 0 and <= 32 ? number : "anonymous";
}
