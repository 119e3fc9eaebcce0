using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Sip.Transport;

namespace ContactCenter.SipEdge.Sip.Transactions;

/// <summary>
/// A client transaction (RFC 3261 section 17.1, with RFC 6026's Accepted state for INVITE): it retransmits
/// the request over UDP (timers A and E), gives up after 64*T1 with a 408 of its own (timers B and F), ACKs a
/// final non-2xx INVITE response itself (and again for each retransmission of it, timer D), and hands each
/// response to <see cref="ResponseReceived"/>: provisional ones, the final one, and for INVITE every 2xx
/// retransmission too (the dialog ACKs those). Runs on the signalling loop only.
/// </summary>
public sealed class ClientTransaction
{
    private readonly TransactionLayer _layer;
    private readonly byte[] _requestBytes;
    private ITimer? _retransmit;
    private ITimer? _timeout;
    private TimeSpan _interval;

    internal ClientTransaction(TransactionLayer layer, string key, SipRequest request, SipPeer peer, Action<SipResponse> responseReceived)
    {
        _layer = layer;
        Key = key;
        Request = request;
        Peer = peer;
        ResponseReceived = responseReceived;
        _requestBytes = request.ToBytes();
        State = IsInvite ? TransactionState.Calling : TransactionState.Trying;
    }

    public string Key { get; }

    public SipRequest Request { get; }

    public SipPeer Peer { get; }

    public TransactionState State { get; private set; }

    /// <summary>Whether a provisional response came: a CANCEL may be sent only then (RFC 3261 section 9.1).</summary>
    public bool HadProvisional { get; private set; }

    private Action<SipResponse> ResponseReceived { get; }

    private bool IsInvite => Request.Method == SipMethods.Invite;

    internal void Start()
    {
        _layer.SendRequest(_requestBytes, Peer);
        if (!Peer.IsReliable)
        {
            _interval = _layer.Timers.T1;
            _retransmit = _layer.Loop.After(_interval, Retransmit);
        }

        _timeout = _layer.Loop.After(_layer.Timers.TransactionTimeout, TimedOut);
    }

    internal void OnResponse(SipResponse response)
    {
        switch (State)
        {
            case TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding:
                break;
            case TransactionState.Accepted when response.IsSuccess:
                // A 2xx retransmission (or a 2xx from another fork): the dialog ACKs it again.
                ResponseReceived(response);
                return;
            case TransactionState.Completed when IsInvite && !response.IsProvisional:
                _layer.SendRequest(AckFor(response).ToBytes(), Peer);
                return;
            default:
                return;
        }

        if (response.IsProvisional)
        {
            HadProvisional = true;
            if (State is TransactionState.Calling)
            {
                // Timer A stops once the far end is known to be working on it; timer B stays for a far end that never answers finally.
                _retransmit?.Dispose();
            }
            else if (State is TransactionState.Trying && !Peer.IsReliable)
            {
                _retransmit?.Dispose();
                _interval = _layer.Timers.T2;
                _retransmit = _layer.Loop.After(_interval, Retransmit);
            }

            State = TransactionState.Proceeding;
            ResponseReceived(response);
            return;
        }

        _retransmit?.Dispose();
        _timeout?.Dispose();
        if (IsInvite && response.IsSuccess)
        {
            State = TransactionState.Accepted;
            _timeout = _layer.Loop.After(_layer.Timers.TransactionTimeout, Terminate);
        }
        else if (IsInvite)
        {
            State = TransactionState.Completed;
            _layer.SendRequest(AckFor(response).ToBytes(), Peer);
            // Timer D: at least 32 s over UDP, so a final response whose ACK was lost is ACKed again.
            _timeout = _layer.Loop.After(Peer.IsReliable ? TimeSpan.Zero : TimeSpan.FromSeconds(32), Terminate);
        }
        else
        {
            State = TransactionState.Completed;
            _timeout = _layer.Loop.After(Peer.IsReliable ? TimeSpan.Zero : _layer.Timers.T4, Terminate);
        }

        ResponseReceived(response);
    }

    /// <summary>The ACK of a non-2xx final response (RFC 3261 section 17.1.1.3): same branch and Request-URI, the response's To.</summary>
    private SipRequest AckFor(SipResponse response)
    {
        var ack = new SipRequest { Method = SipMethods.Ack, RequestUri = Request.RequestUri };
        ack.Headers.Add("Via", Request.Headers.Values("Via").First());
        foreach (var route in Request.Headers.Values("Route"))
        {
            ack.Headers.Add("Route", route);
        }

        ack.Headers.Add("Max-Forwards", "70");
        ack.Headers.Add("From", Request.Headers["From"]!);
        ack.Headers.Add("To", response.Headers["To"] ?? Request.Headers["To"]!);
        ack.Headers.Add("Call-ID", Request.CallId);
        ack.Headers.Add("CSeq", new CSeq(Request.CSeq.Number, SipMethods.Ack).ToString());
        return ack;
    }

    private void Retransmit()
    {
        if (State is not (TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding) || (IsInvite && State == TransactionState.Proceeding))
        {
            return;
        }

        _layer.SendRequest(_requestBytes, Peer);
        _interval = _layer.Timers.Next(_interval, capped: !IsInvite || State == TransactionState.Proceeding);
        _retransmit = _layer.Loop.After(State == TransactionState.Proceeding ? _layer.Timers.T2 : _interval, Retransmit);
    }

    private void TimedOut()
    {
        if (State is not (TransactionState.Calling or TransactionState.Trying or TransactionState.Proceeding))
        {
            return;
        }

        var timeout = Request.CreateResponse(408, reason: "Request Timeout (no response)");
        Terminate();
        ResponseReceived(timeout);
    }

    private void Terminate()
    {
        State = TransactionState.Terminated;
        _retransmit?.Dispose();
        _timeout?.Dispose();
        _layer.Forget(this);
    }
}
