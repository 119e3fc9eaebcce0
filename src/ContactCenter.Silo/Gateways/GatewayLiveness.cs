namespace ContactCenter.Gateways;

/// <summary>The gateway liveness settings of section <c>ContactCenter</c>.</summary>
public sealed class GatewayLivenessSettings
{
    /// <summary>A gateway that has not polled for its commands for this long is lost (see <see cref="IGatewayHealth"/>).</summary>
    public double GatewayLostAfterSeconds { get; init; } = GatewayHealthOptions.Default.LostAfter.TotalSeconds;

    /// <summary>How long a gateway stays lost before the cluster ends its calls with the cause <c>gateway_lost</c>.</summary>
    public double GatewayLostGraceSeconds { get; init; } = GatewayHealthOptions.Default.LostGrace.TotalSeconds;
}

public static class GatewayLivenessRegistration
{
    /// <summary>
    /// The gateways' health (<see cref="IGatewayHealth"/>, answered from memory), the record of their polls in the
    /// database, and the background work that ends a lost gateway's calls. A bad setting stops the start.
    /// </summary>
    public static IServiceCollection AddGatewayLiveness(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection("ContactCenter").Get<GatewayLivenessSettings>() ?? new GatewayLivenessSettings();
        var options = new GatewayHealthOptions(Seconds(settings.GatewayLostAfterSeconds), Seconds(settings.GatewayLostGraceSeconds));
        if (options.Validate() is { } error)
        {
            throw new InvalidOperationException(error);
        }

        services.AddGatewayHealth(options);
        services.AddSingleton<GatewayLostCalls>();
        services.AddHostedService<GatewayLivenessService>();
        return services;
    }

    private static TimeSpan Seconds(double seconds) =>
        double.IsFinite(seconds) && Math.Abs(seconds) < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MinValue;
}
