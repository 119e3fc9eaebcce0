using ContactCenter.Calls;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace ContactCenter;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>The services the contact center's grains need, besides storage: the clock and the call effects.</summary>
    public static IServiceCollection AddContactCenterGrains(this IServiceCollection services)
    {
        // Tests put a fake clock in first; everything else runs on the system clock.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CallEffects>();
        return services;
    }
}
