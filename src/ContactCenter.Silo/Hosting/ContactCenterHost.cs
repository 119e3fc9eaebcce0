using System.Text.Json;
using System.Text.Json.Serialization;
using ContactCenter.Agents;
using ContactCenter.Calls;
using ContactCenter.Center;
using ContactCenter.Gateways;
using ContactCenter.Health;
using ContactCenter.Ingest;
using ContactCenter.Journal;
using ContactCenter.Kpis;
using ContactCenter.Observability;
using ContactCenter.Outbound;
using ContactCenter.Queues;
using ContactCenter.Recordings;
using ContactCenter.Reports;
using ContactCenter.Schema;
using ContactCenter.Security;
using ContactCenter.Sms;
using ContactCenter.Supervision;
using ContactCenter.Surveys;
using ContactCenter.Wallboard;
using ContactCenter.WorkOrders;
using Microsoft.AspNetCore.Authorization;
using Orleans.Dashboard;
using Serilog;
using Serilog.Events;

namespace ContactCenter.Hosting;

/// <summary>
/// Builds the silo process: the Orleans silo and, on the same host, the gateway ingest API, the call queries,
/// the KPI reports, health endpoints and the Orleans dashboard. Tests build the very same host with their own settings.
/// </summary>
public static partial class ContactCenterHost
{
    /// <param name="configure">Adds settings before the host reads them.</param>
    /// <param name="replaceServices">Runs after every service is registered, so a benchmark or test may replace one.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null, Action<IServiceCollection>? replaceServices = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);

        var options = builder.Configuration.GetSection("ContactCenter").Get<ContactCenterOptions>() ?? new ContactCenterOptions();
        var database = options.Database();
        var siloTls = builder.Configuration.GetSection("ContactCenter:SiloTls").Get<SiloTlsOptions>() ?? new SiloTlsOptions();
        builder.AddContactCenterLogging(options);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(siloTls);
        builder.Services.AddSingleton(CenterCalendar.For(options.TimeZone));
        builder.Services.AddContactCenterGrains();
        builder.Services.AddContactCenterStorage(database, options.SelectedCallStore());
        // Before Orleans' own service, so a wrong setting stops the start before the silo joins anything.
        builder.Services.AddHostedService<StartChecks>();
        builder.UseOrleans(silo => silo.ConfigureContactCenter(options, database, siloTls, builder.Configuration));

        builder.Services.Configure<AccessOptions>(builder.Configuration.GetSection("ContactCenter:Access"));
        builder.Services.AddSingleton<ApiTokenDirectory>();
        builder.Services.AddAuthentication(BrowserSignIn.TokenOrCookieScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, ApiTokenAuthentication>(ApiTokenAuthentication.SchemeName, null)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, SmsGatewayKeyAuthentication>(SmsGatewayKeyAuthentication.SchemeName, null)
            .AddBrowserSignIn();
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.Gateway, policy => policy.RequireRole(Roles.Gateway))
            .AddPolicy(AccessPolicies.Operator, policy => policy.RequireRole(Roles.Supervisor, Roles.Admin))
            .AddPolicy(AccessPolicies.CallReader, policy => policy.RequireRole(Roles.Gateway, Roles.Supervisor, Roles.Admin))
            .AddPolicy(AccessPolicies.AgentDesk, policy => policy.RequireRole(Roles.Agent, Roles.Supervisor, Roles.Admin))
            .AddPolicy(AccessPolicies.Admin, policy => policy.RequireRole(Roles.Admin))
            .AddPolicy(AccessPolicies.WorkOrders, policy => policy.RequireRole(Roles.Agent, Roles.Department, Roles.Supervisor, Roles.Admin))
            .AddPolicy(AccessPolicies.SmsGateway, policy => policy.AddAuthenticationSchemes(SmsGatewayKeyAuthentication.SchemeName).RequireRole(Roles.SmsGateway));
        // Supervisor actions refused for the caller's role are audited before the 403 goes out.
        builder.Services.AddSingleton<IAuthorizationMiddlewareResultHandler, SupervisorRefusalAudit>();
        builder.Services.ConfigureHttpJsonOptions(json =>
        {
            json.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
            // A number is a JSON number, as the event parser reads it and the API document says: not "3".
            json.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
            json.SerializerOptions.Converters.Insert(0, new JsonStringEnumConverter(JsonNamingPolicy.CamelCase));
        });

