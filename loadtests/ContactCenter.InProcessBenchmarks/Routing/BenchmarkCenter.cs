using ContactCenter.Agents;
using ContactCenter.Center;
using ContactCenter.Queues;

namespace ContactCenter.Benchmarks.Routing;

/// <summary>
/// The center the routing benchmark runs on: the reference center's 1,500 seats spread over the queues, each
/// agent a specialist (tier 1) for one queue and a generalist (tier 2) for the next, all logged in and ready.
/// Wrap-up is zero so an agent is free again the moment a call ends: the benchmark measures routing, not people.
/// </summary>
public static class BenchmarkCenter
{
    public static string QueueId(int index, string set = "bench") => $"{set}-queue-{index:D3}";

    public static string AgentId(int index, string set = "bench") => $"{set}-agent-{index:D4}";

    /// <param name="set">Names the queues and agents, so one run can build two centers side by side.</param>
    public static async Task BuildAsync(IGrainFactory grains, int queues, int agents, string set = "bench")
    {
        string QueueId(int index) => BenchmarkCenter.QueueId(index, set);
        string AgentId(int index) => BenchmarkCenter.AgentId(index, set);

        await Task.WhenAll(Enumerable.Range(0, queues).Select(q => grains.GetGrain<IQueueGrain>(QueueId(q)).ConfigureAsync(new QueueConfiguration
        {
            Name = QueueId(q),
            Region = q % 2 == 0 ? "nanjing" : "huaian",
            Tiers = [new TierRule(1, TimeSpan.Zero), new TierRule(2, TimeSpan.FromSeconds(15))],
            WrapUpTime = TimeSpan.Zero,
            MaxLength = 10_000,
        })));

        // Listed in the center directory, as the admin API would: the wallboard reads the queues from there.
        await grains.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key).RegisterAsync(
            [.. Enumerable.Range(0, queues).Select(q => new CenterMember(QueueId(q), q % 2 == 0 ? "nanjing" : "huaian"))],
            [.. Enumerable.Range(0, agents).Select(a => new CenterMember(AgentId(a), "nanjing"))]);

        await Parallel.ForEachAsync(Enumerable.Range(0, agents), new ParallelOptions { MaxDegreeOfParallelism = 64 }, async (a, _) =>
        {
            var agent = grains.GetGrain<IAgentGrain>(AgentId(a));
            await agent.ConfigureAsync(new AgentProfile(AgentId(a), "nanjing", [new AgentSkill(QueueId(a % queues), 1), new AgentSkill(QueueId((a + 1) % queues), 2)]));
            await agent.LoginAsync($"sip:{AgentId(a)}@bench");
            await agent.ReadyAsync();
        });
    }
}
