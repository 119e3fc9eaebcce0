using System.Diagnostics.Metrics;

namespace ContactCenter.Calls;

/// <summary>
/// The live calls of this silo by phase, as the metric <c>contact_center.calls.live</c> (tag <c>phase</c>): a call
/// counts in its phase while its grain is active here, and leaves it when the call ends or the grain
/// deactivates. Each silo reports its own calls; summed over the silos it is the cluster's. Kept as the grains
/// change rather than counted on a scrape, which would have to visit every call.
/// </summary>
public static class LiveCallsByPhase
{
    public const string MeterName = "ContactCenter.Calls";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>The tag of each phase, made once: a call's events pass here, and the names never change.</summary>
    private static readonly string[] PhaseTags = [.. Enum.GetValues<CallPhase>().Select(JsonNames.Of)];
    private static readonly UpDownCounter<long> Live = Meter.CreateUpDownCounter<long>(
        "contact_center.calls.live", "{call}", "Calls up on this silo, by phase (pending, in_ivr, queued, ringing, talking, on_hold)");

    /// <summary>Moves one call from its phase before to its phase after; null or ended means not counted.</summary>
    public static void Moved(CallSnapshot? before, CallSnapshot? after)
    {
        var from = Counted(before);
        var to = Counted(after);
        if (from == to)
        {
            return;
        }

        if (from is { } left)
        {
            Live.Add(-1, new KeyValuePair<string, object?>("phase", TagOf(left)));
        }

        if (to is { } entered)
        {
            Live.Add(1, new KeyValuePair<string, object?>("phase", TagOf(entered)));
        }
    }

    private static CallPhase? Counted(CallSnapshot? call) => call is { Phase: not CallPhase.Ended } ? call.Phase : null;

    private static string TagOf(CallPhase phase) => PhaseTags[(int)phase];
}
