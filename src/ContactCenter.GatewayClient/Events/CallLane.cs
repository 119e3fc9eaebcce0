namespace ContactCenter.GatewayClient;

/// <summary>An appended event until it has a final outcome.</summary>
internal sealed class PendingEvent(GatewayEvent e)
{
    public GatewayEvent Event { get; } = e;

    // Continuations run elsewhere: the outbox settles receipts under its lock, and a caller's await must not run there.
    public TaskCompletionSource<EventReceipt> Receipt { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Transmissions { get; set; }

    /// <summary>How often a request that carried this event alone failed while its region answered the rest of the batch.</summary>
    public int LoneFailures { get; set; }

    /// <summary>Since when the silo has held it while the client had no earlier event of its call to send.</summary>
    public DateTimeOffset? GapSince { get; set; }

    public bool IsSettled => Receipt.Task.IsCompleted;
}

/// <summary>
/// One call's pending events, in sequence order. A batch always takes a prefix of a lane, so a call's later
/// events never travel without its earlier unacknowledged ones ahead of them in the same request.
/// </summary>
internal sealed class CallLane
{
    public CallLane() => Place = new LinkedListNode<CallLane>(this);

    public List<PendingEvent> Events { get; } = [];

    /// <summary>The lane's place in the outbox's rotation of calls.</summary>
    public LinkedListNode<CallLane> Place { get; }

    public void Insert(PendingEvent e)
    {
        // Gateways append in order almost always, so this looks at the last element only; an equal sequence
        // goes after the ones already there, keeping the gateway's order.
        var index = Events.Count;
        while (index > 0 && Events[index - 1].Event.Sequence > e.Event.Sequence)
        {
            index--;
        }

        Events.Insert(index, e);
    }

    /// <summary>The events after <paramref name="e"/> in sequence order.</summary>
    public IEnumerable<PendingEvent> After(PendingEvent e) => Events.Where(later => later.Event.Sequence > e.Event.Sequence).ToList();

    /// <summary>True when an earlier event of the call is still pending: a hold on <paramref name="e"/> will resolve itself.</summary>
    public bool HasEarlierThan(PendingEvent e) => Events.Count > 0 && Events[0].Event.Sequence < e.Event.Sequence;
}
