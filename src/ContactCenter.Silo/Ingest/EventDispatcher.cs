using System.Collections.Immutable;
using ContactCenter.Calls;

namespace ContactCenter.Ingest;

/// <summary>The outcome of one element of a gateway batch, in the batch's order.</summary>
public sealed record IndexedResult(int Index, string? EventId, EventOutcome Outcome, string? Reason);

/// <summary>
/// Sends a batch's valid events to their Call grains: one grain call per call in the batch (its events in
/// sequence order), all calls in parallel. Parse errors are answered here without touching a grain.
/// </summary>
public sealed partial class EventDispatcher(IGrainFactory grains, ILogger<EventDispatcher> logger)
{
    public async Task<IReadOnlyList<IndexedResult>> DispatchAsync(string gatewayId, IReadOnlyList<ParsedEvent> batch)
    {
        var results = new IndexedResult[batch.Count];
        foreach (var invalid in batch.Where(p => p.Event is null))
        {
            results[invalid.Index] = new IndexedResult(invalid.Index, invalid.EventId, EventOutcome.Rejected, invalid.Error);
        }

        var byCall = batch.Where(p => p.Event is not null).GroupBy(p => p.CallId!, StringComparer.Ordinal);
        await Task.WhenAll(byCall.Select(call => DispatchCallAsync(gatewayId, call.Key, [.. call], results)));
        return results;
    }

    private async Task DispatchCallAsync(string gatewayId, string callId, List<ParsedEvent> events, IndexedResult[] results)
    {
        ImmutableArray<EventResult> outcomes;
        try
        {
            outcomes = await grains.GetGrain<ICallGrain>(callId).ProcessAsync(gatewayId, [.. events.Select(p => p.Event!)]);
        }
        catch (Exception ex)
        {
            // The grain could not be reached or activated (e.g. its journal replay failed): none of these events
            // was acknowledged, so the gateway must resend them; the rest of the batch is unaffected.
            LogCallFailed(ex, callId, events.Count);
            outcomes = [.. events.Select(p => EventResult.Unavailable(p.EventId!, "the call could not be processed now; resend"))];
        }

        for (var i = 0; i < events.Count; i++)
        {
            results[events[i].Index] = new IndexedResult(events[i].Index, outcomes[i].EventId, outcomes[i].Outcome, outcomes[i].Reason);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: {Count} events could not be dispatched")]
    private partial void LogCallFailed(Exception ex, string callId, int count);
}
