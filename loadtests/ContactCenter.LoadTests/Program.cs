using ContactCenter.LoadTests.Ingest;

// Usage: ContactCenter.LoadTests <command> [options]
//   ingest   simulated telephony gateways posting call events to POST /api/gateway/events
if (args is ["ingest", .. var rest])
{
    return await IngestCommand.RunAsync(rest);
}

Console.Error.WriteLine("usage: ContactCenter.LoadTests ingest [options]");
Console.Error.WriteLine(IngestOptions.Usage);
return 2;