        builder.Services.AddExceptionHandler<UnreachableSiloHandler>();
        builder.Services.AddExceptionHandler<UnreadableRequestHandler>();
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(routes => routes.ThrowOnBadRequest = true);
        builder.Services.AddProblemDetails();
        builder.Services.AddContactCenterApiDocument();
        builder.Services.AddContactCenterMetrics(options);
        builder.Services.AddContactCenterIngest(builder.Configuration);
        builder.Services.AddContactCenterRateLimits(builder.Configuration);
        builder.Services.AddSingleton<CenterConfigurator>();
        builder.Services.AddContactCenterHealth();
        builder.Services.AddGatewayLiveness(builder.Configuration);
        builder.Services.AddSingleton<OutboundGateways>();
        builder.Services.AddSingleton<IOutboundGatewayChooser>(services => services.GetRequiredService<OutboundGateways>());
        builder.Services.AddCallRecordings();
        builder.Services.AddSingleton<WallboardFeed>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WallboardFeed>());
        builder.Services.AddHostedService<QueueKeeper>();
        builder.Services.AddSurveysAndSms(builder.Configuration);
        builder.Services.AddWorkOrders(builder.Configuration);

        replaceServices?.Invoke(builder.Services);
        var app = builder.Build();
        app.UseSerilogRequestLogging(logging =>
        {
            // This host's logger rather than Serilog's static one, which is the last host built in the process
            // (tests run several hosts in one process and read each one's log).
            logging.Logger = app.Services.GetRequiredService<Serilog.ILogger>();
            logging.GetLevel = (http, _, error) =>
                // A 503 is a silo out of reach for a moment (UnreachableSiloHandler), which the cluster heals.
                http.Response.StatusCode == StatusCodes.Status503ServiceUnavailable && error is null ? LogEventLevel.Warning
                : error is not null || http.Response.StatusCode >= 500 ? LogEventLevel.Error
                // Every accepted batch at Information would be hundreds of lines a second under load.
                : http.Response.StatusCode >= 400 ? LogEventLevel.Information : LogEventLevel.Debug;
        });
        app.UseExceptionHandler();
        app.UseBrowserRequestCheck();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseContactCenterRateLimits();
        var api = app.MapGroup(ApiRoutes.Version1);
        api.MapGatewayEvents();
        api.MapCallQueries();
        api.MapCallRecordings();
        api.MapGatewayCommands();
        api.MapGatewayRestart();
        api.MapOutboundCalls();
        api.MapAgents();
        api.MapQueues();
        api.MapCenterAdmin();
        app.MapWallboard(api);
        app.MapDesks();
        api.MapSupervisorActions();
        api.MapSupervisorAudit();
        api.MapReports();
        api.MapSurveys();
        api.MapAfterCallSurveys();
        api.MapWorkOrders();
        api.MapKannelInbound();
        app.MapContactCenterApiDocument();
        app.MapContactCenterMetrics();
        app.MapContactCenterHealth();
        app.MapOrleansDashboard("/dashboard").RequireAuthorization(new AuthorizeAttribute(AccessPolicies.Operator));
        return app;
    }

    /// <summary>Brings the database schema up to date (when configured to) and runs the host until it is stopped.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken = default)
    {
        if (app.Services.GetRequiredService<ContactCenterOptions>().MigrateOnStart)
        {
            await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync(cancellationToken);
        }

        await app.StartAsync(cancellationToken);
        if (app.Services.GetRequiredService<ContactCenterOptions>().SelectedCallStore() == CallStoreDesign.GrainStatePerEvent)
        {
            LogBenchmarkBaseline(app.Logger);
        }

        if (app.Services.GetRequiredService<ContactCenterOptions>().CenterFilePath() is { } centerFile)
        {
            await app.Services.GetRequiredService<CenterConfigurator>().SeedAsync(centerFile, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message =
        "ContactCenter:CallStore is GrainStatePerEvent: each call event is one grain-state write, without the active-calls index. " +
        "This is the naive baseline for load-test comparisons only, never for production")]
    private static partial void LogBenchmarkBaseline(Microsoft.Extensions.Logging.ILogger logger);
}
