using System.Globalization;

namespace ContactCenter.SipEdge.Sip.Messages;

/// <summary>One Via element (RFC 3261 section 20.42; <c>rport</c> from RFC 3581): the transport, the sent-by address and the branch.</summary>
public sealed record Via(string Transport, string Host, int? Port, IReadOnlyList<KeyValuePair<string, string?>> Parameters)
{
    /// <summary>The RFC 3261 branch prefix: a branch that starts with it is unique per transaction.</summary>
    public const string MagicCookie = "z9hG4bK";

    public string? Branch => Parameter("branch");

    public string SentBy => Port is { } port ? $"{Host}:{port.ToString(CultureInfo.InvariantCulture)}" : Host;

    public string? Parameter(string name) => Parameters.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public bool HasParameter(string name) => Parameters.Any(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));

    public Via WithParameter(string name, string? value) =>
        this with { Parameters = [.. Parameters.Where(p => !string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)), new(name, value)] };

    public static Via Parse(string text)
    {
        // SIP/2.0/UDP host:port;branch=...
        var slash = text.IndexOf('/', text.IndexOf('/') + 1);
        var space = text.IndexOfAny([' ', '\t'], Math.Max(slash, 0));
        if (slash < 0 || space < 0 || !text.StartsWith("SIP/2.0/", StringComparison.OrdinalIgnoreCase))
        {
            throw new FormatException($"not a Via: '{SipUri.Truncate(text)}'");
        }

        var transport = text[(slash + 1)..space].Trim().ToUpperInvariant();
        var rest = text[space..].Trim();
        var semicolon = rest.IndexOf(';');
        var sentBy = (semicolon < 0 ? rest : rest[..semicolon]).Trim();
        if (!SipUri.TrySplitHostPort(sentBy, out var host, out var port))
        {
            throw new FormatException($"not a Via sent-by: '{SipUri.Truncate(sentBy)}'");
        }

        return new Via(transport, host, port, NameAddress.ParseParameters(semicolon < 0 ? "" : rest[semicolon..]));
    }

    public override string ToString()
    {
        var text = $"SIP/2.0/{Transport} {SentBy}";
        foreach (var (name, value) in Parameters)
        {
            text += value is null ? $";{name}" : $";{name}={value}";
        }

        return text;
    }
}

/// <summary>The CSeq header (RFC 3261 section 20.16): a sequence number and the method.</summary>
public readonly record struct CSeq(long Number, string Method)
{
    public static CSeq Parse(string text)
    {
        var parts = text.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > uint.MaxValue)
        {
            throw new FormatException($"not a CSeq: '{SipUri.Truncate(text)}'");
        }

        return new CSeq(number, parts[1]);
    }

    public override string ToString() => $"{Number.ToString(CultureInfo.InvariantCulture)} {Method}";
}
