using ContactCenter.Placement;
using ContactCenter.Security;
using Orleans.Configuration;
using Orleans.Dashboard;

namespace ContactCenter.Hosting;

public static class SiloConfiguration
{
    /// <summary>
    /// One silo of the contact center. Both modes keep grain state and reminders with Orleans' ADO.NET
    /// providers, on SQLite (embedded) or PostgreSQL (cluster), so a restart loses nothing in either; only
    /// membership differs: a fixed localhost cluster of one, or the PostgreSQL membership table. Neither opens
    /// Orleans' client gateway port: gateways and desks use the HTTP API, where tokens, roles and the audit log
    /// apply, and an open gateway would let any Orleans client call grains past them.
    /// </summary>
    public static ISiloBuilder ConfigureContactCenter(
        this ISiloBuilder silo, ContactCenterOptions options, DatabaseTarget database, SiloTlsOptions tls, IConfiguration configuration)
    {
        silo.UseRegion(options.Region);
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });

        const int NoClientGateway = 0;
        if (options.Mode == HostingMode.Embedded)
        {
            silo.UseLocalhostClustering(options.SiloPort, NoClientGateway, serviceId: options.ServiceId, clusterId: options.ClusterId);
        }
        else
        {
            silo.UseAdoNetClustering(ado =>
            {
                ado.Invariant = database.AdoNetInvariant;
                ado.ConnectionString = database.ConnectionString;
            });
            silo.ConfigureEndpoints(options.SiloListeningAddress(), options.SiloPort, NoClientGateway, listenOnAnyHostAddress: false);
            silo.Configure<ClusterMembershipOptions>(FailureDetection.Tune);
            silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection("ContactCenter:Membership"));
        }

        // Required of a cluster's silos by StartChecks (not here, so `migrate` runs where none are configured;
        // where they are, they are loaded now and must be readable).
        if (tls.IsConfigured)
        {
            silo.UseSiloTls(tls);
        }

        silo.AddAdoNetGrainStorageAsDefault(ado =>
        {
            ado.Invariant = database.AdoNetInvariant;
            ado.ConnectionString = database.ConnectionString;
        });
        silo.UseAdoNetReminderService(ado =>
        {
            ado.Invariant = database.AdoNetInvariant;
            ado.ConnectionString = database.ConnectionString;
        });
        silo.Configure<GrainDirectoryOptions>(directory => directory.CacheSize = DirectoryCacheSize);
        silo.AddDashboard();
        return silo;
    }

    /// <summary>
    /// Grains whose location a silo keeps at hand. Orleans' default, a million, is sized for grains that live on:
    /// here most grains are calls, each reached for the few minutes it lasts, and the cache held on to every one of
    /// them (about 280 bytes of heap a call, 280 MB after a million calls, measured by the memory benchmark).
    /// A hundred thousand covers the busy hour's 35,000 live calls, every agent and queue, with room to spare.
    /// </summary>
    public const int DirectoryCacheSize = 100_000;
}
