namespace ContactCenter.Sms;

/// <summary>
/// The seam to the operator's SMS center: the surveys send through it and hear back through their own endpoints.
/// Kannel's HTTP interface is the one implemented (the silo's <c>KannelSmsGateway</c>); an SMPP client or a vendor's
/// HTTP API would be another.
/// </summary>
public interface ISmsGateway
{
    /// <summary>
    /// Hands one message to the SMS center. Returns whether it was taken; throws <see cref="SmsGatewayUnavailableException"/>
    /// when the gateway could not be reached or failed (nothing was sent: the sender tries again later), and
    /// <see cref="SmsSubmissionUnknownException"/> when the message went out and no answer came back (it may have been
    /// taken: the sender waits for a delivery report before it sends again).
    /// </summary>
    Task<SmsSubmission> SendAsync(OutgoingSms message, CancellationToken cancellationToken);
}

/// <param name="Reference">The sender's id for the message, carried back by its delivery reports.</param>
/// <param name="To">The subscriber's E.164 number.</param>
public sealed record OutgoingSms(string Reference, string To, string Text);

/// <summary>The gateway's answer: taken (queued or sent on), or refused for good with its reason (a bad number, bad credentials).</summary>
public sealed record SmsSubmission(bool Taken, string? Refusal)
{
    public static readonly SmsSubmission Accepted = new(true, null);
}

/// <summary>The SMS gateway could not be reached or failed: nothing was sent, and the message may be sent again.</summary>
public sealed class SmsGatewayUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>The message was handed over and the gateway's answer did not come (timed out, connection lost): it may have been taken.</summary>
public sealed class SmsSubmissionUnknownException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>What a delivery report says happened to a message.</summary>
public enum SmsDelivery
{
    /// <summary>Delivered to the phone.</summary>
    Delivered,
    /// <summary>Taken by the SMS center, not delivered yet.</summary>
    Accepted,
    /// <summary>Not delivered, and it will not be.</summary>
    Failed,
}

/// <summary>No SMS gateway configured: every message finds the gateway unavailable, and waits for one.</summary>
public sealed class NoSmsGateway : ISmsGateway
{
    public Task<SmsSubmission> SendAsync(OutgoingSms message, CancellationToken cancellationToken) =>
        throw new SmsGatewayUnavailableException("no SMS gateway is configured (ContactCenter:Sms:Kannel)");
}
