using ContactCenter.Customers;
using ContactCenter.Hosting;
using ContactCenter.Schema;

// Usage: ContactCenter.Silo [command] [--ContactCenter:Mode=Cluster ...]
//   (no command)                  run the silo with its HTTP API
//   migrate                       apply the missing schema scripts to the configured database, print the version
//   import-subscribers <file.csv> load subscriber master data (header: number,brand,vip,home_city,region,language,name)
var positional = args.Where(a => !a.StartsWith('-') && !a.Contains('=')).ToArray();
var settings = args.Except(positional).ToArray();

var app = ContactCenterHost.Build(settings);
switch (positional)
{
    case []:
        await ContactCenterHost.StartAsync(app);
        await app.WaitForShutdownAsync();
        return 0;

    case ["migrate"]:
        var migrator = app.Services.GetRequiredService<SchemaMigrator>();
        var applied = await migrator.MigrateAsync();
        Console.WriteLine($"applied {applied.Count} script(s): {string.Join(", ", applied.Select(s => s.Name))}; schema version {await migrator.CurrentVersionAsync()}");
        return 0;

    case ["import-subscribers", var file]:
        await app.Services.GetRequiredService<SchemaMigrator>().MigrateAsync();
        using (var csv = new StreamReader(file))
        {
            var report = await app.Services.GetRequiredService<SubscriberImport>().ImportAsync(csv);
            Console.WriteLine($"imported {report.Imported} subscriber(s), refused {report.Refused}, in {report.Elapsed.TotalSeconds:F1} s ({report.RowsPerSecond:F0} rows/s)");
            foreach (var error in report.FirstErrors)
            {
                Console.Error.WriteLine($"  {error}");
            }

            return report.Refused == 0 ? 0 : 1;
        }

    default:
        Console.Error.WriteLine($"unknown command '{string.Join(' ', positional)}'; commands: migrate, import-subscribers <file.csv>");
        return 2;
}
