using System.Threading.Channels;

namespace ContactCenter.GatewayClient;

/// <summary>The silo's answer for one event of a batch, as the outbox needs it.</summary>
internal readonly record struct EventAnswer(string Outcome, string? Reason);

/// <summary>
/// The events the gateway appended and that have no final outcome yet, by call. Bounded: appending waits for
/// room, and room is made only by final outcomes, so nothing is ever dropped. Which events go in the next
/// batch and what an answer means for each are decided here; sending is <see cref="EventSender"/>'s.
/// </summary>
internal sealed class EventOutbox
{
    /// <summary>
    /// Twice, not once: one request failing alone beside answered ones could be a passing fault; the same event
    /// failing alone in two batches, apart, is the event.
    /// </summary>
    public const int LoneFailuresToGiveUp = 2;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, CallLane> _lanes = new(StringComparer.Ordinal);
    // Calls with pending events in the order batches visit them. A batch starts at the front and sends the calls
    // it visited to the back, so when more is pending than one batch holds, every call gets its turn.
    private readonly LinkedList<CallLane> _rotation = new();
    private readonly SemaphoreSlim _room;
    // An auto-reset signal: one waiting token is enough to wake the sender, more would only spin it.
    private readonly Channel<bool> _appended = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly TimeSpan _gapTimeout;
    private readonly ClientTally _tally;
    private readonly CancellationToken _closing;
    private int _count;
    private bool _closed;

    /// <param name="closing">Cancelled when the client is disposed: appenders waiting for room give up then.</param>
    public EventOutbox(int capacity, TimeSpan gapTimeout, ClientTally tally, CancellationToken closing)
    {
        _room = new SemaphoreSlim(capacity, capacity);
        _gapTimeout = gapTimeout;
        _tally = tally;
        _closing = closing;
    }

    public int Count => Volatile.Read(ref _count);

    /// <summary>Adds the event once there is room; the task it returns completes with the event's final outcome.</summary>
    public async ValueTask<Task<EventReceipt>> AppendAsync(GatewayEvent e, CancellationToken cancellationToken)
    {
        e.ThrowIfIncomplete();
        await WaitForRoomAsync(cancellationToken);
        var pending = new PendingEvent(e);
        lock (_lock)
        {
            if (_closed)
            {
                _room.Release();
                throw Closed();
            }

            if (!_lanes.TryGetValue(e.CallId, out var lane))
            {
                lane = new CallLane();
                _lanes.Add(e.CallId, lane);
                _rotation.AddLast(lane.Place);
            }

            lane.Insert(pending);
            _count++;
        }

        _appended.Writer.TryWrite(true);
        return pending.Receipt.Task;
    }

    /// <summary>Returns once at least one event is pending.</summary>
    public async Task WaitForEventsAsync(CancellationToken cancellationToken)
    {
        while (Count == 0)
        {
            await _appended.Reader.ReadAsync(cancellationToken);
        }
    }

    /// <summary>The next request's events: up to <paramref name="max"/>, a prefix of each call's lane, calls in rotation.</summary>
    public List<PendingEvent> TakeBatch(int max)
    {
        var batch = new List<PendingEvent>(Math.Min(max, Count));
        lock (_lock)
        {
            var visited = new List<CallLane>();
            for (var place = _rotation.First; place is not null && batch.Count < max; place = place.Next)
            {
                visited.Add(place.Value);
                batch.AddRange(place.Value.Events.Take(max - batch.Count));
            }

            foreach (var lane in visited)
            {
                _rotation.Remove(lane.Place);
                _rotation.AddLast(lane.Place);
            }
        }

        CountTransmission(batch);
        return batch;
    }

    /// <summary>Counts a request about to carry <paramref name="batch"/>: a batch, or a part of one sent again on its own.</summary>
    public void CountTransmission(IReadOnlyList<PendingEvent> batch)
    {
        foreach (var e in batch)
        {
            e.Transmissions++;
            ClientTally.Add(ref _tally.Resends, e.Transmissions > 1 ? 1 : 0);
        }

        ClientTally.Add(ref _tally.EventsSent, batch.Count);
        ClientTally.Add(ref _tally.BatchesSent);
    }

