using ContactCenter.Failover.Tests.Cluster;

namespace ContactCenter.Failover.Tests.Simulation;

/// <summary>
/// The agents at their desks: logged in at the start, and back to ready whenever the cluster set them not ready
/// (a call that rang out while the caller had already gone, say), as a real agent would press "ready" again.
/// </summary>
public sealed class AgentDesks(TwoRegionCluster cluster, IReadOnlyList<string> agentIds)
{
    private static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(2);

    public async Task LoginAllAsync()
    {
        foreach (var agent in agentIds)
        {
            await cluster.PostAsAdminAsync($"api/v1/agents/{agent}/login", new { endpoint = $"sip:{agent}@desk" });
        }
    }

    public async Task KeepReadyAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            foreach (var agent in agentIds)
            {
                try
                {
                    var status = await cluster.GetAsync($"api/v1/agents/{agent}");
                    if (status.GetProperty("presence").GetString() == "notReady")
                    {
                        await cluster.PostAsAdminAsync($"api/v1/agents/{agent}/ready", new { });
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
                {
                    // A region is down or its grains are moving: the next round tries again.
                }
            }

            await Task.Delay(CheckEvery, stop).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }
}
