using System.Globalization;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// Who calls: 40 million subscribers, some of whom call far more often than others. The skew is drawn as nested
/// hot sets: a call comes from the top tenth of the population with probability 0.3, and again from the top tenth
/// of that tenth, three levels deep. So 4 million subscribers make about 30% of calls (about 19 calls a month each
/// at 250 million calls), 400,000 about 9% (56 a month), the 40,000 most frequent about 3% (170 a month, the
/// repeat callers every hotline knows), and the other 36 million about 5 a month. A subscriber's rank is mapped to
/// a mobile number by a fixed permutation, so frequent callers are spread over the number space as they are in life.
/// </summary>
public sealed class SubscriberPopulation(int subscribers = 40_000_000)
{
    private const double HotSetFraction = 0.1;
    private const double HotSetProbability = 0.3;
    private const int HotSetLevels = 3;
    // Coprime to any population size made of 2s and 5s (a prime), so rank -> number is a bijection.
    private const long Scatter = 7_919;
    private static readonly string[] Prefixes = ["134", "135", "136", "137", "138", "139", "150", "151", "152", "157"];

    public int Subscribers { get; } = subscribers > 0 ? subscribers : throw new ArgumentOutOfRangeException(nameof(subscribers));

    /// <summary>A subscriber's rank, 0 the most frequent caller.</summary>
    public int NextRank(Random random)
    {
        var size = (double)Subscribers;
        for (var level = 0; level < HotSetLevels && random.Chance(HotSetProbability); level++)
        {
            size *= HotSetFraction;
        }

        return (int)(random.NextDouble() * Math.Max(1, size));
    }

    /// <summary>The subscriber's mobile number, in E.164.</summary>
    public string Number(int rank)
    {
        var scattered = (rank * Scatter + 12_345) % Subscribers;
        var prefix = Prefixes[scattered % Prefixes.Length];
        return "+86" + prefix + (scattered / Prefixes.Length).ToString("D8", CultureInfo.InvariantCulture);
    }
}
