using System.Text.RegularExpressions;

namespace ContactCenter.LoadTests.Measurement;

/// <summary>What went wrong: an event's final outcome other than acknowledged, an answer or a request the client had to resend, a failover, or an exception.</summary>
public enum ErrorKind
{
    /// <summary>Refused by the silo: malformed, or impossible in the call's state (counts events).</summary>
    Rejected,
    /// <summary>Refused by the silo: the call belongs to another gateway (counts events).</summary>
    Forbidden,
    /// <summary>Given up by the client: an earlier event of the call was refused, or a gap never filled (counts events).</summary>
    Blocked,
    /// <summary>Answered held, waiting for an earlier sequence; the client resent it (counts answers).</summary>
    Held,
    /// <summary>Answered unavailable, the region could not commit; the client resent it (counts answers).</summary>
    Unavailable,
    /// <summary>A request that timed out, could not connect or got no usable answer; the client resent its batch (counts requests).</summary>
    FailedRequest,
    /// <summary>The client moved to the next region (counts moves).</summary>
    Failover,
    /// <summary>An event without an outcome: the run ended (the client was disposed) before its answer came.</summary>
    Exception,
}

/// <summary>One group of like errors: the same kind and the same message once numbers are blanked out.</summary>
public sealed record ErrorGroup(ErrorKind Kind, string Message, long Count, string Example);

/// <summary>
/// Counts errors grouped by kind and message. Numbers in messages (sequences, ids) are replaced by '#', so
/// "sequence 5 was already used" and "sequence 7 was already used" land in one group with one example kept.
/// </summary>
public sealed partial class ErrorTally
{
    // A broken run can produce a different message per event; past this many groups the rest share one.
    private const int MaxGroups = 100;

    private readonly Dictionary<(ErrorKind, string), (long Count, string Example)> _groups = [];

    public long Total { get; private set; }

    public void Add(ErrorKind kind, string message, long count = 1)
    {
        var key = (kind, _groups.Count < MaxGroups ? Digits().Replace(message, "#") : "(further kinds of error)");
        _groups[key] = _groups.TryGetValue(key, out var group) ? (group.Count + count, group.Example) : (count, message);
        Total += count;
    }

    public void AddFrom(ErrorTally other)
    {
        foreach (var ((kind, message), (count, example)) in other._groups)
        {
            _groups[(kind, message)] = _groups.TryGetValue((kind, message), out var group) ? (group.Count + count, group.Example) : (count, example);
        }

        Total += other.Total;
    }

    public IReadOnlyList<ErrorGroup> Groups() =>
        [.. _groups.Select(g => new ErrorGroup(g.Key.Item1, g.Key.Item2, g.Value.Count, g.Value.Example)).OrderByDescending(g => g.Count)];

    [GeneratedRegex(@"\d+")]
    private static partial Regex Digits();
}
