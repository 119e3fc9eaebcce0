using System.Security.Cryptography;
using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Sip.Transport;

namespace ContactCenter.SipEdge.Sip.Dialogs;

/// <summary>
/// A dialog's state (RFC 3261 section 12): its id (Call-ID and both tags), both URIs, the far end's target and route
/// set, and both CSeq counters; it builds the requests sent inside it. The far end is reached at the address its
/// requests came from (or its answer did), which is also what works behind NAT.
/// </summary>
public sealed class Dialog
{
    public required string CallId { get; init; }

    public required string LocalTag { get; init; }

    public string? RemoteTag { get; set; }

    /// <summary>Our From in requests we send (the To of a dialog the far end started).</summary>
    public required NameAddress LocalParty { get; init; }

    public required NameAddress RemoteParty { get; set; }

    public required SipUri RemoteTarget { get; set; }

    public IReadOnlyList<string> RouteSet { get; set; } = [];

    public required SipPeer Peer { get; set; }

    public long LocalSequence { get; set; }

    public long? RemoteSequence { get; set; }

    public string Key => KeyOf(CallId, LocalTag, RemoteTag ?? "");

    public static string KeyOf(string callId, string localTag, string remoteTag) => $"{callId}|{localTag}|{remoteTag}";

    public static string NewTag() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));

    public static string NewCallId(string host) => $"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12))}@{host}";

    /// <summary>A new request in the dialog (RFC 3261 section 12.2.1.1); the caller adds the Via.</summary>
    public SipRequest NewRequest(string method, string contact, long? sequence = null)
    {
        var request = new SipRequest { Method = method, RequestUri = RemoteTarget };
        foreach (var route in RouteSet)
        {
            request.Headers.Add("Route", route);
        }

        request.Headers.Add("Max-Forwards", "70");
        request.Headers.Add("From", LocalParty.WithTag(LocalTag).ToString());
        request.Headers.Add("To", RemoteTag is null ? RemoteParty.ToString() : RemoteParty.WithTag(RemoteTag).ToString());
        request.Headers.Add("Call-ID", CallId);
        if (sequence is null)
        {
            LocalSequence++;
        }

        request.Headers.Add("CSeq", new CSeq(sequence ?? LocalSequence, method).ToString());
        if (method is SipMethods.Invite or SipMethods.Ack)
        {
            request.Headers.Add("Contact", contact);
        }

        return request;
    }
}
