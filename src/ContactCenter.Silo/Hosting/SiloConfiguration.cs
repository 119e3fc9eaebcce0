using System.Net;
using Orleans.Configuration;
using ContactCenter.Placement;
using Orleans.Dashboard;

namespace ContactCenter.Hosting;

public static class SiloConfiguration
{
    /// <summary>
    /// One silo of the contact center. Both modes keep grain state and reminders with Orleans' ADO.NET
    /// providers, on SQLite (embedded) or PostgreSQL (cluster), so a restart loses nothing in either; only
    /// membership differs: a fixed localhost cluster of one, or the PostgreSQL membership table.
    /// </summary>
    public static ISiloBuilder ConfigureContactCenter(this ISiloBuilder silo, ContactCenterOptions options, DatabaseTarget database, IConfiguration configuration)
    {
        silo.UseRegion(options.Region);
        silo.Configure<ClusterOptions>(cluster =>
        {
            cluster.ClusterId = options.ClusterId;
            cluster.ServiceId = options.ServiceId;
        });

        if (options.Mode == HostingMode.Embedded)
        {
            silo.UseLocalhostClustering(options.SiloPort, options.GatewayPort, serviceId: options.ServiceId, clusterId: options.ClusterId);
        }
        else
        {
            silo.UseAdoNetClustering(ado =>
            {
                ado.Invariant = database.AdoNetInvariant;
                ado.ConnectionString = database.ConnectionString;
            });
            silo.ConfigureEndpoints(IPAddress.Parse(options.AdvertisedAddress), options.SiloPort, options.GatewayPort, listenOnAnyHostAddress: false);
            silo.Configure<ClusterMembershipOptions>(FailureDetection.Tune);
            silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection("ContactCenter:Membership"));
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
        silo.AddDashboard();
        return silo;
    }
}
