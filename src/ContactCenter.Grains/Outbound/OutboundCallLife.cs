namespace ContactCenter.Outbound;

/// <summary>
/// The rules of an outbound call's life, in one place: which report moves it where, which is a harmless repeat,
/// and which is refused. Pure: the grain applies the answer and makes it durable.
/// </summary>
public static class OutboundCallLife
{
    /// <summary>
    /// How long after placing a gateway may still claim the call. A satisfaction callback is about a call that just
    /// ended: one dialled an hour late (a gateway that was down and came back with its old commands) would surprise
    /// the subscriber, so past this the call fails as <c>expired</c> instead.
    /// </summary>
    public static readonly TimeSpan ClaimWithin = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Beyond ringing and waiting for keys, the longest the prompt and the rest of an answered call may take. A
    /// call with no result by then (its gateway stopped mid-call) fails as <c>no_result</c>, so its requester is
    /// never left waiting.
    /// </summary>
    public static readonly TimeSpan LongestConversation = TimeSpan.FromMinutes(10);

    public const string ExpiredCause = "expired";
    public const string NoResultCause = "no_result";
    public const string GatewayRestartedCause = Gateways.GatewayEndCauses.Restarted;

    /// <summary>When a call still without a result is given up.</summary>
    public static DateTimeOffset GiveUpAt(OutboundCallSnapshot call) =>
        call.PlacedAt + ClaimWithin + TimeSpan.FromSeconds(call.Request.RingSeconds + call.Request.DigitSeconds) + LongestConversation;

    /// <summary>The call as the gateway's report leaves it, or why the report is refused. The same call back means a repeat.</summary>
    /// <param name="grantedAttempt">The attempt whose claim was granted, or null before any.</param>
    /// <param name="now">The cluster's clock, for the claim's deadline.</param>
    public static (OutboundCallSnapshot Call, string? Refusal) Apply(OutboundCallSnapshot call, string? grantedAttempt, OutboundProgress report, DateTimeOffset now)
    {
        if (report.Step == OutboundCallPhase.Dialing)
        {
            return Claim(call, grantedAttempt, report, now);
        }

        if (grantedAttempt is null)
        {
            return (call, "no attempt has claimed this call: report 'dialing' first, and dial only when it is granted");
        }

        if (report.Attempt != grantedAttempt)
        {
            return (call, $"the call belongs to attempt '{grantedAttempt}', not '{report.Attempt}'");
        }

        if (call.Phase == OutboundCallPhase.Finished)
        {
            var same = report.Step == OutboundCallPhase.Finished && report.Result == call.Result;
            return (call, same ? null : $"the call is finished ({Describe(call)})");
        }

        return report.Step switch
        {
            OutboundCallPhase.Ringing => (call.Phase < OutboundCallPhase.Ringing ? call with { Phase = OutboundCallPhase.Ringing } : call, null),
            OutboundCallPhase.Answered => (call.Phase < OutboundCallPhase.Answered ? call with { Phase = OutboundCallPhase.Answered, AnsweredAt = report.At } : call, null),
            OutboundCallPhase.Finished when report.Result is { } result => (Finish(call, result, report.Cause, report.Digits, report.SipStatus, report.At), null),
            OutboundCallPhase.Finished => (call, "a 'finished' report needs its 'result'"),
            _ => (call, $"'{report.Step}' is not a step a gateway reports"),
        };
    }

    /// <summary>The call given up: expired before any claim, or no result in time.</summary>
    public static OutboundCallSnapshot GiveUp(OutboundCallSnapshot call, DateTimeOffset now) =>
        Finish(call, OutboundCallResult.Failed, call.Phase == OutboundCallPhase.Placed ? ExpiredCause : NoResultCause, call.Digits, null, now);

    /// <summary>
    /// The call after its gateway said it started again at <paramref name="startedAt"/>, by the clock its reports
    /// carry: a call claimed before then was the old process's, which is gone, and fails; an unclaimed one is still
    /// to be dialled by the new process (its command is delivered again), and one claimed since is the new one's.
    /// </summary>
    public static OutboundCallSnapshot AfterGatewayRestart(OutboundCallSnapshot call, DateTimeOffset startedAt, DateTimeOffset now) =>
        call is { Phase: > OutboundCallPhase.Placed and < OutboundCallPhase.Finished, DialedAt: { } dialed } && dialed < startedAt
            ? Finish(call, OutboundCallResult.Failed, GatewayRestartedCause, call.Digits, null, now)
            : call;

    private static (OutboundCallSnapshot, string?) Claim(OutboundCallSnapshot call, string? grantedAttempt, OutboundProgress report, DateTimeOffset now)
    {
        if (grantedAttempt is not null)
        {
            // The same attempt asking again (the answer to its claim was lost) may go on; any other may not.
            return grantedAttempt == report.Attempt && call.Phase != OutboundCallPhase.Finished
                ? (call, null)
                : (call, $"the call was claimed by attempt '{grantedAttempt}' and is {Describe(call)}: do not dial it");
        }

        if (call.Phase == OutboundCallPhase.Finished)
        {
            return (call, $"the call is finished ({Describe(call)}): do not dial it");
        }

        if (now > call.PlacedAt + ClaimWithin)
        {
            return (Finish(call, OutboundCallResult.Failed, ExpiredCause, null, null, now),
                $"the call was placed at {call.PlacedAt:O}, more than {ClaimWithin.TotalMinutes:0} minutes ago: it expired, do not dial it");
        }

        return (call with { Phase = OutboundCallPhase.Dialing, DialedAt = report.At }, null);
    }

    private static OutboundCallSnapshot Finish(OutboundCallSnapshot call, OutboundCallResult result, string? cause, string? digits, int? sipStatus, DateTimeOffset at) =>
        call with { Phase = OutboundCallPhase.Finished, Result = result, Cause = cause, Digits = digits ?? call.Digits, SipStatus = sipStatus, FinishedAt = at };

    private static string Describe(OutboundCallSnapshot call) =>
        call.Result is { } result ? $"{result}{(call.Cause is null ? "" : $", {call.Cause}")}" : call.Phase.ToString().ToLowerInvariant();
}
