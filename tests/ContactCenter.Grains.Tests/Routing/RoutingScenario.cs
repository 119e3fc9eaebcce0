using System.Collections.Immutable;
using ContactCenter.Agents;
using ContactCenter.Calls;
using ContactCenter.Gateways;
using ContactCenter.Journal;
using ContactCenter.Queues;
using ContactCenter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Tests.Routing;

/// <summary>
/// A routing test's world: its own queues, agents and gateway (fresh ids, so tests share one cluster without
/// meeting), the cluster's fake clock, and the gateway's view of the commands sent to it.
/// </summary>
public sealed class RoutingScenario(ClusterFixture fixture)
{
    private readonly string _prefix = Guid.NewGuid().ToString("N")[..8];

    public string Gateway => $"gw-{_prefix}";

    public IGrainFactory Grains => fixture.Grains;

    public string Id(string name) => $"{name}-{_prefix}";

    public IQueueGrain Queue(string name) => Grains.GetGrain<IQueueGrain>(Id(name));

    public IAgentGrain Agent(string name) => Grains.GetGrain<IAgentGrain>(Id(name));

    public async Task<IQueueGrain> QueueAsync(string name, params TierRule[] tiers) => await QueueAsync(name, c => c, tiers);

    public async Task<IQueueGrain> QueueAsync(string name, Func<QueueConfiguration, QueueConfiguration> configure, params TierRule[] tiers)
    {
        var queue = Queue(name);
        await queue.ConfigureAsync(configure(new QueueConfiguration
        {
            Name = name,
            Region = "nanjing",
            Tiers = tiers.Length > 0 ? [.. tiers] : [new TierRule(1, TimeSpan.Zero)],
        }));
        return queue;
    }

    /// <summary>An agent with skills ("queue name", tier), logged in; ready unless told otherwise. Returns once every queue knows.</summary>
    public async Task<IAgentGrain> AgentAsync(string name, bool ready, params (string Queue, int Tier)[] skills)
    {
        var agent = Agent(name);
        await agent.ConfigureAsync(new AgentProfile(name, "nanjing", [.. skills.Select(s => new AgentSkill(Id(s.Queue), s.Tier))]));
        await agent.LoginAsync($"sip:{Id(name)}@pbx");
        if (ready)
        {
            await agent.ReadyAsync();
        }

        await UntilQueuesKnowAsync(agent, skills.Select(s => s.Queue));
        return agent;
    }

    public async Task ReadyAsync(string agentName, params string[] queues)
    {
        await Agent(agentName).ReadyAsync();
        await UntilQueuesKnowAsync(Agent(agentName), queues);
    }

    public QueuedCall Call(string name, bool vip = false, DateTimeOffset? waitingSince = null) =>
        new(Id(name), Gateway, "+8613812345678", vip, waitingSince ?? Now);

    public DateTimeOffset Now => fixture.Clock.GetUtcNow();

    public void Advance(TimeSpan by) => fixture.Clock.Advance(by);

    /// <summary>The commands the gateway has not yet taken, taking (and acknowledging) them.</summary>
    public async Task<IReadOnlyList<GatewayCommand>> TakeCommandsAsync()
    {
        var store = fixture.Cluster.GetSiloServiceProvider(fixture.Cluster.Silos[0].SiloAddress).GetRequiredService<IGatewayCommandStore>();
        var delivered = await store.TakePendingAsync(Gateway, 1_000, TimeSpan.FromHours(1), CancellationToken.None);
        await store.AcknowledgeAsync(Gateway, [.. delivered.Select(d => d.Id)], CancellationToken.None);
        return [.. delivered.Select(d => d.Command)];
    }

    /// <summary>Commits a call's events to the journal with none of their effects applied: what a crash leaves behind.</summary>
    public async Task CommitWithoutEffectsAsync(params CallEvent[] events)
    {
        CallSnapshot? state = null;
        foreach (var e in events.OrderBy(e => e.Sequence))
        {
            state = CallStateMachine.Apply(state, Gateway, e).Next!;
        }

        var journal = fixture.Cluster.GetSiloServiceProvider(fixture.Cluster.Silos[0].SiloAddress).GetRequiredService<ICallJournal>();
        await journal.AppendAsync(new JournalAppend(Gateway, [.. events.OrderBy(e => e.Sequence)], state!, null));
    }

    public async Task<string?> OfferedToAsync(string queueName, string callName) =>
        (await Queue(queueName).GetStatusAsync()).Waiting.SingleOrDefault(w => w.CallId == Id(callName))?.OfferedTo;

    /// <summary>
    /// Agents tell queues of their changes one-way, so a queue hears of them a moment later; this waits for that
    /// message to arrive (it is not waiting for time-based logic: the clock is fake and does not move).
    /// </summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, string what)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (await condition())
            {
                return;
            }

            await Task.Delay(10);
        }

        Assert.Fail($"timed out waiting until {what}");
    }

    private async Task UntilQueuesKnowAsync(IAgentGrain agent, IEnumerable<string> queues)
    {
        var status = await agent.GetStatusAsync();
        foreach (var queue in queues.Distinct())
        {
            await EventuallyAsync(async () =>
            {
                var known = await Queue(queue).GetStatusAsync();
                var idle = known.IdleAgents.Contains(status.AgentId);
                return status.Presence == AgentPresence.Available
                    ? idle || known.Waiting.Any(w => w.OfferedTo == status.AgentId)
                    : known.LoggedInAgentIds.Contains(status.AgentId) && !idle;
            }, $"{queue} knows {status.AgentId} is {status.Presence}");
        }
    }
}

public static class Tiers
{
    public static TierRule At(int tier, int seconds) => new(tier, TimeSpan.FromSeconds(seconds));
}
