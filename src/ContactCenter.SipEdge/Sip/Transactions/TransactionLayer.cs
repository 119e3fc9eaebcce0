using System.Net;
using System.Security.Cryptography;
using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Sip.Transport;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Sip.Transactions;

/// <summary>What the layer above the transactions (the user agent core, RFC 3261 section 8) is told.</summary>
public interface ITransactionUser
{
    /// <summary>A new request: <paramref name="transaction"/> answers it; null for an ACK, which has no transaction of its own.</summary>
    void OnRequest(SipRequest request, ServerTransaction? transaction);

    /// <summary>A CANCEL matched an INVITE not finally answered yet: the CANCEL is answered 200; the INVITE is the user's to answer 487.</summary>
    void OnCancel(ServerTransaction invite);

    /// <summary>A final non-2xx INVITE response was never ACKed (timer H).</summary>
    void OnAckTimeout(ServerTransaction invite);

    /// <summary>A response no transaction waits for: a 2xx retransmitted after its INVITE transaction ended, for the dialog to ACK again.</summary>
    void OnStrayResponse(SipResponse response, SipPeer from);
}

/// <summary>
/// The transaction layer (RFC 3261 section 17) over the edge's transports: reads each message, answers what
/// cannot be read with 400 (or drops it), matches requests and responses to their transactions by branch
/// (section 17.1.3 and 17.2.3), and hands the rest to the <see cref="ITransactionUser"/>. Runs on the signalling loop.
/// </summary>
public sealed class TransactionLayer
{
    private readonly Dictionary<string, ServerTransaction> _server = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ClientTransaction> _client = new(StringComparer.Ordinal);
    private readonly Dictionary<SipTransportKind, ISipTransport> _transports = [];
    private readonly ILogger _log;
    private ITransactionUser? _user;

    public TransactionLayer(SignallingLoop loop, SipTimerSettings timers, string advertisedHost, ILogger log)
    {
        Loop = loop;
        Timers = timers;
        AdvertisedHost = advertisedHost;
        _log = log;
    }

    public SignallingLoop Loop { get; }

    public SipTimerSettings Timers { get; }

    /// <summary>The address peers reach the edge at, written into Via and Contact.</summary>
    public string AdvertisedHost { get; }

    public SipEdgeCounters Counters { get; } = new();

    public int ServerTransactions => _server.Count;

    public int ClientTransactions => _client.Count;

    public void Attach(ITransactionUser user) => _user = user;

    public void AddTransport(ISipTransport transport) => _transports[transport.Kind] = transport;

    public int PortOf(SipTransportKind kind) => _transports[kind].LocalEndPoint.Port;

    /// <summary>What a transport calls with each message, on its own thread: read there, handled on the loop.</summary>
    public void Receive(ReadOnlyMemory<byte> data, SipPeer from)
    {
        var outcome = SipParser.Parse(data.Span);
        if (outcome.Message is null)
        {
            Counters.Malformed();
            if (outcome.Answerable is { } request)
            {
                // The reason goes in the reason phrase, where a peer's log shows it (RFC 3261 section 21.4.1).
                SendResponse(request.CreateResponse(400, reason: $"Bad Request ({outcome.Error})").ToBytes(), from);
            }

            _log.LogDebug("SIP message from {Peer} refused: {Reason}", from, outcome.Error);
            return;
        }

        if (!Loop.Post(() => Dispatch(outcome.Message, from)))
        {
            Counters.Shed();
        }
    }

    /// <summary>Starts a client transaction for the request (which must carry its Via) to the peer.</summary>
    public ClientTransaction Send(SipRequest request, SipPeer to, Action<SipResponse> responseReceived)
    {
        var key = ClientKey(request.TopVia.Branch!, request.CSeq.Method);
        var transaction = new ClientTransaction(this, key, request, to, responseReceived);
        _client[key] = transaction;
        transaction.Start();
        return transaction;
    }

    /// <summary>Sends a request outside any transaction: the ACK of a 2xx (RFC 3261 section 13.2.2.4).</summary>
    public void SendWithoutTransaction(SipRequest request, SipPeer to) => SendRequest(request.ToBytes(), to);

    /// <summary>A Via for a new request from the edge over the transport, with a fresh branch and rport (RFC 3581).</summary>
    public string NewVia(SipTransportKind kind) =>
        $"SIP/2.0/{kind.ToString().ToUpperInvariant()} {AdvertisedHost}:{PortOf(kind)};branch={NewBranch()};rport";

