using System.Text.Json.Nodes;
using ContactCenter.LoadTests.Simulation;

namespace ContactCenter.LoadTests.Tests.Simulation;

public sealed class ReferenceCenterTests
{
    private static JsonObject Sample() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "center", "jiangsu-sample.json")))!.AsObject();

    [Fact]
    public void TheSampleCenterGrowsToTheReferenceCentersSeatsWithDistinctAgents()
    {
        var center = ReferenceCenter.Scale(Sample(), seats: 1500, speed: 1);

        Assert.Equal(1500, center.AgentIds.Count);
        Assert.Equal(1500, center.AgentIds.Distinct().Count());
        var groups = center.File["agentGroups"]!.AsArray();
        Assert.Equal(1500 - center.File["agents"]!.AsArray().Count, groups.Sum(g => (int)g!["count"]!));
        Assert.Equal(1.0, center.Queues.Sum(q => q.Share), 6);
        Assert.All(center.Queues, q => Assert.True(q.Share > 0, $"{q.Queue} gets calls"));
    }

    [Fact]
    public void EveryQueueTimeIsDividedByTheSpeedIncludingThoseTheSampleLeavesToTheSilo()
    {
        var sample = Sample();
        var center = ReferenceCenter.Scale(sample, seats: 600, speed: 10);
        var before = sample["queues"]![0]!;
        var after = center.File["queues"]![0]!;

        Assert.Equal((double)before["maxWaitSeconds"]! / 10, (double)after["maxWaitSeconds"]!, 6);
        Assert.Equal((double)before["tiers"]![1]!["afterSeconds"]! / 10, (double)after["tiers"]![1]!["afterSeconds"]!, 6);
        // Absent from the sample: the silo's default of 15 s, scaled.
        Assert.Null(before["offerTimeoutSeconds"]);
        Assert.Equal(1.5, (double)after["offerTimeoutSeconds"]!, 6);
        // The report judges waits in simulated seconds: the unscaled threshold.
        Assert.Equal((double)before["serviceLevelSeconds"]!, center.ServiceLevelSeconds[(string)before["id"]!]);
    }

    [Fact]
    public void ApportioningKeepsTheTotalAndTheProportions()
    {
        Assert.Equal([50, 30, 20], ReferenceCenter.Apportion([5, 3, 2], 100));
        Assert.Equal(7, ReferenceCenter.Apportion([1, 1, 1], 7).Sum());
    }
}
