using ContactCenter.LoadTests.Simulation;

namespace ContactCenter.LoadTests.Tests.Simulation;

public sealed class SubscriberPopulationTests
{
    [Fact]
    public void EverySubscriberHasTheirOwnValidMobileNumber()
    {
        var population = new SubscriberPopulation(1_000_000);
        var numbers = Enumerable.Range(0, population.Subscribers).Select(population.Number).ToList();

        Assert.Equal(numbers.Count, numbers.Distinct().Count());
        Assert.All(numbers.Take(1000), n => Assert.Matches(@"^\+861[35]\d{9}$", n));
    }

    [Fact]
    public void SomeSubscribersCallFarMoreOftenThanTheRest()
    {
        var population = new SubscriberPopulation();
        var random = new Random(7);
        var draws = Enumerable.Range(0, 400_000).Select(_ => population.NextRank(random)).ToList();

        // The top tenth of subscribers makes about 30% + 9% + 3% of calls plus their uniform share; the top
        // 0.1% about 3%, thirty times what an even spread would give them.
        var topTenth = draws.Count(r => r < population.Subscribers / 10) / (double)draws.Count;
        var topThousandth = draws.Count(r => r < population.Subscribers / 1000) / (double)draws.Count;
        Assert.InRange(topTenth, 0.35, 0.42);
        Assert.InRange(topThousandth, 0.02, 0.04);
        Assert.True(draws.Distinct().Count() > 0.9 * draws.Count, "most calls still come from different subscribers");
    }
}
