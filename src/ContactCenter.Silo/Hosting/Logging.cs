using Serilog;
using Serilog.Events;
using Serilog.Formatting.Compact;

namespace ContactCenter.Hosting;

public static class Logging
{
    private const string TextTemplate =
        "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext}: {Message:lj}{NewLine}{Exception}";

    /// <summary>
    /// Serilog on the console, structured either way: message templates keep CallId, AgentId and QueueId as
    /// properties, and phone numbers are masked where they are logged (<see cref="Calls.PhoneNumbers.Mask"/>).
    /// Levels can be overridden under <c>Serilog:MinimumLevel</c>.
    /// </summary>
    public static void AddContactCenterLogging(this WebApplicationBuilder builder, ContactCenterOptions options)
    {
        var json = string.Equals(options.LogFormat, "json", StringComparison.OrdinalIgnoreCase);
        // preserveStaticLogger: the host's loggers write to this host's own logger. Without it they write to the
        // static Log.Logger, which is whichever host was built last, so a process with several hosts (the tests)
        // had one silo's errors land in another silo's log.
        builder.Services.AddSerilog(
            (_, log) =>
        {
            log.MinimumLevel.Information()
                // Orleans and ASP.NET Core narrate every start-up step at Information; keep their warnings.
                .MinimumLevel.Override("Orleans", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
                .MinimumLevel.Override("Microsoft.Hosting.Lifetime", LogEventLevel.Information)
                .MinimumLevel.Override("Polly", LogEventLevel.Warning)
                // Request logging already reports every 401 and 403 with its path.
                .MinimumLevel.Override("ContactCenter.Security", LogEventLevel.Warning)
                .Enrich.FromLogContext()
                .Enrich.WithProperty("Region", options.Region)
                .ReadFrom.Configuration(builder.Configuration);
            if (json)
            {
                log.WriteTo.Console(new CompactJsonFormatter());
            }
            else
            {
                log.WriteTo.Console(outputTemplate: TextTemplate, formatProvider: System.Globalization.CultureInfo.InvariantCulture);
            }
        },
            preserveStaticLogger: true);
    }
}
