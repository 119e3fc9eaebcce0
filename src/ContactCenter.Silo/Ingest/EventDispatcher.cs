using System.Collections.Immutable;
using ContactCenter.Calls;
using ContactCenter.Placement;

namespace ContactCenter.Ingest;

/// <summary>The outcome of one element of a gateway batch, in the batch's order.</summary>
public sealed record IndexedResult(int Index, string? EventId, EventOutcome Outcome, string? Reason);

/// <summary>
/// Sends a batch's valid events to their Call grains: one grain call per call in the batch (its events in
/// sequence order), all calls in parallel. Parse errors, and events naming a queue the center does not have,
/// are refused here without activating a grain for them (an unknown id must not activate one: a queue grain keeps
/// itself alive with its timer, so every made-up id would stay in memory for good). A refused event whose call and
/// place in it are known still goes to its call, as an <see cref="EventRefused"/> that takes its place: the call's
/// later events are not held for it, and the refusal is on the call's record.
/// </summary>
public sealed partial class EventDispatcher(IGrainFactory grains, HomeRegionMap center, TimeProvider clock, ILogger<EventDispatcher> logger)
{
    public async Task<IReadOnlyList<IndexedResult>> DispatchAsync(string gatewayId, IReadOnlyList<ParsedEvent> batch)
    {
        var results = new IndexedResult[batch.Count];
        var toCalls = new List<(ParsedEvent Parsed, CallEvent Event)>(batch.Count);
        foreach (var parsed in batch)
        {
            if (parsed.Event is null)
            {
                results[parsed.Index] = new IndexedResult(parsed.Index, parsed.EventId, EventOutcome.Rejected, parsed.Error);
                if (parsed.RefusalAt(clock.GetUtcNow()) is { } refusal)
                {
                    toCalls.Add((parsed, refusal));
                }
            }
            else if (await UnknownQueueAsync(parsed.Event) is { } refusal)
            {
                results[parsed.Index] = new IndexedResult(parsed.Index, parsed.EventId, refusal.Outcome, refusal.Reason);
                if (refusal.Outcome == EventOutcome.Rejected)
                {
                    var e = parsed.Event;
                    toCalls.Add((parsed, new EventRefused(e.EventId, e.CallId, e.Sequence, e.OccurredAt, refusal.Reason)));
                }
            }
            else
            {
                toCalls.Add((parsed, parsed.Event));
            }
        }

        var byCall = toCalls.GroupBy(p => p.Event.CallId, StringComparer.Ordinal);
        await Task.WhenAll(byCall.Select(call => DispatchCallAsync(gatewayId, call.Key, [.. call], results)));
        return results;
    }

    private async Task DispatchCallAsync(string gatewayId, string callId, List<(ParsedEvent Parsed, CallEvent Event)> events, IndexedResult[] results)
    {
        ImmutableArray<EventResult> outcomes;
        try
        {
            outcomes = await grains.ReferenceTo<ICallGrain>(callId).ProcessAsync(gatewayId, [.. events.Select(p => p.Event)]);
        }
        catch (Exception ex)
        {
            // The grain could not be reached or activated (e.g. its journal replay failed): none of these events
            // was acknowledged, so the gateway must resend them; the rest of the batch is unaffected.
            LogCallFailed(ex, callId, events.Count);
            outcomes = [.. events.Select(p => EventResult.Unavailable(p.Event.EventId, "the call could not be processed now; resend"))];
        }

        for (var i = 0; i < events.Count; i++)
        {
            var (parsed, sent) = events[i];
            var outcome = outcomes[i];
            if (sent is EventRefused refused && outcome.Outcome is EventOutcome.Rejected or EventOutcome.Accepted or EventOutcome.Duplicate)
            {
                // Its place is taken (or was already, or is another event's): to the gateway it is what it was, refused for its own reason.
                outcome = EventResult.Rejected(refused.EventId, refused.Reason);
            }

            results[parsed.Index] = new IndexedResult(parsed.Index, outcome.EventId, outcome.Outcome, outcome.Reason);
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
