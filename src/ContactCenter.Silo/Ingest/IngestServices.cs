using Microsoft.Extensions.Options;

namespace ContactCenter.Ingest;

public static class IngestServices
{
    /// <summary>The gateway ingest path: its settings, the parser and the dispatcher.</summary>
    public static IServiceCollection AddContactCenterIngest(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(IngestOptions.Section).Get<IngestOptions>() ?? new IngestOptions();
        // A bad setting stops the start rather than rejecting every event later.
        options.Validate();
        services.AddSingleton(Options.Create(options));
        services.AddSingleton<CallEventParser>();
        services.AddSingleton<EventDispatcher>();
        return services;
    }
}
