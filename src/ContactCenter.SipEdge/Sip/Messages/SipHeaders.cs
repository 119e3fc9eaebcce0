namespace ContactCenter.SipEdge.Sip.Messages;

/// <summary>
/// A message's header fields in their order, names compared case-insensitively with the compact forms of RFC 3261
/// section 7.3.3 read as their long names. A header given as a comma-separated list stays one entry; the
/// callers that need one element (Via) split it.
/// </summary>
public sealed class SipHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private static readonly Dictionary<string, string> CompactForms = new(StringComparer.OrdinalIgnoreCase)
    {
        ["i"] = "Call-ID",
        ["f"] = "From",
        ["t"] = "To",
        ["v"] = "Via",
        ["m"] = "Contact",
        ["l"] = "Content-Length",
        ["c"] = "Content-Type",
        ["k"] = "Supported",
        ["s"] = "Subject",
        ["e"] = "Content-Encoding",
        ["r"] = "Refer-To",
        ["b"] = "Referred-By",
        ["o"] = "Event",
    };

    private readonly List<KeyValuePair<string, string>> _fields = [];

    public int Count => _fields.Count;

    /// <summary>The first value of the header, or null.</summary>
    public string? this[string name]
    {
        get
        {
            foreach (var field in _fields)
            {
                if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return field.Value;
                }
            }

            return null;
        }
    }

    public static string LongName(string name) => CompactForms.TryGetValue(name, out var full) ? full : name;

    public void Add(string name, string value) => _fields.Add(new(LongName(name), value));

    /// <summary>Replaces every value of the header with one (or adds it).</summary>
    public void Set(string name, string value)
    {
        var at = _fields.FindIndex(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));
        Remove(name);
        _fields.Insert(at < 0 ? _fields.Count : Math.Min(at, _fields.Count), new(name, value));
    }

    public void Remove(string name) => _fields.RemoveAll(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Every value of the header, a comma-separated field split into its elements (outside quotes and angle brackets).</summary>
    public IEnumerable<string> Values(string name)
    {
        foreach (var field in _fields)
        {
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                foreach (var element in SplitList(field.Value))
                {
                    yield return element;
                }
            }
        }
    }

    public SipHeaders Copy()
    {
        var copy = new SipHeaders();
        copy._fields.AddRange(_fields);
        return copy;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _fields.GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    internal static IEnumerable<string> SplitList(string value)
    {
        var start = 0;
        var quoted = false;
        var angle = 0;
        for (var i = 0; i < value.Length; i++)
        {
            switch (value[i])
            {
                case '"' when i == 0 || value[i - 1] != '\\':
                    quoted = !quoted;
                    break;
                case '<' when !quoted:
                    angle++;
                    break;
                case '>' when !quoted && angle > 0:
                    angle--;
                    break;
                case ',' when !quoted && angle == 0:
                    if (value.AsSpan(start, i - start).Trim().Length > 0)
                    {
                        yield return value[start..i].Trim();
                    }

                    start = i + 1;
                    break;
            }
        }

        if (value.AsSpan(start).Trim().Length > 0)
        {
            yield return value[start..].Trim();
        }
    }
}
