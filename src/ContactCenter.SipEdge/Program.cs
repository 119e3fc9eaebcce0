using ContactCenter.SipEdge.Hosting;
using Serilog;

// Usage: ContactCenter.SipEdge [--SipEdge:SipPort=5060 --SipEdge:Cluster:0:Url=http://127.0.0.1:5080 ...]
// Settings: appsettings.json, then environment variables (SipEdge__GatewayToken), then the command line.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Host.UseSerilog((context, logging) => logging.ReadFrom.Configuration(context.Configuration).WriteTo.Console());
var options = builder.Configuration.GetSection(SipEdgeOptions.Section).Get<SipEdgeOptions>() ?? new SipEdgeOptions();
var app = builder.Build();

await using var edge = SipEdgeRuntime.Start(options, app.Services.GetRequiredService<ILoggerFactory>());
app.MapGet("/health/live", () => Results.Text("live"));
app.MapGet("/status", async () => Results.Json(await edge.StatusAsync()));
await app.StartAsync();
app.Logger.LogInformation("SIP edge {Name} on {Address}:{Port} (UDP and TCP), reporting to {Region}", options.Name, options.ListenAddress, edge.SipPort, edge.Client.CurrentRegion.Name);
await app.WaitForShutdownAsync();
