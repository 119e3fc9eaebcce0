using SampleGateway;

// dotnet run --project docs/sample-gateway -- http://127.0.0.1:5080 [queue]
// The gateway's token comes from the environment (CONTACT_CENTER_GATEWAY_TOKEN), not the command line.
if (args is not [var silo, ..] || !Uri.TryCreate(silo, UriKind.Absolute, out var address))
{
    Console.Error.WriteLine("usage: SampleGateway SILO-URL [QUEUE]   (token in $CONTACT_CENTER_GATEWAY_TOKEN, default dev-gateway-nanjing-1)");
    return 2;
}

var token = Environment.GetEnvironmentVariable("CONTACT_CENTER_GATEWAY_TOKEN") is { Length: > 0 } given ? given : "dev-gateway-nanjing-1";
var queue = args.Length > 1 ? args[1] : "gotone-billing-nanjing";
using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
var report = await OneCall.RunAsync(address, token, queue, Console.Out, stop.Token);
return report.AllAcknowledged ? 0 : 1;
