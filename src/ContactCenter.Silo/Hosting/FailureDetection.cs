using Orleans.Configuration;

namespace ContactCenter.Hosting;

/// <summary>
/// How fast the cluster declares a silo dead. Orleans' defaults (probe timeout 5 s, three missed probes, two
/// votes) take about 15 s or more; a waiting caller hears that as dead air, and the region's gateways cannot be
/// acknowledged for the calls whose grains lived there until the silo is declared dead. The values below bring
/// it to a few seconds; any of them can be overridden in the section <c>ContactCenter:Membership</c>
/// (e.g. <c>ContactCenter__Membership__ProbeTimeout=00:00:02</c>).
/// </summary>
public static class FailureDetection
{
    public static void Tune(ClusterMembershipOptions membership)
    {
        // A killed process refuses connections at once, so its probes fail fast; a hung or partitioned one is
        // suspected after three probes of 1 s each. Probe timeouts adapt to the measured round trip between
        // MinProbeTimeout and MaxProbeTimeout (half and four times this value by default), and Orleans stretches
        // them while this silo itself is unhealthy (ExtendProbeTimeoutDuringDegradation), so a silo starved of
        // CPU does not vote its healthy peer out.
        membership.ProbeTimeout = TimeSpan.FromSeconds(1);
        membership.NumMissedProbesLimit = 3;

        // Two votes, but Orleans asks for at most half of the live silos: with one silo per region, the survivor's
        // own vote is enough, and with more silos a single confused silo cannot evict a healthy one.
        membership.NumVotesForDeathDeclaration = 2;

        // Every silo probes every other in a two-region cluster of a few silos; no extra cost worth saving.
        membership.NumProbedSilos = 10;

        // The table is re-read on every change anyway (gossip); this bounds how stale a silo's view can get when
        // a gossip message is lost.
        membership.TableRefreshTimeout = TimeSpan.FromSeconds(5);

        // Heartbeats in the table let a restarting silo skip peers that died without a trace (kill -9, power loss)
        // instead of waiting for them at start-up.
        membership.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
    }
}
