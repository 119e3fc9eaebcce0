using ContactCenter.Reports;

namespace ContactCenter.Tests.Reports;

/// <summary>Where a range is cut for local time: at the zone's offset changes, and nowhere else.</summary>
public sealed class UtcOffsetPeriodsTests
{
    [Fact]
    public void ShanghaiKeepsOneOffsetAllYear()
    {
        var from = new DateTimeOffset(2031, 1, 1, 0, 0, 0, TimeSpan.FromHours(8));

        var periods = UtcOffsetPeriods.Over(TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai"), from, from.AddDays(400));

        Assert.Equal([new UtcOffsetPeriod(from, from.AddDays(400), TimeSpan.FromHours(8))], periods);
    }

    [Fact]
    public void ARangeIsCutAtEachDaylightSavingChangeToTheSecond()
    {
        // New York, 2031: clocks go forward at 02:00 EST on 9 March (07:00 UTC), back at 02:00 EDT on 2 November (06:00 UTC).
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var from = new DateTimeOffset(2031, 3, 1, 0, 0, 0, TimeSpan.Zero);
        var to = new DateTimeOffset(2031, 12, 1, 0, 0, 0, TimeSpan.Zero);
        var spring = new DateTimeOffset(2031, 3, 9, 7, 0, 0, TimeSpan.Zero);
        var autumn = new DateTimeOffset(2031, 11, 2, 6, 0, 0, TimeSpan.Zero);

        var periods = UtcOffsetPeriods.Over(zone, from, to);

        Assert.Equal(
            [new UtcOffsetPeriod(from, spring, TimeSpan.FromHours(-5)), new UtcOffsetPeriod(spring, autumn, TimeSpan.FromHours(-4)), new UtcOffsetPeriod(autumn, to, TimeSpan.FromHours(-5))],
            periods);
    }

    [Fact]
    public void AChangeAtTheEndOfTheRangeIsOutsideIt()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var spring = new DateTimeOffset(2031, 3, 9, 7, 0, 0, TimeSpan.Zero);

        var periods = UtcOffsetPeriods.Over(zone, spring.AddMinutes(-90), spring);

        Assert.Equal([new UtcOffsetPeriod(spring.AddMinutes(-90), spring, TimeSpan.FromHours(-5))], periods);
    }
}
