using ContactCenter.Failover.Tests.Cluster;

namespace ContactCenter.Failover.Tests.Verification;

/// <summary>After every caller has hung up: no call is left waiting in a queue, and no agent holds an offer or a call.</summary>
public sealed class RoutingCheck(TwoRegionCluster cluster)
{
    public async Task<IReadOnlyList<string>> ProblemsAsync(IEnumerable<string> queueIds, IEnumerable<string> agentIds)
    {
        var problems = new List<string>();
        foreach (var queue in queueIds)
        {
            foreach (var waiting in (await cluster.GetAsync($"api/v1/queues/{queue}")).GetProperty("waiting").EnumerateArray())
            {
                problems.Add($"queue {queue}: call {waiting.GetProperty("callId").GetString()} still waiting");
            }
        }

        foreach (var agent in agentIds)
        {
            var status = await cluster.GetAsync($"api/v1/agents/{agent}");
            var presence = status.GetProperty("presence").GetString();
            if (presence is "reserved" or "onCall")
            {
                var call = status.TryGetProperty("callId", out var id) ? id.GetString() : status.GetProperty("offer").GetProperty("callId").GetString();
                problems.Add($"agent {agent}: {presence} with call {call} after every call ended");
            }
        }

        return problems;
    }
}
