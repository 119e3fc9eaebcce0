namespace ContactCenter.WorkOrders;

public static class WorkOrderServices
{
    /// <summary>The work orders' settings (checked at the start) and their deadlines' timers.</summary>
    public static IServiceCollection AddWorkOrders(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<WorkOrderOptions>()
            .Bind(configuration.GetSection(WorkOrderOptions.Section))
            .Validate(options => options.Validate() is null, $"{WorkOrderOptions.Section} is not usable: a category, a department or a deadline is wrong (docs/configuration.md)")
            .ValidateOnStart();
        services.AddHostedService<WorkOrderTimers>();
        return services;
    }
}
