using System.Collections.Concurrent;

namespace ContactCenter.SipEdge.Sip;

/// <summary>The signalling figures of the edge, counted as they happen and read at any time.</summary>
public sealed class SipEdgeCounters
{
    private readonly ConcurrentDictionary<string, long> _requests = new(StringComparer.Ordinal);
    private long _malformed;
    private long _shed;

    /// <summary>Messages refused as unreadable (answered 400 where they could be).</summary>
    public long MalformedMessages => Interlocked.Read(ref _malformed);

    /// <summary>Messages dropped because the signalling loop was full (their senders retransmit).</summary>
    public long ShedMessages => Interlocked.Read(ref _shed);

    public IReadOnlyDictionary<string, long> RequestsByMethod => _requests;

    internal void Malformed() => Interlocked.Increment(ref _malformed);

    internal void Shed() => Interlocked.Increment(ref _shed);

    // Only the methods the edge knows get their own figure: a flood of invented methods must not grow the table.
    internal void Request(string method) => _requests.AddOrUpdate(KnownMethods.Contains(method) ? method : "other", 1, (_, n) => n + 1);

    private static readonly HashSet<string> KnownMethods = ["INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "REGISTER", "INFO", "UPDATE", "PRACK", "REFER", "NOTIFY", "SUBSCRIBE", "MESSAGE"];
}
