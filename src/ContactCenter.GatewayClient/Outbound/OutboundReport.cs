namespace ContactCenter.GatewayClient;

/// <summary>The steps of an outbound call (<c>place_call</c>) a gateway reports, in order.</summary>
public static class OutboundSteps
{
    /// <summary>The claim made before dialling: dial only when the cluster grants it (<see cref="OutboundAnswer.Taken"/>).</summary>
    public const string Dialing = "dialing";
    public const string Ringing = "ringing";
    public const string Answered = "answered";
    /// <summary>The end, with a <see cref="OutboundReport.Result"/>.</summary>
    public const string Finished = "finished";
}

/// <summary>How an outbound call ended, for <see cref="OutboundReport.Result"/>.</summary>
public static class OutboundResults
{
    /// <summary>Answered; the keys pressed (maybe none) in <see cref="OutboundReport.Digits"/>.</summary>
    public const string Answered = "answered";
    /// <summary>Rang out, or 408 or 480.</summary>
    public const string NoAnswer = "noAnswer";
    /// <summary>486 or 600.</summary>
    public const string Busy = "busy";
    /// <summary>603 or 403.</summary>
    public const string Declined = "declined";
    /// <summary>404, 410, 484, or 5xx from the trunk.</summary>
    public const string Unreachable = "unreachable";
    /// <summary>The gateway's own reasons (no room, the request expired, an unknown prompt): see the cause.</summary>
    public const string Failed = "failed";
}

/// <summary>One step of an outbound call, as <see cref="ContactCenterClient.ReportOutboundAsync"/> sends it.</summary>
/// <param name="Step">One of <see cref="OutboundSteps"/>.</param>
/// <param name="Attempt">The gateway's id of this attempt at the call, the same in all its reports: a repeated claim of the same attempt is granted again.</param>
/// <param name="At">When it happened, by the gateway's clock.</param>
public sealed record OutboundReport(string Step, string Attempt, DateTimeOffset At)
{
    /// <summary>For <see cref="OutboundSteps.Finished"/>: one of <see cref="OutboundResults"/>.</summary>
    public string? Result { get; init; }

    /// <summary>The keys pressed so far, in order.</summary>
    public string? Digits { get; init; }

    /// <summary>Why it finished, in the gateway's words (<c>completed</c>, <c>hung_up</c>, <c>no_answer</c>...).</summary>
    public string? Cause { get; init; }

    /// <summary>The final SIP status of a call not answered.</summary>
    public int? SipStatus { get; init; }
}

/// <summary>The cluster's answer to a report.</summary>
/// <param name="Taken">Recorded (or a repeat of one recorded). For a <see cref="OutboundSteps.Dialing"/> claim: dial.</param>
/// <param name="Refusal">Why it was not taken (another attempt has the call, it is finished, it expired): for a claim, do not dial.</param>
public sealed record OutboundAnswer(bool Taken, string? Refusal);
