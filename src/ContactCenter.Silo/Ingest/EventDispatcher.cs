using System.Collections.Immutable;
using ContactCenter.Calls;
using ContactCenter.Placement;

namespace ContactCenter.Ingest;

/// <summary>The outcome of one element of a gateway batch, in the batch's order.</summary>
public sealed record IndexedResult(int Index, string? EventId, EventOutcome Outcome, string? Reason);

/// <summary>
/// Sends a batch's valid events to their Call grains: one grain call per call in the batch (its events in
/// sequence order), all calls in parallel. Parse errors, and events naming a queue the center does not have,
/// are answered here without touching a grain: an unknown id must not activate one (a queue grain keeps
/// itself alive with its timer, so every made-up id would stay in memory for good).
/// </summary>
public sealed partial class EventDispatcher(IGrainFactory grains, HomeRegionMap center, ILogger<EventDispatcher> logger)
{
    public async Task<IReadOnlyList<IndexedResult>> DispatchAsync(string gatewayId, IReadOnlyList<ParsedEvent> batch)
    {
        var results = new IndexedResult[batch.Count];
        var valid = new List<ParsedEvent>(batch.Count);
        foreach (var parsed in batch)
        {
            if (parsed.Event is null)
            {
                results[parsed.Index] = new IndexedResult(parsed.Index, parsed.EventId, EventOutcome.Rejected, parsed.Error);
            }
            else if (await UnknownQueueAsync(parsed.Event) is { } refusal)
            {
                results[parsed.Index] = new IndexedResult(parsed.Index, parsed.EventId, refusal.Outcome, refusal.Reason);
            }
            else
            {
                valid.Add(parsed);
            }
        }

        var byCall = valid.GroupBy(p => p.CallId!, StringComparer.Ordinal);
        await Task.WhenAll(byCall.Select(call => DispatchCallAsync(gatewayId, call.Key, [.. call], results)));
        return results;
    }

    private async Task DispatchCallAsync(string gatewayId, string callId, List<ParsedEvent> events, IndexedResult[] results)
    {
        ImmutableArray<EventResult> outcomes;
        try
        {
            outcomes = await grains.ReferenceTo<ICallGrain>(callId).ProcessAsync(gatewayId, [.. events.Select(p => p.Event!)]);
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

    /// <summary>
    /// The refusal of an event that names a queue the center does not have, checked against this silo's copy of
    /// the center (<see cref="HomeRegionMap"/>), never the directory grain per event; null when it names none or a known one.
    /// </summary>
    private async ValueTask<(EventOutcome Outcome, string Reason)?> UnknownQueueAsync(CallEvent e)
    {
        var (queue, field) = e switch
        {
            CallQueued queued => (queued.Queue, "queue"),
            CallTransferred { ToQueue: { } target } => (target, "toQueue"),
            _ => (null, null),
        };
        if (queue is null)
        {
            return null;
        }

        return await center.IsConfiguredAsync(HomeRegionKind.Queue, queue) switch
        {
            true => null,
            false => (EventOutcome.Rejected, field == "queue" ? $"unknown queue '{queue}'" : $"'{field}': unknown queue '{queue}'"),
            // The copy is stale and the directory did not answer: the queue may be new, so the gateway resends.
            null => (EventOutcome.Unavailable, $"the center's queues could not be read to check '{queue}'; resend"),
        };
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: {Count} events could not be dispatched")]
    private partial void LogCallFailed(Exception ex, string callId, int count);
}
