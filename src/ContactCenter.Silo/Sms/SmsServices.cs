using ContactCenter.Surveys;

namespace ContactCenter.Sms;

public static class SmsServices
{
    public const string KannelSection = "ContactCenter:Sms:Kannel";

    /// <summary>
    /// The SMS gateway (Kannel, when <c>ContactCenter:Sms:Kannel:SendSmsUrl</c> is set), the survey policy (checked at
    /// the start: surveys on need a gateway), and the survey timers.
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
            .Validate(policy => policy.Validate() is null, $"{SurveyPolicyOptions.Section} is not usable: one of its settings is out of range (docs/configuration.md)")
            // Surveys with nowhere to send would wait, fail a day later, and keep their subscribers from the next survey for CapDays.
            .Validate(policy => !policy.Enabled || !policy.UsesSms || kannel.SendSmsUrl is not null, $"{SurveyPolicyOptions.Section}:Enabled with SMS surveys needs an SMS gateway: set {KannelSection}:SendSmsUrl")
            .ValidateOnStart();
        services.AddHostedService<SurveyTimers>();
        return services;
    }
}
