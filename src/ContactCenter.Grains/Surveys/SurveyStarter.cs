using ContactCenter.Calls;
using ContactCenter.Customers;
using Microsoft.Extensions.Options;

namespace ContactCenter.Surveys;

/// <summary>
/// The effect of a call's committed end on its survey: the policy decides whether the call is surveyed, and a
/// surveyed call's subscriber is claimed for it and its survey started (idempotent). Only the drawn calls reach a
/// survey's grains; the subscriber's brand and class come from the batched master-data lookup, not a grain.
/// </summary>
public sealed class SurveyStarter(IGrainFactory grains, ISubscriberDirectory subscribers, IOptions<SurveyPolicyOptions> policy)
{
    /// <param name="call">The call's state just before it ended: who the caller was talking to.</param>
    public async Task CallEndedAsync(CallSnapshot call, DateTimeOffset endedAt)
    {
        var rules = policy.Value;
        if (!rules.MaySurvey(call))
        {
            return; // decided before the master data is asked
        }

        var caller = await subscribers.FindAsync(call.Caller);
        if (rules.PlanFor(call, caller, endedAt) is { } request)
        {
            await grains.ReferenceTo<ISubscriberSurveysGrain>(call.Caller).StartSurveyAsync(request);
        }
    }
}
