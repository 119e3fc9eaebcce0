using ContactCenter.Calls;
using ContactCenter.Customers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Surveys;

/// <summary>
/// The effects of a call's committed answer and end on its survey: the policy decides whether the call is surveyed,
/// and a surveyed call's subscriber is claimed for it and its survey started (idempotent). An SMS or callback survey
/// starts at the end; an IVR survey at the answer, so the gateway knows to keep the caller before the agent hangs up,
/// and it is told of the end. Only the drawn calls reach a survey's grains; the subscriber's brand and class come from
/// the batched master-data lookup, not a grain.
/// </summary>
public sealed class SurveyStarter(IGrainFactory grains, ISubscriberDirectory subscribers, IOptions<SurveyPolicyOptions> policy, ILogger<SurveyStarter> logger)
{
    /// <param name="call">The call as the answer left it.</param>
    public async Task CallAnsweredAsync(CallSnapshot call, DateTimeOffset answeredAt)
    {
        var rules = policy.Value;
        if (!rules.MayHaveSurveyAfterCall(call) || !rules.MaySurvey(call))
        {
            return; // decided before the master data is asked
        }

        try
        {
            if (await PlanAsync(call, answeredAt) is { Channel: SurveyChannel.Ivr } request)
            {
                await grains.ReferenceTo<ISubscriberSurveysGrain>(call.Caller).StartSurveyAsync(request);
            }
        }
        catch (Exception ex)
        {
            // Not retried with the call's effects: the call's later ones (its end, which frees the agent) would wait
            // behind it. The call goes unsurveyed; its end, told to a survey that does not exist, changes nothing.
            logger.LogWarning(ex, "Call {CallId}: its IVR survey could not be started; the call is not surveyed", call.CallId);
        }
    }

    /// <param name="call">The call's state just before it ended: who the caller was talking to.</param>
    public async Task CallEndedAsync(CallSnapshot call, CallEnded ended, DateTimeOffset endedAt)
    {
        var rules = policy.Value;
        if (rules.MayHaveSurveyAfterCall(call))
        {
            // Told whatever the call's last state: a survey waiting for an end that never reaches it would hold its
            // subscriber until it gives up. The edge keeps the caller only when the agent hangs up on them.
            var kept = ended.HungUpBy == HangupSide.Agent && call is { Phase: CallPhase.Talking or CallPhase.OnHold };
            await grains.ReferenceTo<ISurveyGrain>(call.CallId).CallEndedAsync(new SurveyCallEnd(call.Queue, call.Agent, endedAt, kept));
        }

        if (!rules.MaySurvey(call))
        {
            return;
        }

        if (await PlanAsync(call, endedAt) is { Channel: not SurveyChannel.Ivr } request)
        {
            await grains.ReferenceTo<ISubscriberSurveysGrain>(call.Caller).StartSurveyAsync(request);
        }
    }

    private async Task<SurveyRequest?> PlanAsync(CallSnapshot call, DateTimeOffset at) =>
        policy.Value.PlanFor(call, await subscribers.FindAsync(call.Caller), at);
}