    public static string NewBranch() => Via.MagicCookie + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));

    internal void SendRequest(byte[] bytes, SipPeer to) => TransportFor(to).Send(bytes, to.EndPoint);

    /// <summary>A response goes back where its request came from: the source address and port, which is what rport asks for and what works behind NAT.</summary>
    internal void SendResponse(byte[] bytes, SipPeer to) => TransportFor(to).Send(bytes, to.EndPoint);

    internal void Forget(ServerTransaction transaction) => _server.Remove(transaction.Key);

    internal void Forget(ClientTransaction transaction) => _client.Remove(transaction.Key);

    internal void ReportAckTimeout(ServerTransaction transaction) => _user?.OnAckTimeout(transaction);

    private ISipTransport TransportFor(SipPeer peer) => _transports.TryGetValue(peer.Transport, out var transport)
        ? transport
        : throw new InvalidOperationException($"no {peer.Transport} transport");

    private void Dispatch(SipMessage message, SipPeer from)
    {
        if (message is SipResponse response)
        {
            var key = ClientKey(response.TopVia.Branch ?? "", response.CSeq.Method);
            if (_client.TryGetValue(key, out var waiting))
            {
                waiting.OnResponse(response);
            }
            else
            {
                _user?.OnStrayResponse(response, from);
            }

            return;
        }

        var request = (SipRequest)message;
        Counters.Request(request.Method);
        var via = request.TopVia;
        if (via.Branch is not { } branch || !branch.StartsWith(Via.MagicCookie, StringComparison.Ordinal))
        {
            // RFC 2543 peers match by Call-ID and CSeq; none of the edge's peers (trunks, phones) is that old.
            if (request.Method != SipMethods.Ack)
            {
                SendResponse(request.CreateResponse(400, reason: "Bad Request (Via branch without the RFC 3261 magic cookie)").ToBytes(), from);
            }

            return;
        }

        var method = request.Method == SipMethods.Ack ? SipMethods.Invite : request.Method;
        var serverKey = ServerKey(branch, via.SentBy, method);
        if (_server.TryGetValue(serverKey, out var existing))
        {
            if (request.Method == SipMethods.Ack)
            {
                existing.OnAck();
                if (existing.State == TransactionState.Accepted)
                {
                    // An ACK with the INVITE's branch for a 2xx: a peer reusing the branch; the dialog still needs it.
                    _user?.OnRequest(request, null);
                }
            }
            else
            {
                existing.OnRetransmission();
            }

            return;
        }

        if (request.Method == SipMethods.Ack)
        {
            _user?.OnRequest(request, null);
            return;
        }

        var transaction = new ServerTransaction(this, serverKey, request, from);
        _server[serverKey] = transaction;
        if (request.Headers["Max-Forwards"] is "0")
        {
            transaction.Respond(request.CreateResponse(483));
            return;
        }

        if (request.Method == SipMethods.Invite)
        {
            // At once, so the far end stops retransmitting while the call is set up (RFC 3261 section 17.2.1).
            transaction.Respond(request.CreateResponse(100));
        }

        if (request.Method == SipMethods.Cancel)
        {
            Cancel(request, transaction, branch, via.SentBy);
            return;
        }

        _user?.OnRequest(request, transaction);
    }

    private void Cancel(SipRequest cancel, ServerTransaction transaction, string branch, string sentBy)
    {
        if (!_server.TryGetValue(ServerKey(branch, sentBy, SipMethods.Invite), out var invite))
        {
            transaction.Respond(cancel.CreateResponse(481));
            return;
        }

        transaction.Respond(cancel.CreateResponse(200));
        if (invite.State == TransactionState.Proceeding)
        {
            _user?.OnCancel(invite);
        }
    }

    private static string ServerKey(string branch, string sentBy, string method) => $"{branch}|{sentBy.ToLowerInvariant()}|{method}";

    private static string ClientKey(string branch, string method) => $"{branch}|{(method == SipMethods.Ack ? SipMethods.Invite : method)}";

    /// <summary>Resolves a URI's host to an address (a literal, or DNS); null when it has none.</summary>
    public static async Task<IPAddress?> ResolveAsync(string host)
    {
        var literal = host.Trim('[', ']');
        if (IPAddress.TryParse(literal, out var address))
        {
            return address;
        }

        try
        {
            var addresses = await Dns.GetHostAddressesAsync(host);
            return addresses.FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork) ?? addresses.FirstOrDefault();
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null;
        }
    }
}
