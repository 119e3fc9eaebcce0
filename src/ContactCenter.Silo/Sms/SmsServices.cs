using ContactCenter.Surveys;

namespace ContactCenter.Sms;

public static class SmsServices
{
    public const string KannelSection = "ContactCenter:Sms:Kannel";

    /// <summary>
    /// The SMS gateway (Kannel, when <c>ContactCenter:Sms:Kannel:SendSmsUrl</c> is set), the survey policy, and the
    /// survey timers. Without a gateway, surveys that are enabled wait for one (<see cref="NoSmsGateway"/>).
    /// </summary>
    public static IServiceCollection AddSurveysAndSms(this IServiceCollection services, IConfiguration configuration)
    {
        var kannel = configuration.GetSection(KannelSection).Get<KannelOptions>() ?? new KannelOptions();
        services.AddSingleton(kannel);
        if (kannel.SendSmsUrl is not null)
        {
            services.AddHttpClient<ISmsGateway, KannelSmsGateway>();
        }

        services.AddOptions<SurveyPolicyOptions>()
            .Bind(configuration.GetSection(SurveyPolicyOptions.Section))
            .Validate(policy => policy.Validate() is null, $"{SurveyPolicyOptions.Section} is not usable: start the silo with Logging to see which setting")
            .ValidateOnStart();
        services.AddHostedService<SurveyTimers>();
        return services;
    }
}
