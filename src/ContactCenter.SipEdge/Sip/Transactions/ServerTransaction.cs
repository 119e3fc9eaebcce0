using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Sip.Transport;

namespace ContactCenter.SipEdge.Sip.Transactions;

/// <summary>
/// A server transaction (RFC 3261 section 17.2, with RFC 6026's Accepted state for INVITE): it absorbs the
/// request's retransmissions by sending the last response again, retransmits a final non-2xx INVITE response over
/// UDP (timer G) until the ACK (timer H gives up), and lingers after the final response (timers I, J, L) so late
/// retransmissions are still absorbed. Runs on the signalling loop only.
/// </summary>
public sealed class ServerTransaction
{
    private readonly TransactionLayer _layer;
    private ITimer? _retransmit;
    private ITimer? _timeout;
    private TimeSpan _interval;
    private byte[]? _lastResponse;

    internal ServerTransaction(TransactionLayer layer, string key, SipRequest request, SipPeer peer)
    {
        _layer = layer;
        Key = key;
        Request = request;
        Peer = peer;
        State = request.Method == SipMethods.Invite ? TransactionState.Proceeding : TransactionState.Trying;
    }

    public string Key { get; }

    public SipRequest Request { get; }

    public SipPeer Peer { get; }

    public TransactionState State { get; private set; }

    public int? FinalStatus { get; private set; }

    private bool IsInvite => Request.Method == SipMethods.Invite;

    /// <summary>Sends a response to the request; one after the final response is ignored.</summary>
    public void Respond(SipResponse response)
    {
        if (State is TransactionState.Completed or TransactionState.Confirmed or TransactionState.Accepted or TransactionState.Terminated)
        {
            return;
        }

        _lastResponse = response.ToBytes();
        _layer.SendResponse(_lastResponse, Peer);
        if (response.IsProvisional)
        {
            State = TransactionState.Proceeding;
            return;
        }

        FinalStatus = response.StatusCode;
        var timers = _layer.Timers;
        if (IsInvite && response.IsSuccess)
        {
            // RFC 6026: the 2xx is the dialog's to retransmit; the transaction stays to absorb INVITE retransmissions (timer L).
            State = TransactionState.Accepted;
            _timeout = _layer.Loop.After(timers.TransactionTimeout, Terminate);
        }
        else if (IsInvite)
        {
            State = TransactionState.Completed;
            if (!Peer.IsReliable)
            {
                _interval = timers.T1;
                _retransmit = _layer.Loop.After(_interval, RetransmitFinal);
            }

            _timeout = _layer.Loop.After(timers.TransactionTimeout, () =>
            {
                // Timer H: the ACK never came.
                if (State == TransactionState.Completed)
                {
                    _layer.ReportAckTimeout(this);
                }

                Terminate();
            });
        }
        else
        {
            State = TransactionState.Completed;
            _timeout = _layer.Loop.After(Peer.IsReliable ? TimeSpan.Zero : timers.TransactionTimeout, Terminate);
        }
    }

    /// <summary>The peer sent the request again: it did not get our last response.</summary>
    internal void OnRetransmission()
    {
        if (_lastResponse is not null && State is TransactionState.Proceeding or TransactionState.Completed or TransactionState.Accepted)
        {
            _layer.SendResponse(_lastResponse, Peer);
        }
    }

    /// <summary>The ACK of a final non-2xx response (the ACK of a 2xx is a transaction of its own, for the dialog).</summary>
    internal void OnAck()
    {
        if (State != TransactionState.Completed)
        {
            return;
        }

        State = TransactionState.Confirmed;
        _retransmit?.Dispose();
        _timeout?.Dispose();
        _timeout = _layer.Loop.After(Peer.IsReliable ? TimeSpan.Zero : _layer.Timers.T4, Terminate);
    }

    private void RetransmitFinal()
    {
        if (State != TransactionState.Completed || _lastResponse is null)
        {
            return;
        }

        _layer.SendResponse(_lastResponse, Peer);
        _interval = _layer.Timers.Next(_interval, capped: true);
        _retransmit = _layer.Loop.After(_interval, RetransmitFinal);
    }

    private void Terminate()
    {
        State = TransactionState.Terminated;
        _retransmit?.Dispose();
        _timeout?.Dispose();
        _layer.Forget(this);
    }
}

public enum TransactionState
{
    Calling,
    Trying,
    Proceeding,
    Accepted,
    Completed,
    Confirmed,
    Terminated,
}
