using System.Text;

namespace ContactCenter.SipEdge.Sip.Messages;

/// <summary>
/// The value of From, To or Contact (RFC 3261 section 20.10): an optional display name, a URI (in angle brackets
/// or bare) and header parameters such as <c>tag</c> and <c>expires</c>.
/// </summary>
public sealed record NameAddress(string? DisplayName, SipUri Uri, IReadOnlyList<KeyValuePair<string, string?>> Parameters)
{
    public string? Tag => Parameter("tag");

    public string? Parameter(string name) => Parameters.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public NameAddress WithTag(string tag) =>
        this with { Parameters = [.. Parameters.Where(p => !string.Equals(p.Key, "tag", StringComparison.OrdinalIgnoreCase)), new("tag", tag)] };

    public static NameAddress Parse(string text) =>
        TryParse(text, out var address) ? address! : throw new FormatException($"not a name-addr: '{SipUri.Truncate(text)}'");

    public static bool TryParse(string? text, out NameAddress? address)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        string? display = null;
        string uriText;
        string parameters;
        var open = IndexOfUnquoted(text, '<');
        if (open >= 0)
        {
            var close = text.IndexOf('>', open);
            if (close < 0)
            {
                return false;
            }

            display = text[..open].Trim().Trim('"');
            uriText = text[(open + 1)..close];
            parameters = text[(close + 1)..];
        }
        else
        {
            // A bare URI: its parameters are the header's (RFC 3261 section 20.10).
            var semicolon = text.IndexOf(';');
            uriText = semicolon < 0 ? text : text[..semicolon];
            parameters = semicolon < 0 ? "" : text[semicolon..];
        }

        if (!SipUri.TryParse(uriText, out var uri))
        {
            return false;
        }

        address = new NameAddress(string.IsNullOrEmpty(display) ? null : display, uri, ParseParameters(parameters));
        return true;
    }

    internal static List<KeyValuePair<string, string?>> ParseParameters(string text)
    {
        var list = new List<KeyValuePair<string, string?>>();
        foreach (var parameter in text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = parameter.IndexOf('=');
            list.Add(equals < 0 ? new(parameter, null) : new(parameter[..equals].Trim(), parameter[(equals + 1)..].Trim()));
        }

        return list;
    }

    private static int IndexOfUnquoted(string text, char wanted)
    {
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (text[i] == wanted && !quoted)
            {
                return i;
            }
        }

        return -1;
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        if (DisplayName is not null)
        {
            text.Append('"').Append(DisplayName.Replace("\"", "", StringComparison.Ordinal)).Append("\" ");
        }

        text.Append('<').Append(Uri).Append('>');
        foreach (var (name, value) in Parameters)
        {
            text.Append(';').Append(name);
            if (value is not null)
            {
                text.Append('=').Append(value);
            }
        }

        return text.ToString();
    }
}
