using System.Globalization;
using System.Net;
using System.Text;

namespace ContactCenter.Sms;

/// <summary>Kannel's smsbox as the SMS gateway (section <c>ContactCenter:Sms:Kannel</c>).</summary>
public sealed class KannelOptions
{
    /// <summary>smsbox's sendsms interface, e.g. <c>http://127.0.0.1:13013/cgi-bin/sendsms</c>.</summary>
    public Uri? SendSmsUrl { get; set; }

    /// <summary>A <c>sendsms-user</c> of smsbox's configuration.</summary>
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    /// <summary>The number the messages come from, which subscribers reply to (the hotline's short code).</summary>
    public string From { get; set; } = "";

    /// <summary>Where Kannel reports deliveries; the message's reference and the report's status are added to it.</summary>
    public Uri? DeliveryReportUrl { get; set; }

    /// <summary>
    /// The secret Kannel's <c>get-url</c> and delivery reports carry as <c>key=</c> to the silo's SMS endpoints (Kannel
    /// sends no credentials of its own): requests without it are refused. Unset: the endpoints refuse everything.
    /// </summary>
    public string InboundKey { get; set; } = "";

    /// <summary>The country code numbers without one are taken to be in (a mobile's 11 digits, as Chinese SMS centers pass them).</summary>
    public string CountryCode { get; set; } = "86";
}

/// <summary>
/// Sends through Kannel's <c>sendsms</c> HTTP interface: the text as UTF-8 for Kannel to send as UCS-2 (coding 2:
/// Chinese), a delivery report asked for (delivered, failed, taken by the SMS center) to
/// <see cref="KannelOptions.DeliveryReportUrl"/> with the message's reference and Kannel's <c>%d</c> status.
/// Kannel answers 202 when it took the message (sent on, or queued for later); 4xx is a refusal for good; 5xx, or no
/// connection, is the gateway being unavailable; a request that went out and had no answer is of unknown outcome.
/// </summary>
public sealed class KannelSmsGateway(HttpClient http, KannelOptions options) : ISmsGateway
{
    /// <summary>Kannel's <c>dlr-mask</c>: delivered (1), failed (2), taken by the SMS center (8).</summary>
    private const int DeliveryReportMask = 1 | 2 | 8;

    public async Task<SmsSubmission> SendAsync(OutgoingSms message, CancellationToken cancellationToken)
    {
        var url = options.SendSmsUrl ?? throw new InvalidOperationException("ContactCenter:Sms:Kannel:SendSmsUrl is not set");
        var query = new StringBuilder()
            .Append("username=").Append(Uri.EscapeDataString(options.Username))
            .Append("&password=").Append(Uri.EscapeDataString(options.Password))
            .Append("&from=").Append(Uri.EscapeDataString(options.From))
            .Append("&to=").Append(Uri.EscapeDataString(message.To))
            .Append("&text=").Append(Uri.EscapeDataString(message.Text))
            .Append("&charset=UTF-8&coding=2");
        if (options.DeliveryReportUrl is { } reports)
        {
            query.Append("&dlr-mask=").Append(DeliveryReportMask.ToString(CultureInfo.InvariantCulture))
                .Append("&dlr-url=").Append(Uri.EscapeDataString(DeliveryReportUrl(reports, message.Reference)));
        }

        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(new UriBuilder(url) { Query = query.ToString() }.Uri, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError)
        {
            throw new SmsGatewayUnavailableException($"Kannel at {url.GetLeftPart(UriPartial.Authority)} could not be reached: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // The request went out: Kannel may have taken the message before the answer was lost.
            throw new SmsSubmissionUnknownException($"Kannel at {url.GetLeftPart(UriPartial.Authority)} did not answer: {ex.Message}", ex);
        }

        using (response)
        {
            var status = (int)response.StatusCode;
            if (status is (int)HttpStatusCode.Accepted or (int)HttpStatusCode.OK)
            {
                return SmsSubmission.Accepted; // taken, whatever becomes of reading the body
            }

            var body = await BodyAsync(response, cancellationToken);
            return status is >= 400 and < 500
                ? new SmsSubmission(false, $"Kannel refused the message ({status}: {body})")
                : throw new SmsGatewayUnavailableException($"Kannel answered {status}: {body}");
        }
    }

    private static async Task<string> BodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            return $"(the answer's body could not be read: {ex.Message})";
        }
    }

    /// <summary>The delivery report's URL for one message: Kannel fills in <c>%d</c> with the report's status.</summary>
    private static string DeliveryReportUrl(Uri reports, string reference)
    {
        var separator = string.IsNullOrEmpty(reports.Query) ? "?" : "&";
        // AbsoluteUri keeps the URL's escapes (ToString() would decode a key's %2B into a '+', a space to the silo).
        return $"{reports.AbsoluteUri}{separator}ref={Uri.EscapeDataString(reference)}&status=%d";
    }

    /// <summary>What Kannel's <c>%d</c> status of a delivery report means (its dlr-mask bits).</summary>
    public static SmsDelivery? DeliveryOf(int status) => status switch
    {
        1 => SmsDelivery.Delivered,
        2 or 16 => SmsDelivery.Failed,
        4 or 8 => SmsDelivery.Accepted,
        _ => null,
    };
}