    /// <summary>Applies one answer per event of <paramref name="batch"/>, in order; returns how many got a final outcome.</summary>
    public int Apply(IReadOnlyList<PendingEvent> batch, IReadOnlyList<EventAnswer> answers, Region region)
    {
        var settled = 0;
        var now = DateTimeOffset.UtcNow;
        lock (_lock)
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var (e, (outcome, reason)) = (batch[i], answers[i]);
                if (e.IsSettled)
                {
                    // Blocked a moment ago by an earlier event's refusal in this very answer.
                    continue;
                }

                switch (outcome)
                {
                    case "accepted":
                        settled += Settle(e, EventOutcome.Accepted, null, region);
                        break;
                    case "duplicate":
                        settled += Settle(e, EventOutcome.Duplicate, null, region);
                        break;
                    case "rejected":
                        // The silo keeps the refused event's place in its call, so the call's later events still apply.
                        settled += Settle(e, EventOutcome.Rejected, reason, region);
                        break;
                    case "forbidden":
                        settled += Refuse(e, EventOutcome.Forbidden, reason, region);
                        break;
                    case "held":
                        ClientTally.Add(ref _tally.HeldAnswers);
                        settled += WaitForGap(e, reason, now);
                        break;
                    default:
                        // "unavailable", or an outcome newer than this client: resending is always safe.
                        ClientTally.Add(ref _tally.UnavailableAnswers);
                        break;
                }
            }
        }

        return settled;
    }

    /// <summary>The region refused the request as a whole (not a batch it can read): the same bytes would be refused again.</summary>
    public int RefuseAll(IReadOnlyList<PendingEvent> batch, string reason, Region region)
    {
        lock (_lock)
        {
            return batch.Where(e => !e.IsSettled).Sum(e => Refuse(e, EventOutcome.Rejected, reason, region));
        }
    }

    /// <summary>
    /// Events that failed in a request of their own while the region answered the rest of their batch: each
    /// time counts, and an event this happens to <see cref="LoneFailuresToGiveUp"/> times is given up as
    /// <see cref="EventOutcome.Undeliverable"/> (its call's later events as <see cref="EventOutcome.Blocked"/>).
    /// Returns how many got a final outcome.
    /// </summary>
    public int FailedAlone(IReadOnlyList<PendingEvent> events, RegionFailure failure, Region region)
    {
        lock (_lock)
        {
            var settled = 0;
            foreach (var e in events.Where(e => !e.IsSettled))
            {
                if (++e.LoneFailures >= LoneFailuresToGiveUp)
                {
                    settled += Refuse(e, EventOutcome.Undeliverable,
                        $"{region.Name} failed every request that carried this event alone ({failure.Detail}), {e.LoneFailures} times, " +
                        "while it answered the rest of its batch: something in the event breaks the region's ingest", region);
                }
            }

            return settled;
        }
    }

    /// <summary>Fails every pending event's receipt: the client is going away and nothing more will be sent.</summary>
    public void Close()
    {
        lock (_lock)
        {
            _closed = true;
            foreach (var e in _lanes.Values.SelectMany(lane => lane.Events))
            {
                e.Receipt.TrySetException(Closed());
            }

            _lanes.Clear();
            _rotation.Clear();
            _count = 0;
        }
    }

    private async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        if (_room.Wait(0))
        {
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing);
        try
        {
            await _room.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw Closed();
        }
    }

    /// <summary>
    /// An event the silo did not take in its call's sequence (another gateway's call, an event it never got to read, a
    /// request refused whole): the call's later events cannot be applied, as the silo would hold them for it forever.
    /// They are given up at once rather than resent until <see cref="GatewayClientOptions.GapTimeout"/>. (An event the
    /// silo read and rejected keeps its place there, and the later ones go on.)
    /// </summary>
    private int Refuse(PendingEvent e, EventOutcome outcome, string? reason, Region region)
    {
        var lane = _lanes[e.Event.CallId];
        var settled = Settle(e, outcome, reason, region);
        var why = $"sequence {e.Event.Sequence} of call {e.Event.CallId} was {outcome.ToString().ToLowerInvariant()}: {reason}";
        return settled + lane.After(e).Sum(later => Settle(later, EventOutcome.Blocked, why, null));
    }

    private int WaitForGap(PendingEvent e, string? reason, DateTimeOffset now)
    {
        if (_lanes[e.Event.CallId].HasEarlierThan(e))
        {
            // The missing event is in the outbox and on its way: the hold will resolve.
            e.GapSince = null;
            return 0;
        }

        e.GapSince ??= now;
        return now - e.GapSince < _gapTimeout
            ? 0
            : Settle(e, EventOutcome.Blocked, $"held for {_gapTimeout.TotalSeconds:0} s ({reason}) while this client had no earlier event of the call to send: never appended, refused, or acknowledged by another region", null);
    }

    private int Settle(PendingEvent e, EventOutcome outcome, string? reason, Region? region)
    {
        var lane = _lanes[e.Event.CallId];
        lane.Events.Remove(e);
        if (lane.Events.Count == 0)
        {
            _lanes.Remove(e.Event.CallId);
            _rotation.Remove(lane.Place);
        }

        _count--;
        var receipt = new EventReceipt(e.Event, outcome, reason, region, e.Transmissions);
        if (receipt.IsAcknowledged)
        {
            ClientTally.Add(ref _tally.Acknowledged);
            ClientTally.Add(ref _tally.Duplicates, outcome == EventOutcome.Duplicate ? 1 : 0);
        }
        else
        {
            ClientTally.Add(ref _tally.Refused);
        }

        e.Receipt.TrySetResult(receipt);
        _room.Release();
        return 1;
    }

    private static ObjectDisposedException Closed() => new(nameof(ContactCenterClient), "the client was disposed before the event had a final outcome");
}
