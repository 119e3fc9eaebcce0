using System.Diagnostics.Metrics;
using ContactCenter.Calls;
using ContactCenter.Ingest;

namespace ContactCenter.Observability;

/// <summary>The gateway events this silo answered, by outcome (<c>contact_center.events</c>), counted per batch.</summary>
public static class IngestMeter
{
    public const string MeterName = "ContactCenter.Ingest";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> Events = Meter.CreateCounter<long>(
        "contact_center.events", "{event}", "Gateway events answered, by outcome (accepted, duplicate, held, rejected, forbidden, unavailable)");

    private static readonly KeyValuePair<string, object?>[] OutcomeTags =
        [.. Enum.GetValues<EventOutcome>().Select(o => new KeyValuePair<string, object?>("outcome", JsonNames.Of(o)))];

    public static void Record(IReadOnlyList<IndexedResult> results)
    {
        Span<int> counts = stackalloc int[OutcomeTags.Length];
        foreach (var result in results)
        {
            counts[(int)result.Outcome]++;
        }

        for (var outcome = 0; outcome < counts.Length; outcome++)
        {
            if (counts[outcome] > 0)
            {
                Events.Add(counts[outcome], OutcomeTags[outcome]);
            }
        }
    }
}
