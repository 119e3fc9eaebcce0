using ContactCenter.LoadTests.Simulation;

namespace ContactCenter.LoadTests.Tests.Simulation;

public sealed class TrafficProfileTests
{
    private readonly TrafficProfile _profile = new();

    [Fact]
    public void AMonthOfTheProfileHoldsTheReferenceCenters250MillionCalls()
    {
        var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.FromHours(8));
        var calls = Enumerable.Range(0, 30 * 24).Sum(hour => _profile.CallsPerSecondAt(start.AddHours(hour).AddMinutes(30)) * 3600);

        Assert.InRange(calls, 249_000_000, 251_000_000);
    }

    [Fact]
    public void TheMonthEndBusyHourRunsAtFourToFiveTimesTheAverageAsTheReferenceGives()
    {
        var busyHour = _profile.MonthEndBusyHour(2026, 11);
        var rate = _profile.CallsPerSecondAt(busyHour.AddMinutes(30));
        var average = 250_000_000 / (30 * 86_400.0);

        Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(8)), busyHour);
        Assert.InRange(rate, 430, 500);
        Assert.InRange(rate / average, 4, 5);
    }

    [Fact]
    public void BillDaysCarryMoreCallsThanTheMiddleOfTheMonthAndNightsLessThanMornings()
    {
        var tenOClock = new DateTimeOffset(2026, 11, 15, 10, 0, 0, TimeSpan.FromHours(8));

        Assert.True(_profile.CallsPerSecondAt(tenOClock.AddDays(15)) > 2.5 * _profile.CallsPerSecondAt(tenOClock));
        Assert.True(_profile.CallsPerSecondAt(tenOClock.AddHours(-7)) < 0.05 * _profile.CallsPerSecondAt(tenOClock));
    }
}
