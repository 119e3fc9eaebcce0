using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace ContactCenter.SipEdge.Sip.Messages;

/// <summary>A <c>sip:</c> or <c>sips:</c> URI (RFC 3261 section 19.1): user, host, port and parameters; headers after '?' are kept verbatim.</summary>
public sealed record SipUri(string Scheme, string? User, string Host, int? Port, IReadOnlyList<KeyValuePair<string, string?>> Parameters, string? HeadersPart = null)
{
    public string? Parameter(string name) => Parameters.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public bool HasParameter(string name) => Parameters.Any(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The transport the URI asks for (<c>transport=tcp</c>), UDP by default.</summary>
    public string Transport => Parameter("transport")?.ToUpperInvariant() ?? "UDP";

    /// <summary>The address of record: the URI without port and parameters, as a registrar keys bindings.</summary>
    public string AddressOfRecord => $"{Scheme}:{(User is null ? "" : User + "@")}{Host}".ToLowerInvariant();

    public static SipUri Parse(string text) =>
        TryParse(text, out var uri) ? uri : throw new FormatException($"not a SIP URI: '{Truncate(text)}'");

    public static bool TryParse(string? text, [NotNullWhen(true)] out SipUri? uri)
    {
        uri = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        var colon = text.IndexOf(':');
        if (colon <= 0)
        {
            return false;
        }

        var scheme = text[..colon].ToLowerInvariant();
        if (scheme is not ("sip" or "sips"))
        {
            return false;
        }

        var rest = text[(colon + 1)..];
        string? headers = null;
        var question = rest.IndexOf('?');
        if (question >= 0)
        {
            headers = rest[(question + 1)..];
            rest = rest[..question];
        }

        string? user = null;
        var at = rest.LastIndexOf('@');
        if (at >= 0)
        {
            user = rest[..at];
            rest = rest[(at + 1)..];
            if (user.Length == 0)
            {
                return false;
            }
        }

        var parameters = new List<KeyValuePair<string, string?>>();
        var semicolon = rest.IndexOf(';');
        if (semicolon >= 0)
        {
            foreach (var parameter in rest[(semicolon + 1)..].Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = parameter.IndexOf('=');
                parameters.Add(equals < 0 ? new(parameter, null) : new(parameter[..equals], parameter[(equals + 1)..]));
            }

            rest = rest[..semicolon];
        }

        if (!TrySplitHostPort(rest, out var host, out var port))
        {
            return false;
        }

        uri = new SipUri(scheme, user, host, port, parameters, headers);
        return true;
    }

    /// <summary>Splits <c>host[:port]</c>, with an IPv6 reference in brackets.</summary>
    internal static bool TrySplitHostPort(string text, out string host, out int? port)
    {
        host = text;
        port = null;
        var portColon = text.StartsWith('[') ? text.IndexOf("]:", StringComparison.Ordinal) + 1 : text.LastIndexOf(':');
        if (portColon > 0)
        {
            if (!int.TryParse(text.AsSpan(portColon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                return false;
            }

            port = number;
            host = text[..portColon];
        }

        return host.Length > 0 && host.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '[' or ']' or ':' or '_');
    }

    public override string ToString()
    {
        var text = $"{Scheme}:{(User is null ? "" : User + "@")}{Host}{(Port is { } p ? ":" + p.ToString(CultureInfo.InvariantCulture) : "")}";
        foreach (var (name, value) in Parameters)
        {
            text += value is null ? $";{name}" : $";{name}={value}";
        }

        return HeadersPart is null ? text : $"{text}?{HeadersPart}";
    }

    internal static string Truncate(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
