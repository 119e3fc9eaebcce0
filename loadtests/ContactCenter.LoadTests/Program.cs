using ContactCenter.LoadTests.Ingest;
using ContactCenter.LoadTests.Simulation;

// Usage: ContactCenter.LoadTests <command> [options]
//   ingest     simulated telephony gateways posting call events to POST /api/v1/gateway/events, as fast as the silo takes them
//   simulate   the reference center's traffic (callers, gateways, agents) at a chosen speed, with a loss check
switch (args)
{
    case ["ingest", .. var rest]:
        return await IngestCommand.RunAsync(rest);
    case ["simulate", .. var rest]:
        return await SimulateCommand.RunAsync(rest);
}

Console.Error.WriteLine("usage: ContactCenter.LoadTests ingest|simulate [options]");
Console.Error.WriteLine(IngestOptions.Usage);
Console.Error.WriteLine(SimulationOptions.Usage);
return 2;
