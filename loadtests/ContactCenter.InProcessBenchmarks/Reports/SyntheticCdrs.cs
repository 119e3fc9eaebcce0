using System.Globalization;

namespace ContactCenter.Benchmarks.Reports;

/// <summary>One generated CDR, with the columns the report reads and plausible values for the rest.</summary>
public sealed record SyntheticCdr(
    string CallId,
    string Caller,
    string Region,
    string? Queue,
    string? Agent,
    DateTime OfferedAt,
    DateTime? QueuedAt,
    DateTime? AnsweredAt,
    DateTime EndedAt,
    double WaitSeconds,
    double TalkSeconds,
    double HoldSeconds,
    string Disposition);

/// <summary>
/// A day of the reference center's CDRs, generated minute by minute in the order calls finish (so the table's
/// rows lie as a day of real inserts would): <c>queued</c> calls that reached one of the queues, spread over the
/// day by a busy-hour profile, among <c>ivrOnly</c> calls that never left the voice menus. Of the queued calls
/// 85% are answered, 10% abandoned (a third of those within a few seconds) and 5% end unanswered at the maximum
/// wait. Deterministic for a seed.
/// </summary>
public sealed class SyntheticCdrs(DateTimeOffset dayStart, int queued, int ivrOnly, int queues, int agents, int seed = 42)
{
    // Calls per local hour, relative: quiet nights, a morning and an afternoon peak (the shape of 10086's day).
    private static readonly double[] HourProfile = [2, 1, 1, 1, 1, 2, 4, 8, 12, 14, 14, 12, 10, 11, 13, 13, 12, 11, 10, 9, 8, 7, 5, 3];

    public static string QueueId(int index) => $"bench-queue-{index:D2}";

    public static string Region(int queueIndex) => queueIndex % 2 == 0 ? "nanjing" : "huaian";

    public IEnumerable<SyntheticCdr> Generate()
    {
        var random = new Random(seed);
        var total = HourProfile.Sum();
        var (queuedSoFar, ivrSoFar, next) = (0, 0, 0L);
        for (var minute = 0; minute < 24 * 60; minute++)
        {
            // Whole rows up to this minute's share of the day, so the totals come out exact.
            var share = HourProfile.Take(minute / 60).Sum() / total + (HourProfile[minute / 60] / total * (minute % 60 + 1) / 60);
            var (queuedNow, ivrNow) = ((int)Math.Round(queued * share) - queuedSoFar, (int)Math.Round(ivrOnly * share) - ivrSoFar);
            (queuedSoFar, ivrSoFar) = (queuedSoFar + queuedNow, ivrSoFar + ivrNow);
            var start = dayStart.UtcDateTime.AddMinutes(minute);
            var rows = new List<SyntheticCdr>(queuedNow + ivrNow);
            for (var i = 0; i < queuedNow; i++)
            {
                rows.Add(QueuedCall(random, next++, start.AddSeconds(random.NextDouble() * 60)));
            }

            for (var i = 0; i < ivrNow; i++)
            {
                rows.Add(IvrCall(random, next++, start.AddSeconds(random.NextDouble() * 60)));
            }

            foreach (var row in rows.OrderBy(r => r.EndedAt))
            {
                yield return row;
            }
        }
    }

    private SyntheticCdr QueuedCall(Random random, long n, DateTime leftQueueAt)
    {
        var queue = random.Next(queues);
        var kind = random.NextDouble();
        if (kind < 0.85)
        {
            var wait = Exponential(random, 25);
            var talk = 20 + Exponential(random, 280);
            var hold = random.NextDouble() < 0.25 ? Exponential(random, 45) : 0;
            return new SyntheticCdr(Id(n), Caller(random), Region(queue), QueueId(queue), $"bench-agent-{random.Next(agents):D4}",
                leftQueueAt.AddSeconds(-wait - 40), leftQueueAt.AddSeconds(-wait), leftQueueAt, leftQueueAt.AddSeconds(talk + hold),
                wait, talk, hold, "answered");
        }

        var (waited, disposition) = kind < 0.95
            ? (kind < 0.883 ? random.NextDouble() * 5 : 5 + Exponential(random, 40), "abandoned")
            : (600.0, "unanswered");
        return new SyntheticCdr(Id(n), Caller(random), Region(queue), QueueId(queue), null,
            leftQueueAt.AddSeconds(-waited - 40), leftQueueAt.AddSeconds(-waited), null, leftQueueAt, waited, 0, 0, disposition);
    }

    private SyntheticCdr IvrCall(Random random, long n, DateTime endedAt) =>
        new(Id(n), Caller(random), random.Next(2) == 0 ? "nanjing" : "huaian", null, null,
            endedAt.AddSeconds(-30 - Exponential(random, 60)), null, null, endedAt, 0, 0, 0, "self_service");

    private string Id(long n) => string.Create(CultureInfo.InvariantCulture, $"bench-{dayStart:yyyyMMdd}-{n:D9}");

    private static string Caller(Random random) => string.Create(CultureInfo.InvariantCulture, $"+86138{random.Next(100_000_000):D8}");

    private static double Exponential(Random random, double mean) => Math.Round(-mean * Math.Log(1 - random.NextDouble()), 3);
}
