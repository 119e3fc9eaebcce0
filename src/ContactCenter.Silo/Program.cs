using ContactCenter.Hosting;
using ContactCenter.Schema;

// Usage: ContactCenter.Silo [migrate] [--ContactCenter:Mode=Cluster ...]
//   (no command)  run the silo with its HTTP API
//   migrate       apply the missing schema scripts to the configured database, print the version, and exit
var command = args.FirstOrDefault(a => !a.StartsWith('-') && !a.Contains('='));
var settings = args.Where(a => a != command).ToArray();

var app = ContactCenterHost.Build(settings);
if (command == "migrate")
{
    var migrator = app.Services.GetRequiredService<SchemaMigrator>();
    var applied = await migrator.MigrateAsync();
    Console.WriteLine($"applied {applied.Count} script(s): {string.Join(", ", applied.Select(s => s.Name))}; schema version {await migrator.CurrentVersionAsync()}");
    return 0;
}

if (command is not null)
{
    Console.Error.WriteLine($"unknown command '{command}'; the only command is 'migrate'");
    return 2;
}

await ContactCenterHost.StartAsync(app);
await app.WaitForShutdownAsync();
return 0;
