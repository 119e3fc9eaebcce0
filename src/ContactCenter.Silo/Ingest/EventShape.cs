using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.Unicode;

namespace ContactCenter.Ingest;

/// <summary>
/// What makes a JSON object unreadable before any of its fields is looked at. JSON's grammar allows strings that
/// are no Unicode text (an escaped lone surrogate such as <c>"\ud800"</c>; bytes that are not UTF-8 pass the
/// parser too) and names given twice (parsers disagree on which one counts). Reading such a string throws, so
/// each event is checked first and refused with the reason; afterwards reading its fields cannot throw.
/// </summary>
internal static class EventShape
{
    public const string NotText = "not valid Unicode text (bytes that are not UTF-8, or an escaped lone surrogate such as \\ud800)";

    /// <summary>The first thing wrong with the event object's shape, or null when every name and string in it can be read.</summary>
    public static string? Problem(JsonElement e)
    {
        var index = 0;
        foreach (var field in e.EnumerateObject())
        {
            if (index == IngestLimits.MaxFieldsPerEvent)
            {
                return $"an event has at most {IngestLimits.MaxFieldsPerEvent} fields";
            }

            if (!IsReadableName(field))
            {
                return $"field {index + 1}'s name is {NotText}";
            }

            // Quadratic in the fields, which are few and bounded; no allocation for the usual unescaped names.
            var name = UnescapedName(field);
            var earlier = 0;
            foreach (var other in e.EnumerateObject())
            {
                if (earlier++ == index)
                {
                    break;
                }

                if (other.NameEquals(name))
                {
                    return $"'{Shown(field.Name)}' is given twice";
                }
            }

            if (!IsReadable(field.Value))
            {
                return $"'{Shown(field.Name)}' holds text that is {NotText}";
            }

            index++;
        }

        return null;
    }

    /// <summary>True when the property's name can be read as a string.</summary>
    public static bool IsReadableName(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return Utf8.IsValid(raw);
        }

        try
        {
            _ = property.Name;
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>True when every string and name in the value, however nested, can be read.</summary>
    public static bool IsReadable(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return IsReadableString(value);
            case JsonValueKind.Array:
                foreach (var item in value.EnumerateArray())
                {
                    if (!IsReadable(item))
                    {
                        return false;
                    }
                }

                return true;
            case JsonValueKind.Object:
                foreach (var field in value.EnumerateObject())
                {
                    if (!IsReadableName(field) || !IsReadable(field.Value))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    private static bool IsReadableString(JsonElement value)
    {
        // Almost every string a gateway sends has no escape: checking its bytes costs no allocation.
        var raw = JsonMarshal.GetRawUtf8Value(value);
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return Utf8.IsValid(raw);
        }

        try
        {
            _ = value.GetString();
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>A name as a reason quotes it: an unknown field's name can be as long as the body.</summary>
    private static string Shown(string name)
    {
        const int Longest = 64;
        if (name.Length <= Longest)
        {
            return name;
        }

        // Not cut between the halves of a surrogate pair, which would leave the reason itself no text.
        var cut = char.IsHighSurrogate(name[Longest - 1]) ? Longest - 1 : Longest;
        return string.Concat(name.AsSpan(0, cut), "...");
    }

    private static ReadOnlySpan<byte> UnescapedName(JsonProperty property)
    {
        var raw = JsonMarshal.GetRawUtf8PropertyName(property);
        return raw.IndexOf((byte)'\\') < 0 ? raw : Encoding.UTF8.GetBytes(property.Name);
    }
}
