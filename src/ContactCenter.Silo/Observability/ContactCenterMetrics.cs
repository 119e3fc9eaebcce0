using ContactCenter.Calls;
using ContactCenter.GroupCommit;
using ContactCenter.Hosting;
using ContactCenter.Security;
using ContactCenter.Wallboard;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace ContactCenter.Observability;

/// <summary>
/// OpenTelemetry metrics, scraped by Prometheus at <see cref="ScrapePath"/> (operators' tokens only): the .NET
/// runtime, ASP.NET Core, Orleans, Npgsql, the group committers, and the contact center's own (events by outcome,
/// live calls by phase, and the queues', agents' and gateways' figures of <see cref="CenterGauges"/>).
/// deploy/grafana/contact-center.json is a dashboard of them.
/// </summary>
public static class ContactCenterMetrics
{
    public const string ScrapePath = "/metrics";

    /// <summary>The meters the libraries publish under (Orleans: its runtime, grains and messaging; Npgsql: its pools and commands).</summary>
    private static readonly string[] LibraryMeters = ["Microsoft.Orleans", "Npgsql"];

    public static IServiceCollection AddContactCenterMetrics(this IServiceCollection services, ContactCenterOptions options)
    {
        services.AddSingleton<CenterGauges>();
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService("contact-center-silo", serviceInstanceId: $"{options.Region}-{Environment.MachineName}-{options.SiloPort}"))
            .WithMetrics(metrics => metrics
                .AddRuntimeInstrumentation()
                .AddAspNetCoreInstrumentation()
                .AddMeter(LibraryMeters)
                .AddMeter(GroupCommitMetrics.MeterName, LiveCallsByPhase.MeterName, IngestMeter.MeterName, CenterGauges.MeterName, WallboardFeed.MeterName)
                .AddPrometheusExporter());
        return services;
    }

    public static void MapContactCenterMetrics(this WebApplication app)
    {
        // The gauges exist once asked for: resolving them here registers their callbacks before the first scrape.
        app.Services.GetRequiredService<CenterGauges>();
        // A scrape reads the wallboard's newest frame; this makes sure it is at most a frame period old. It runs
        // after the authorization middleware, so a request without an operator's token composes nothing.
        app.UseWhen(http => http.Request.Path == ScrapePath, scrape => scrape.Use(async (http, next) =>
        {
            await http.RequestServices.GetRequiredService<WallboardFeed>().CurrentAsync(http.RequestAborted);
            await next(http);
        }));
        app.MapPrometheusScrapingEndpoint(ScrapePath).RequireAuthorization(AccessPolicies.Operator);
    }
}
