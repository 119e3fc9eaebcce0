using ContactCenter.Calls;
using ContactCenter.Kpis;
using ContactCenter.Placement;
using ContactCenter.Sms;
using ContactCenter.Surveys;
using ContactCenter.WorkOrders;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Hosting;

namespace ContactCenter;

public static class GrainsServiceCollectionExtensions
{
    /// <summary>The services the contact center's grains need, besides storage: the clock, the call effects and the surveys they start, home-region placement.</summary>
    public static IServiceCollection AddContactCenterGrains(this IServiceCollection services)
    {
        // Tests put a fake clock in first; everything else runs on the system clock.
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<CallEffects>();
        services.AddSingleton<SurveyStarter>();
        services.AddOptions<SurveyPolicyOptions>();
        services.AddOptions<WorkOrderOptions>();
        // Where the host configures no SMS gateway, a survey's message waits and is retried, as when one is down.
        services.TryAddSingleton<ISmsGateway, NoSmsGateway>();
        // Where the host names no outbound gateways (the grains' tests), a callback finds none, and waits.
        services.TryAddSingleton<IOutboundGatewayChooser, NoOutboundGateway>();
        services.AddSingleton<IIncomingGrainCallFilter, UncommittedChangeFilter>();
        services.TryAddSingleton(LocalSiloRegion.Unassigned);
        services.TryAddSingleton(CenterCalendar.Default);
        services.AddSingleton<HomeRegionMap>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(provider => provider.GetRequiredService<HomeRegionMap>());
        services.AddPlacementDirector<QueueHomePlacement, HomeRegionPlacementDirector>();
        services.AddPlacementDirector<AgentHomePlacement, HomeRegionPlacementDirector>();
        return services;
    }
}
