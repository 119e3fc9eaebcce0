namespace ContactCenter.LoadTests.Ingest;

/// <summary>
/// One call as its gateway sees it: the planned events and how far the silo has acknowledged them. Only
/// acknowledged events move the call on; anything else is resent, as a real gateway must do.
/// </summary>
public sealed class SimulatedCall(string callId, PlannedEvent[] events)
{
    public string CallId { get; } = callId;

    /// <summary>The sequence number of the last acknowledged event (sequences start at 1).</summary>
    public int Acknowledged { get; private set; }

    /// <summary>Set when the silo refused one of the call's events: the rest of its life cycle cannot follow.</summary>
    public bool Abandoned { get; private set; }

    public bool IsOver => Abandoned || Acknowledged == events.Length;

    public int EventCount => events.Length;

    /// <summary>The planned event with this sequence number.</summary>
    public PlannedEvent this[int sequence] => events[sequence - 1];

    /// <summary>The sequence numbers to send next: the first unacknowledged ones, in order.</summary>
    public (int First, int Count) Next(int atMost) => (Acknowledged + 1, Math.Min(atMost, events.Length - Acknowledged));

    public void Acknowledge(int sequence)
    {
        // Acknowledgements arrive in sequence order within a response; a later one implies the earlier ones.
        if (sequence > Acknowledged)
        {
            Acknowledged = sequence;
        }
    }

    public void Abandon() => Abandoned = true;
}

/// <summary>Makes one gateway's new calls: unique ids for this run, a life cycle drawn from the mix.</summary>
public sealed class CallSource(string runId, int gatewayIndex, IReadOnlyList<CallScripts.Script> mix, IReadOnlyList<string> queues, Random random)
{
    private long _made;

    public SimulatedCall NextCall()
    {
        // Letters, digits and '-' only: valid ids for the silo, and unique across runs against one database.
        var callId = $"lt-{runId}-g{gatewayIndex:D3}-{++_made:D8}";
        var script = CallScripts.Pick(mix, random);
        return new SimulatedCall(callId, script.Events(new CallFacts(callId, queues, random)));
    }
}
