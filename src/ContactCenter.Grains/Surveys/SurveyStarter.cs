using ContactCenter.Calls;
using ContactCenter.Customers;
using Microsoft.Extensions.Options;

namespace ContactCenter.Surveys;

/// <summary>
/// The effect of a call's committed end on its survey: the policy decides whether the call is surveyed, and a
/// surveyed call's grain is asked to start (idempotent). Only the drawn calls reach a survey grain; the subscriber's
/// brand and class come from the batched master-data lookup, not the subscriber's grain.
/// </summary>
public sealed class SurveyStarter(IGrainFactory grains, ISubscriberDirectory subscribers, IOptions<SurveyPolicyOptions> policy)
{
    public async Task CallEndedAsync(CallSnapshot call, DateTimeOffset endedAt)
    {
        var rules = policy.Value;
        if (!rules.Enabled || call.AnsweredAt is null || call.Caller == PhoneNumbers.Withheld)
        {
            return;
        }

        var caller = await subscribers.FindAsync(call.Caller);
        if (rules.PlanFor(call, caller, endedAt) is { } request)
        {
            await grains.ReferenceTo<ISurveyGrain>(call.CallId).StartAsync(request);
        }
    }
}
