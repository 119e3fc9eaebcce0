using System.Net;
using ContactCenter.Journal;

namespace ContactCenter.Hosting;

/// <summary>How the silo runs: embedded (one process, SQLite, no setup) or as a member of a PostgreSQL-backed cluster.</summary>
public enum HostingMode
{
    Embedded,
    Cluster,
}

/// <summary>The silo's settings, section <c>ContactCenter</c> (environment: <c>ContactCenter__Mode=Cluster</c>).</summary>
public sealed class ContactCenterOptions
{
    public HostingMode Mode { get; init; } = HostingMode.Embedded;

    /// <summary>Silos with the same cluster id form one cluster; the service id keys grain state and must never change.</summary>
    public string ClusterId { get; init; } = "contact-center";

    public string ServiceId { get; init; } = "contact-center";

    /// <summary>The region this silo serves (e.g. nanjing, huaian).</summary>
    public string Region { get; init; } = "local";

    /// <summary>The center's time zone (IANA id): its days and hours for "today" and for reports.</summary>
    public string TimeZone { get; init; } = "Asia/Shanghai";

    /// <summary>The port silos talk to each other on; the only Orleans port a silo opens (it has no client gateway).</summary>
    public int SiloPort { get; init; } = 11111;

    /// <summary>The address other silos reach this one at (cluster mode).</summary>
    public string AdvertisedAddress { get; init; } = "127.0.0.1";

    /// <summary>Where the silo port listens: loopback for an embedded silo, the advertised address in a cluster.</summary>
    public IPAddress SiloListeningAddress() =>
        Mode == HostingMode.Embedded ? IPAddress.Loopback : IPAddress.Parse(AdvertisedAddress);

    /// <summary>The embedded database file; relative paths are from the working directory.</summary>
    public string SqlitePath { get; init; } = "data/contact-center.db";

    /// <summary>The PostgreSQL connection string (cluster mode).</summary>
    public string? PostgreSql { get; init; }

    /// <summary>Apply missing schema scripts at start-up; turn off where a DBA runs <c>migrate</c> instead.</summary>
    public bool MigrateOnStart { get; init; } = true;

    /// <summary>Console log format: "text" for people, "json" (compact JSON, one event per line) for collectors.</summary>
    public string LogFormat { get; init; } = "text";

    /// <summary>
    /// The center file (queues, agents, skills) applied on the first start of a center, while it has no queues
    /// or agents; afterwards the admin API changes the center. Relative paths are from the program's folder.
    /// Empty: start with no center.
    /// </summary>
    public string? CenterFile { get; init; }

    /// <summary>
    /// A command delivered to a gateway and not acknowledged within this time is delivered again. Long enough
    /// for a gateway to act on a page of commands; short enough that a lost poll response delays a call little.
    /// </summary>
    public double CommandRedeliverySeconds { get; init; } = 30;

    /// <summary>
    /// The gateway identities that place outbound calls (SIP edges with outbound trunks), in order of preference:
    /// a new call goes to the first that is not lost. Empty: the cluster places no outbound calls.
    /// </summary>
    public string[] OutboundGateways { get; init; } = [];

    /// <summary>
    /// What Call grains persist their events through: "Journal" (the default, and the only choice for production)
    /// or "GrainStatePerEvent", the naive one-grain-state-write-per-event design, kept as the load test's baseline.
    /// </summary>
    public string CallStore { get; init; } = nameof(CallStoreDesign.Journal);

    /// <summary><see cref="CallStore"/> checked: an unknown name stops the start, naming the ones there are.</summary>
    public CallStoreDesign SelectedCallStore()
    {
        // By name only: the configuration binder would also take "1", or an undefined number, for an enum.
        var name = Enum.GetNames<CallStoreDesign>().FirstOrDefault(n => string.Equals(n, CallStore?.Trim(), StringComparison.OrdinalIgnoreCase));
        return name is null
            ? throw new InvalidOperationException(
                $"ContactCenter:CallStore '{CallStore}' is unknown; use {string.Join(" or ", Enum.GetNames<CallStoreDesign>())}")
            : Enum.Parse<CallStoreDesign>(name);
    }

    public string? CenterFilePath() =>
        string.IsNullOrWhiteSpace(CenterFile) ? null : Path.GetFullPath(CenterFile, AppContext.BaseDirectory);

    public DatabaseTarget Database()
    {
        if (Mode == HostingMode.Cluster)
        {
            return string.IsNullOrWhiteSpace(PostgreSql)
                ? throw new InvalidOperationException("cluster mode needs ContactCenter:PostgreSql, a PostgreSQL connection string")
                : new DatabaseTarget(DatabaseKind.PostgreSql, PostgresConnections.Tune(PostgreSql));
        }

        var path = Path.GetFullPath(SqlitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return new DatabaseTarget(DatabaseKind.Sqlite, $"Data Source={path};Pooling=True");
    }
}
