using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Surveys;

[GenerateSerializer, Alias("cc.SubscriberSurveysState")]
public sealed class SubscriberSurveysState
{
    /// <summary>The call whose survey last claimed the subscriber, and when.</summary>
    [Id(0)] public string? LastClaimCallId { get; set; }
    [Id(1)] public DateTimeOffset? LastClaimAt { get; set; }
    /// <summary>The survey the subscriber's next reply answers.</summary>
    [Id(2)] public string? OpenSurvey { get; set; }
    /// <summary>The survey that closed last, and when: a reply soon after goes to it as a late reply.</summary>
    [Id(3)] public string? LastClosed { get; set; }
    [Id(4)] public DateTimeOffset? LastClosedAt { get; set; }
    [Id(5)] public DateTimeOffset? OptedOutAt { get; set; }
    /// <summary>The gateway's ids of the subscriber's latest messages, newest last: a message delivered twice is read once.</summary>
    [Id(6)] public List<string> RecentMessageIds { get; set; } = [];
    /// <summary>When the subscriber's latest messages arrived, newest last (for the flood limit).</summary>
    [Id(7)] public List<DateTimeOffset> RecentReplies { get; set; } = [];
    /// <summary>
    /// Since when <see cref="OpenSurvey"/> is open: a survey open longer than any survey can be was closed without this
    /// grain hearing of it (its one-way news lost), and no longer keeps the subscriber from being surveyed.
    /// </summary>
    [Id(8)] public DateTimeOffset? OpenSince { get; set; }
}

/// <summary>One subscriber's part in the surveys (see <see cref="ISubscriberSurveysGrain"/>).</summary>
[CollectionAgeLimit(Minutes = 5)]
public sealed partial class SubscriberSurveysGrain(
    [PersistentState("surveys", StorageNames.GroupCommit)] IPersistentState<SubscriberSurveysState> state,
    IOptions<SurveyPolicyOptions> policy,
    TimeProvider clock,
    ILogger<SubscriberSurveysGrain> logger) : Grain, ISubscriberSurveysGrain
{
    /// <summary>More messages than this from one number within <see cref="FloodWindow"/> are not read (a runaway phone or a script).</summary>
    public const int FloodLimit = 10;

    public static readonly TimeSpan FloodWindow = TimeSpan.FromMinutes(10);

    private const int RememberedMessageIds = 32;

    private SubscriberSurveysState Subscriber => state.State;

    public async Task<SurveyClaim> StartSurveyAsync(SurveyRequest request)
    {
        var claim = Claim(request.CallId, clock.GetUtcNow());
        if (claim == SurveyClaim.Granted)
        {
            // Written before the survey starts: a survey that exists always has its subscriber claimed. A start that
            // fails after this is asked again (the call's effect is retried) and finds the claim its own.
            await state.WriteStateAsync();
            await Survey(request.CallId).StartAsync(request);
        }

        return claim;
    }

    public async Task SurveyClosedAsync(string callId, DateTimeOffset at, bool wasSent)
    {
        if (Subscriber.OpenSurvey != callId)
        {
            return;
        }

        Subscriber.OpenSurvey = null;
        Subscriber.LastClosed = callId;
        Subscriber.LastClosedAt = at;
        if (!wasSent && Subscriber.LastClaimCallId == callId)
        {
            Subscriber.LastClaimAt = null; // never asked: the subscriber was not surveyed
        }

        await state.WriteStateAsync();
    }

    public async Task<ReplyOutcome> ReplyAsync(IncomingSms sms)
    {
        if (sms.MessageId is { Length: > 0 } id)
        {
            if (Subscriber.RecentMessageIds.Contains(id))
            {
                return ReplyOutcome.Duplicate;
            }

            Remember(Subscriber.RecentMessageIds, id, RememberedMessageIds);
        }

        var now = clock.GetUtcNow();
        Subscriber.RecentReplies.RemoveAll(at => now - at >= FloodWindow);
        var flooding = Subscriber.RecentReplies.Count >= FloodLimit;
        Remember(Subscriber.RecentReplies, now, FloodLimit);
        ReplyOutcome outcome;
        if (SurveyReplies.Read(sms.Text).Kind == SurveyReplyKind.OptOut)
        {
            // Honoured whatever else is going on: a flood, no survey open, one not sent yet.
            Subscriber.OptedOutAt ??= now;
            if (Subscriber.OpenSurvey is { } open)
            {
                await Survey(open).ReplyAsync(sms); // the survey ends as opted out, and tells this grain it closed
            }

            outcome = ReplyOutcome.OptedOut;
        }
        else if (flooding)
        {
            outcome = ReplyOutcome.Flooding;
        }
        else if (Subscriber.OpenSurvey is { } open)
        {
            outcome = await Survey(open).ReplyAsync(sms);
            if (outcome is ReplyOutcome.Late or ReplyOutcome.NoSurvey && Subscriber.OpenSurvey == open)
            {
                // The survey closed without this grain hearing of it (its one-way news was lost).
                (Subscriber.OpenSurvey, Subscriber.LastClosed, Subscriber.LastClosedAt) = (null, open, now);
            }
        }
        else if (Subscriber.LastClosed is { } closed && now - Subscriber.LastClosedAt < SurveyLife.LateReplyWindow)
        {
            outcome = await Survey(closed).ReplyAsync(sms);
        }
        else
        {
            outcome = ReplyOutcome.NoSurvey;
        }

        await state.WriteStateAsync();
        LogReply(outcome);
        return outcome;
    }

    public Task<bool> IsOptedOutAsync() => Task.FromResult(Subscriber.OptedOutAt is not null);

    /// <summary>Whether the subscriber may be surveyed about this call, claimed for it (in memory) if so.</summary>
    private SurveyClaim Claim(string callId, DateTimeOffset now)
    {
        if (Subscriber.LastClaimCallId == callId)
        {
            return SurveyClaim.Granted; // the same call asking again
        }

        if (Subscriber.OptedOutAt is not null)
        {
            return SurveyClaim.OptedOut;
        }

        if (Subscriber.OpenSurvey is not null && now - Subscriber.OpenSince < SurveyLife.LongestOpen(policy.Value))
        {
            return SurveyClaim.SurveyOpen;
        }

        if (Subscriber.LastClaimAt is { } last && now - last < TimeSpan.FromDays(policy.Value.CapDays))
        {
            return SurveyClaim.RecentlySurveyed;
        }

        Subscriber.LastClaimCallId = callId;
        Subscriber.LastClaimAt = now;
        Subscriber.OpenSurvey = callId;
        Subscriber.OpenSince = now;
        return SurveyClaim.Granted;
    }

    private static void Remember<T>(List<T> recent, T item, int keep)
    {
        recent.Add(item);
        if (recent.Count > keep)
        {
            recent.RemoveRange(0, recent.Count - keep);
        }
    }

    private ISurveyGrain Survey(string callId) => GrainFactory.ReferenceTo<ISurveyGrain>(callId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "A subscriber's text: {Outcome}")]
    private partial void LogReply(ReplyOutcome outcome);
}
