using ContactCenter.Kpis;
using ContactCenter.Wallboard;

namespace ContactCenter.Tests.Wallboard;

/// <summary>The wallboard's last hour: a point a minute, the newest 60, whatever the frame rate.</summary>
public sealed class WallboardTrendTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void OneFrameAMinuteIsKeptAndTheOthersAreNot()
    {
        var trend = new WallboardTrend();

        trend.Record(FrameAt(Start));
        trend.Record(FrameAt(Start.AddSeconds(1)));
        trend.Record(FrameAt(Start.AddSeconds(59)));
        Assert.False(trend.IsDue(Start.AddSeconds(59)));
        Assert.True(trend.IsDue(Start.AddSeconds(60)));
        trend.Record(FrameAt(Start.AddSeconds(60)));

        Assert.Equal([Start, Start.AddSeconds(60)], trend.View().Center.Select(p => p.At));
    }

    [Fact]
    public void TheLastHourIsKept()
    {
        var trend = new WallboardTrend();

        for (var minute = 0; minute < 90; minute++)
        {
            trend.Record(FrameAt(Start.AddMinutes(minute)));
        }

        var center = trend.View().Center;
        Assert.Equal(WallboardTrend.Points, center.Length);
        Assert.Equal(Start.AddMinutes(30), center[0].At);
        Assert.Equal(Start.AddMinutes(89), center[^1].At);
    }

    [Fact]
    public void EachQueueHasTheMinutesItWasOnTheBoard()
    {
        var trend = new WallboardTrend();

        trend.Record(FrameAt(Start, Queue("q1", waiting: 3)));
        trend.Record(FrameAt(Start.AddMinutes(1), Queue("q1", waiting: 5), Queue("q2", waiting: 1)));

        var view = trend.View();
        Assert.Equal([3, 5], view.Queues["q1"].Select(p => p.Waiting));
        Assert.Equal([Start.AddMinutes(1)], view.Queues["q2"].Select(p => p.At));
        Assert.Equal([3, 6], view.Center.Select(p => p.Waiting));
    }

    private static WallboardFrame FrameAt(DateTimeOffset at, params QueueKpis[] queues) =>
        WallboardComposer.Compose(at, DateOnly.FromDateTime(at.UtcDateTime), queues, new Dictionary<string, AgentKpis>(), _ => null);

    /// <summary>A queue with calls waiting and nothing else going on.</summary>
    private static QueueKpis Queue(string id, int waiting) => new(
        id, id, "nanjing", "nanjing", TimeSpan.FromSeconds(20), 0.8, TimeSpan.FromSeconds(60), waiting, TimeSpan.Zero, [],
        new KpiSnapshot(KpiCounters.Zero, KpiCounters.Zero), Start);
}
