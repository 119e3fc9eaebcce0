namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// How many calls the reference center gets, and when: China Mobile Jiangsu's hotline, 250 million calls a month
/// (shared/domain.md). A call's arrival rate is the month's volume spread over the days (bill days at the start and
/// the end of the month weigh most) and over the hours of a day (the daily curve), in the center's local time.
/// With the defaults the month-end busy hour comes to about 458 calls/s, inside the 430-500 calls/s the reference
/// gives; a day's average is 96 calls/s.
/// </summary>
public sealed class TrafficProfile
{
    /// <summary>
    /// A carrier hotline's day, share of the day's calls per local hour (relative; normalised below): nearly idle at
    /// night, a morning peak from 9 to 11, a second one after lunch, an evening shoulder when people are home.
    /// </summary>
    private static readonly double[] HourlyCurve =
    [
        0.8, 0.5, 0.3, 0.25, 0.25, 0.4, 1.0, 2.2, 4.2, 6.6, 7.4, 6.9,
        5.6, 5.9, 6.6, 6.9, 6.6, 5.9, 5.4, 6.0, 6.4, 5.4, 3.6, 2.0,
    ];

    /// <summary>
    /// Bill days: the first and the last day of the month carry 3.1 times an ordinary day's weight before
    /// normalising, the second and the second-to-last 1.8 times (human queues overload on those days).
    /// </summary>
    private static readonly (int FromStart, double Weight)[] BillDaysFromStart = [(0, 3.1), (1, 1.8)];
    private static readonly (int FromEnd, double Weight)[] BillDaysFromEnd = [(0, 3.1), (1, 1.8)];

    public long CallsPerMonth { get; init; } = 250_000_000;

    /// <summary>Share of calls that leave the voice menus for a human agent: 11 million of 250 million.</summary>
    public double AgentShare { get; init; } = 0.044;

    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Calls per second at <paramref name="at"/> in real (uncompressed) time.</summary>
    public double CallsPerSecondAt(DateTimeOffset at)
    {
        var local = TimeZoneInfo.ConvertTime(at, TimeZone);
        var callsThatDay = CallsPerMonth * DayShare(local.Year, local.Month, local.Day);
        return callsThatDay * HourlyCurve[local.Hour] / HourlyCurve.Sum() / 3600;
    }

    /// <summary>The local hour of the month's last day with the most calls: the month-end busy hour.</summary>
    public DateTimeOffset MonthEndBusyHour(int year, int month)
    {
        var lastDay = DateTime.DaysInMonth(year, month);
        var busiestHour = Array.IndexOf(HourlyCurve, HourlyCurve.Max());
        var local = new DateTime(year, month, lastDay, busiestHour, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    /// <summary>The day's share of the month's calls.</summary>
    public static double DayShare(int year, int month, int day)
    {
        var days = DateTime.DaysInMonth(year, month);
        var total = Enumerable.Range(1, days).Sum(d => DayWeight(d, days));
        return DayWeight(day, days) / total;
    }

    private static double DayWeight(int day, int daysInMonth)
    {
        foreach (var (fromStart, weight) in BillDaysFromStart)
        {
            if (day - 1 == fromStart)
            {
                return weight;
            }
        }

        foreach (var (fromEnd, weight) in BillDaysFromEnd)
        {
            if (daysInMonth - day == fromEnd)
            {
                return weight;
            }
        }

        return 1;
    }
}
