using ContactCenter.Journal;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace ContactCenter.Health;

/// <summary>Ready when this silo is an active cluster member: before that, grain calls would fail or wait.</summary>
public sealed class SiloActiveCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var status = membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"silo is {status}"));
    }
}

/// <summary>Ready when the journal's database answers: without it no event can be acknowledged.</summary>
public sealed class JournalDatabaseCheck(IJournalStore journal) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            await journal.PingAsync(cancellationToken);
            return HealthCheckResult.Healthy();
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("the journal database does not answer", ex);
        }
    }
}

public static class HealthEndpoints
{
    private const string Ready = "ready";

    public static IServiceCollection AddContactCenterHealth(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<SiloActiveCheck>("silo", tags: [Ready])
            .AddCheck<JournalDatabaseCheck>("journal-database", tags: [Ready]);
        return services;
    }

    /// <summary>Liveness: the process answers (restart it if not). Readiness: send it traffic (silo active, database up).</summary>
    public static void MapContactCenterHealth(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready) });
    }
}
