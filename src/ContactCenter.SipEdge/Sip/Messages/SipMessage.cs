using System.Globalization;
using System.Text;

namespace ContactCenter.SipEdge.Sip.Messages;

/// <summary>A SIP request or response (RFC 3261 section 7): a start line, header fields and a body.</summary>
public abstract class SipMessage
{
    public SipHeaders Headers { get; init; } = new();

    public byte[] Body { get; set; } = [];

    public string CallId => Headers["Call-ID"] ?? "";

    public CSeq CSeq => CSeq.Parse(Headers["CSeq"] ?? "");

    /// <summary>The top Via: the hop that sent this request, or the one a response goes back to.</summary>
    public Via TopVia => Via.Parse(Headers.Values("Via").First());

    public NameAddress From => NameAddress.Parse(Headers["From"] ?? "");

    public NameAddress To => NameAddress.Parse(Headers["To"] ?? "");

    public string? ContentType => Headers["Content-Type"];

    public bool HasSdp => Body.Length > 0 && ContentType is { } type && type.StartsWith("application/sdp", StringComparison.OrdinalIgnoreCase);

    protected abstract string StartLine { get; }

    /// <summary>The message on the wire, with a Content-Length that matches the body whatever the headers said.</summary>
    public byte[] ToBytes()
    {
        var text = new StringBuilder(512);
        text.Append(StartLine).Append("\r\n");
        foreach (var (name, value) in Headers)
        {
            if (!string.Equals(name, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                text.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        text.Append("Content-Length: ").Append(Body.Length.ToString(CultureInfo.InvariantCulture)).Append("\r\n\r\n");
        var head = Encoding.UTF8.GetBytes(text.ToString());
        var bytes = new byte[head.Length + Body.Length];
        head.CopyTo(bytes, 0);
        Body.CopyTo(bytes, head.Length);
        return bytes;
    }

    public override string ToString() => Encoding.UTF8.GetString(ToBytes());
}

public sealed class SipRequest : SipMessage
{
    public required string Method { get; init; }

    public required SipUri RequestUri { get; set; }

    protected override string StartLine => $"{Method} {RequestUri} SIP/2.0";
}

public sealed class SipResponse : SipMessage
{
    public required int StatusCode { get; init; }

    public required string Reason { get; init; }

    public bool IsProvisional => StatusCode < 200;

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    protected override string StartLine => $"SIP/2.0 {StatusCode.ToString(CultureInfo.InvariantCulture)} {Reason}";
}

/// <summary>The methods the edge knows (RFC 3261 and RFC 3262's PRACK is not among them: the edge never requires 100rel).</summary>
public static class SipMethods
{
    public const string Invite = "INVITE";
    public const string Ack = "ACK";
    public const string Bye = "BYE";
    public const string Cancel = "CANCEL";
    public const string Options = "OPTIONS";
    public const string Register = "REGISTER";
    public const string Info = "INFO";
    public const string Refer = "REFER";
    public const string Notify = "NOTIFY";

    /// <summary>What the edge answers in Allow.</summary>
    public const string Allowed = "INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER, REFER";
}
