using ContactCenter.Kpis;

namespace ContactCenter.Tests.Kpis;

/// <summary>The KPI formulas and windows against examples worked out by hand (docs/kpis.md).</summary>
public sealed class KpiArithmeticTests
{
    private static readonly CenterCalendar Shanghai = CenterCalendar.Default;

    /// <summary>10:00 in Nanjing (UTC+8).</summary>
    private static readonly DateTimeOffset TenOClock = new(2026, 11, 23, 10, 0, 0, TimeSpan.FromHours(8));

    [Fact]
    public void ShortAbandonsAreLeftOutOfServiceLevelAndRates()
    {
        // Threshold 20 s: answered after 10 s and 25 s; abandoned after 3 s (short, under 5 s) and 30 s.
        var counters = new KpiCounters
        {
            Offered = 4,
            Answered = 2,
            AnsweredWithinThreshold = 1,
            ShortAbandoned = 1,
            Abandoned = 1,
            AnswerWait = TimeSpan.FromSeconds(10 + 25),
        };

        Assert.Equal(1.0 / 3, counters.ServiceLevel!.Value, 6);   // 1 within / (2 answered + 1 abandoned)
        Assert.Equal(1.0 / 3, counters.AbandonRate!.Value, 6);    // 1 abandoned / (4 offered - 1 short)
        Assert.Equal(2.0 / 3, counters.AnswerRate!.Value, 6);     // 2 answered / (4 offered - 1 short)
        Assert.Equal(TimeSpan.FromSeconds(17.5), counters.AverageSpeedOfAnswer);
    }

    [Fact]
    public void HandleTimeIsTalkHoldAndWrapUpPerHandledCallAndOccupancyIsBusyOverStaffed()
    {
        var counters = new KpiCounters
        {
            Handled = 2,
            Talk = TimeSpan.FromSeconds(200),
            Hold = TimeSpan.FromSeconds(40),
            WrapUp = TimeSpan.FromSeconds(60),
            Busy = TimeSpan.FromMinutes(6),
            Idle = TimeSpan.FromMinutes(2),
            NotReady = TimeSpan.FromMinutes(30),
        };

        Assert.Equal(TimeSpan.FromSeconds(150), counters.AverageHandleTime); // (200 + 40 + 60) / 2
        Assert.Equal(0.75, counters.Occupancy!.Value, 6);                     // 6 / (6 + 2): not ready is not staffed time
    }

    [Fact]
    public void RatiosWithNothingToDivideAreUnknownNotZero()
    {
        Assert.Null(KpiCounters.Zero.ServiceLevel);
        Assert.Null(KpiCounters.Zero.AverageSpeedOfAnswer);
        Assert.Null(KpiCounters.Zero.AverageHandleTime);
        Assert.Null(new KpiCounters { Offered = 1, ShortAbandoned = 1 }.AbandonRate);
    }

    [Fact]
    public void ACallCountsInTheMinuteOfEachThingThatHappenedToIt()
    {
        var windows = new KpiWindows();
        var offeredAt = TenOClock.AddSeconds(-10);   // 09:59:50
        var answeredAt = TenOClock.AddSeconds(10);   // 10:00:10
        windows.Record(offeredAt, Shanghai, k => k with { Offered = k.Offered + 1 });
        windows.Record(answeredAt, Shanghai, k => k with { Answered = k.Answered + 1 });

        // At 10:05 both are in the last 15 minutes.
        Assert.Equal((1, 1), Counts(windows.LastMinutes(TenOClock.AddMinutes(5))));
        // At 10:14:30 the window is the minutes 10:00 to 10:14: the offer (09:59) has left it, the answer has not.
        Assert.Equal((0, 1), Counts(windows.LastMinutes(TenOClock.AddMinutes(14).AddSeconds(30))));
        // At 10:15 both have left it; today still holds both.
        Assert.Equal((0, 0), Counts(windows.LastMinutes(TenOClock.AddMinutes(15))));
        Assert.Equal((1, 1), Counts(windows.TodayAt(TenOClock.AddMinutes(15), Shanghai)));
    }

