using ContactCenter.SipEdge.Hosting;
using Serilog;

// Usage: ContactCenter.SipEdge [--SipEdge:SipPort=5060 --SipEdge:Cluster:0:Url=http://127.0.0.1:5080 ...]
// Settings: appsettings.json, then environment variables (SipEdge__GatewayToken), then the command line.

// RTP arrives as 50 small datagrams a second per leg and is relayed at once. Run each receive's continuation on the
// socket engine's own thread instead of queueing it to the thread pool: a third of the CPU per call-second and a
// tenth of the added delay at p99.99 (loadtests/run-media-benchmark.sh). The runtime reads this before the first
// socket is made; nothing in the edge blocks inside a socket continuation. Set it to 0 outside to measure without.
const string InlineSocketCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";
if (Environment.GetEnvironmentVariable(InlineSocketCompletions) is null)
{
    Environment.SetEnvironmentVariable(InlineSocketCompletions, "1");
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Host.UseSerilog((context, logging) => logging.ReadFrom.Configuration(context.Configuration).WriteTo.Console());
var options = builder.Configuration.GetSection(SipEdgeOptions.Section).Get<SipEdgeOptions>() ?? new SipEdgeOptions();
var app = builder.Build();

await using var edge = SipEdgeRuntime.Start(options, app.Services.GetRequiredService<ILoggerFactory>());
app.MapEdgeEndpoints(edge);
await app.StartAsync();
app.Logger.LogInformation("SIP edge {Name} on {Address}:{Port} (UDP and TCP), reporting to {Region}", options.Name, options.ListenAddress, edge.SipPort, edge.Client.CurrentRegion.Name);
await app.WaitForShutdownAsync();
