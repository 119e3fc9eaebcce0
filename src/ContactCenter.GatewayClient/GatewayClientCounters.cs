namespace ContactCenter.GatewayClient;

/// <summary>The client's figures since it was created, for reports. Events are counted once per transmission in <see cref="EventsSent"/>.</summary>
public sealed record GatewayClientCounters
{
    /// <summary>Events put on the wire, resends included.</summary>
    public long EventsSent { get; init; }
    /// <summary>Requests that carried events, one batch each, resends included: <see cref="EventsSent"/> over this is the mean batch size.</summary>
    public long BatchesSent { get; init; }
    /// <summary>Transmissions of events that had been sent before (after held, unavailable or a failed request).</summary>
    public long Resends { get; init; }
    /// <summary>Events with a final <see cref="EventOutcome.Accepted"/> or <see cref="EventOutcome.Duplicate"/>.</summary>
    public long Acknowledged { get; init; }
    /// <summary>Of <see cref="Acknowledged"/>, those answered <see cref="EventOutcome.Duplicate"/>.</summary>
    public long Duplicates { get; init; }
    /// <summary>Events with a final <see cref="EventOutcome.Rejected"/>, <see cref="EventOutcome.Forbidden"/>, <see cref="EventOutcome.Blocked"/> or <see cref="EventOutcome.Undeliverable"/>.</summary>
    public long Refused { get; init; }
    /// <summary>Answers <c>held</c> (waiting for an earlier sequence): each is followed by a resend.</summary>
    public long HeldAnswers { get; init; }
    /// <summary>Answers <c>unavailable</c> (the region could not commit): each is followed by a resend.</summary>
    public long UnavailableAnswers { get; init; }
    /// <summary>Requests, events and commands alike, that timed out, could not connect or got a 5xx.</summary>
    public long FailedRequests { get; init; }
    /// <summary>
    /// Requests, events and commands alike, answered 429 Too Many Requests: each was sent to the same region again
    /// after the wait it asked for. Not failures: they are not in <see cref="FailedRequests"/> and never move the client.
    /// </summary>
    public long ThrottledRequests { get; init; }
    public long Failovers { get; init; }
    public long Failbacks { get; init; }
    public DateTimeOffset? LastFailoverAt { get; init; }
    /// <summary>Commands the handler carried out (each delivery counts).</summary>
    public long CommandsHandled { get; init; }
    /// <summary>Commands whose handler threw: left unacknowledged, so the region delivers them again.</summary>
    public long CommandsFailed { get; init; }
    /// <summary>Events in the outbox without a final outcome yet.</summary>
    public int Pending { get; init; }
    public required Region CurrentRegion { get; init; }
}

/// <summary>The counters as the sending and command loops bump them, from any thread.</summary>
internal sealed class ClientTally
{
    public long EventsSent;
    public long BatchesSent;
    public long Resends;
    public long Acknowledged;
    public long Duplicates;
    public long Refused;
    public long HeldAnswers;
    public long UnavailableAnswers;
    public long FailedRequests;
    public long ThrottledRequests;
    public long CommandsHandled;
    public long CommandsFailed;

    public static void Add(ref long counter, long amount = 1) => Interlocked.Add(ref counter, amount);

    public GatewayClientCounters Snapshot(RegionSelector regions, int pending)
    {
        var (current, failovers, failbacks, lastFailoverAt) = regions.Statistics();
        return new GatewayClientCounters
        {
            EventsSent = Interlocked.Read(ref EventsSent),
            BatchesSent = Interlocked.Read(ref BatchesSent),
            Resends = Interlocked.Read(ref Resends),
            Acknowledged = Interlocked.Read(ref Acknowledged),
            Duplicates = Interlocked.Read(ref Duplicates),
            Refused = Interlocked.Read(ref Refused),
            HeldAnswers = Interlocked.Read(ref HeldAnswers),
            UnavailableAnswers = Interlocked.Read(ref UnavailableAnswers),
            FailedRequests = Interlocked.Read(ref FailedRequests),
            ThrottledRequests = Interlocked.Read(ref ThrottledRequests),
            Failovers = failovers,
            Failbacks = failbacks,
            LastFailoverAt = lastFailoverAt,
            CommandsHandled = Interlocked.Read(ref CommandsHandled),
            CommandsFailed = Interlocked.Read(ref CommandsFailed),
            Pending = pending,
            CurrentRegion = current,
        };
    }
}
