namespace ContactCenter.LoadTests.Simulation;

/// <summary>The few distributions the simulation draws from, on a caller-owned <see cref="Random"/>.</summary>
public static class Distributions
{
    /// <summary>
    /// Log-normal with the given mean and coefficient of variation: durations people take (talk, menus, patience)
    /// are skewed this way, most short and a long tail.
    /// </summary>
    public static double LogNormal(this Random random, double mean, double cv)
    {
        var sigma2 = Math.Log(1 + cv * cv);
        var mu = Math.Log(mean) - sigma2 / 2;
        return Math.Exp(mu + Math.Sqrt(sigma2) * random.StandardNormal());
    }

    public static double Exponential(this Random random, double mean) => -mean * Math.Log(1 - random.NextDouble());

    /// <summary>How many arrivals of a Poisson process with this mean fall in one interval.</summary>
    public static int Poisson(this Random random, double mean)
    {
        if (mean <= 0)
        {
            return 0;
        }

        if (mean > 30)
        {
            // Knuth's product would need as many draws as arrivals; at this size the normal approximation is within
            // a fraction of a percent, which is far below what a simulated busy hour needs.
            return Math.Max(0, (int)Math.Round(mean + Math.Sqrt(mean) * random.StandardNormal()));
        }

        var limit = Math.Exp(-mean);
        var count = 0;
        for (var product = random.NextDouble(); product > limit; product *= random.NextDouble())
        {
            count++;
        }

        return count;
    }

    public static bool Chance(this Random random, double probability) => random.NextDouble() < probability;

    private static double StandardNormal(this Random random)
    {
        // Box-Muller; 1 - u keeps the logarithm's argument above zero.
        var u = 1 - random.NextDouble();
        var v = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
    }
}
