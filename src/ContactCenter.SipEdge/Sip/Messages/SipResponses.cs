namespace ContactCenter.SipEdge.Sip.Messages;

/// <summary>Responses built from their request (RFC 3261 section 8.2.6): Via, From, Call-ID and CSeq copied, To with the answering side's tag.</summary>
public static class SipResponses
{
    private static readonly Dictionary<int, string> Reasons = new()
    {
        [100] = "Trying",
        [180] = "Ringing",
        [183] = "Session Progress",
        [200] = "OK",
        [202] = "Accepted",
        [400] = "Bad Request",
        [401] = "Unauthorized",
        [403] = "Forbidden",
        [404] = "Not Found",
        [405] = "Method Not Allowed",
        [408] = "Request Timeout",
        [415] = "Unsupported Media Type",
        [420] = "Bad Extension",
        [480] = "Temporarily Unavailable",
        [481] = "Call/Transaction Does Not Exist",
        [482] = "Loop Detected",
        [483] = "Too Many Hops",
        [486] = "Busy Here",
        [487] = "Request Terminated",
        [488] = "Not Acceptable Here",
        [491] = "Request Pending",
        [500] = "Server Internal Error",
        [501] = "Not Implemented",
        [503] = "Service Unavailable",
        [603] = "Decline",
    };

    public static string ReasonFor(int code) => Reasons.GetValueOrDefault(code, code switch
    {
        < 200 => "Progress",
        < 300 => "OK",
        < 400 => "Redirect",
        < 500 => "Client Error",
        < 600 => "Server Error",
        _ => "Global Failure",
    });

    /// <param name="toTag">The tag this side gives the dialog; kept from the request when it has one (an in-dialog request).</param>
    public static SipResponse CreateResponse(this SipRequest request, int code, string? toTag = null, string? reason = null)
    {
        var response = new SipResponse { StatusCode = code, Reason = reason ?? ReasonFor(code) };
        foreach (var (name, value) in request.Headers)
        {
            if (name is "Via" or "From" or "Call-ID" or "CSeq" or "Record-Route" && !(name == "Record-Route" && code == 100))
            {
                response.Headers.Add(name, value);
            }
        }

        var to = request.Headers["To"] ?? "";
        if (code != 100 && toTag is not null && NameAddress.TryParse(to, out var address) && address!.Tag is null)
        {
            to = address.WithTag(toTag).ToString();
        }

        response.Headers.Add("To", to);
        return response;
    }
}
