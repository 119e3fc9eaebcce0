using ContactCenter.GatewayClient;

namespace ContactCenter.LoadTests.Ingest;

/// <summary>One call as its gateway plays it: an id and the planned events, reported in sequence order.</summary>
public sealed class SimulatedCall(string callId, PlannedEvent[] events)
{
    public string CallId { get; } = callId;

    public int EventCount => events.Length;

    /// <summary>The event with this sequence number (from 1) as the gateway reports it, happening now.</summary>
    public GatewayEvent Event(int sequence, DateTimeOffset occurredAt)
    {
        var planned = events[sequence - 1];
        return new GatewayEvent($"{CallId}-{sequence}", CallId, sequence, planned.Type, occurredAt, planned.WireFields);
    }
}

/// <summary>
/// Makes one gateway's new calls: unique ids for this run, a life cycle drawn from the mix. Shared by the
/// gateway's call loops, hence the lock (the random source is not thread-safe).
/// </summary>
public sealed class CallSource(string runId, int gatewayIndex, IReadOnlyList<CallScripts.Script> mix, IReadOnlyList<string> queues, Random random)
{
    private readonly Lock _lock = new();
    private long _made;

    public SimulatedCall NextCall()
    {
        lock (_lock)
        {
            // Letters, digits and '-' only: valid ids for the silo, and unique across runs against one database.
            var callId = $"lt-{runId}-g{gatewayIndex:D3}-{++_made:D8}";
            var script = CallScripts.Pick(mix, random);
            return new SimulatedCall(callId, script.Events(new CallFacts(callId, queues, random)));
        }
    }
}