    [Fact]
    public void TodayIsTheCentersLocalDayNotUtc()
    {
        var windows = new KpiWindows();
        var localMidnight = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.FromHours(8)); // 16:00 UTC on the 23rd
        windows.Record(localMidnight.AddSeconds(-30), Shanghai, k => k with { Offered = k.Offered + 1 });
        windows.Record(localMidnight.AddSeconds(30), Shanghai, k => k with { Offered = k.Offered + 1 });
        windows.Record(localMidnight.AddSeconds(40), Shanghai, k => k with { Offered = k.Offered + 1 });

        Assert.Equal(new DateOnly(2026, 11, 24), windows.Day);
        Assert.Equal(2, windows.TodayAt(localMidnight.AddMinutes(1), Shanghai).Offered);
        // The rolling window does not care about days: all three are in it.
        Assert.Equal(3, windows.LastMinutes(localMidnight.AddMinutes(1)).Offered);
        // A late report of something yesterday does not reopen yesterday.
        windows.Record(localMidnight.AddMinutes(-2), Shanghai, k => k with { Offered = k.Offered + 1 });
        Assert.Equal(2, windows.TodayAt(localMidnight.AddMinutes(1), Shanghai).Offered);
        // Nor does a today that is over show on the next day.
        Assert.Equal(0, windows.TodayAt(localMidnight.AddDays(1), Shanghai).Offered);
    }

    [Fact]
    public void AnOverflowedCallIsOfferedToTheCenterOnce()
    {
        // Queue A took the call, waited, overflowed it to B, where it was answered.
        var a = new KpiCounters { Offered = 1, Overflowed = 1 };
        var b = new KpiCounters { Offered = 1, ArrivedByOverflow = 1, Answered = 1, AnsweredWithinThreshold = 1 };

        var center = KpiCounters.AcrossQueues([a, b]);

        Assert.Equal(1, center.Offered);
        Assert.Equal(1.0, center.AnswerRate);
        Assert.Equal(1, b.Offered); // each queue still counts what it was offered
    }

    [Fact]
    public void MinutesOlderThanTheWindowAreForgotten()
    {
        var windows = new KpiWindows();
        for (var minute = 0; minute < 60; minute++)
        {
            windows.Record(TenOClock.AddMinutes(minute), Shanghai, k => k with { Offered = k.Offered + 1 });
        }

        Assert.Equal(KpiWindows.RollingMinutes, windows.Minutes.Count);
        Assert.Equal(15, windows.LastMinutes(TenOClock.AddMinutes(59)).Offered);
        Assert.Equal(60, windows.Today.Offered);
    }

    [Fact]
    public void TimeInAStateIsSpreadOverTheMinutesAndTheDaysItCovered()
    {
        var windows = new KpiWindows();
        var ended = TenOClock.AddSeconds(30);

        // Two hours idle, ending at 10:00:30: the rolling window (09:46 to now) holds 14.5 minutes of it, not two hours.
        windows.RecordTime(ended.AddHours(-2), ended, Shanghai, (k, time) => k with { Idle = k.Idle + time });

        Assert.Equal(TimeSpan.FromMinutes(14.5), windows.LastMinutes(ended).Idle);
        Assert.Equal(TimeSpan.FromHours(2), windows.TodayAt(ended, Shanghai).Idle);

        // A shift across the center's midnight: only the part after it is today's.
        var overnight = new KpiWindows();
        var midnight = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.FromHours(8));
        overnight.RecordTime(midnight.AddMinutes(-50), midnight.AddMinutes(10), Shanghai, (k, time) => k with { Busy = k.Busy + time });
        Assert.Equal(TimeSpan.FromMinutes(10), overnight.TodayAt(midnight.AddMinutes(10), Shanghai).Busy);
        Assert.Equal(TimeSpan.FromMinutes(14), overnight.LastMinutes(midnight.AddMinutes(10)).Busy); // 23:56 to 00:10: the window at a minute's start
    }

    private static (int Offered, int Answered) Counts(KpiCounters counters) => (counters.Offered, counters.Answered);
}
