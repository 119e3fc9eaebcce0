using System.Globalization;
using System.Text.Json;

namespace ContactCenter.Ingest;

/// <summary>
/// Reads one event object's fields and remembers the first thing wrong with it, so the parser can state each
/// event's shape in one expression and still give a precise reason ("'caller': not an E.164 number").
/// </summary>
internal sealed class EventFields(JsonElement element)
{
    public string? Error { get; private set; }

    public string Id(string name) => Text(name, IngestLimits.MaxIdLength, IsIdentifier, "letters, digits and . _ : - @ / only");

    public string? OptionalId(string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Id(name) : null;

    public string Reference(string name) => Text(name, IngestLimits.MaxReferenceLength, s => !s.Any(char.IsControl), "no control characters");

    public string Text(string name, int maxLength, Func<string, bool> isValid, string rule)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return Fail($"'{name}' is required");
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return Fail($"'{name}' must be a string");
        }

        var text = value.GetString()!;
        if (text.Length == 0 || text.Length > maxLength)
        {
            return Fail($"'{name}' must be 1 to {maxLength} characters");
        }

        return isValid(text) ? text : Fail($"'{name}': {rule}");
    }

    public int Sequence(string name)
    {
        if (!element.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.Number)
        {
            return Fail<int>($"'{name}' is required and must be a number");
        }

        return value.TryGetInt32(out var sequence) && sequence is >= 1 and <= IngestLimits.MaxSequence
            ? sequence
            : Fail<int>($"'{name}' must be a whole number from 1 to {IngestLimits.MaxSequence}");
    }

    /// <summary>An ISO-8601 time with an offset, within <paramref name="window"/>.</summary>
    public DateTimeOffset Timestamp(string name, EventTimeWindow window)
    {
        var text = Text(name, 40, _ => true, "");
        if (Error is not null)
        {
            return default;
        }

        if (!TryParseTime(text, out var time))
        {
            return Fail<DateTimeOffset>($"'{name}' must be {TimeFormat}");
        }

        return window.Problem(name, time) is { } outside ? Fail<DateTimeOffset>(outside) : time.ToUniversalTime();
    }

    /// <summary>What a time field must be, for error messages.</summary>
    public const string TimeFormat = "an ISO-8601 time with an offset, e.g. 2026-11-23T08:00:00Z";

    /// <summary>An ISO-8601 time that says its offset: a time without one would be read in the silo's own zone.</summary>
    public static bool TryParseTime(string? text, out DateTimeOffset time)
    {
        time = default;
        return text is not null && HasOffset(text) && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out time);
    }

    public TEnum Enum<TEnum>(string name) where TEnum : struct, Enum
    {
        var text = Text(name, 32, _ => true, "");
        if (Error is not null)
        {
            return default;
        }

        return System.Enum.TryParse<TEnum>(text, ignoreCase: true, out var value) && System.Enum.IsDefined(value) && !char.IsDigit(text[0])
            ? value
            : Fail<TEnum>($"'{name}' must be one of {string.Join(", ", System.Enum.GetNames<TEnum>().Select(n => n.ToLowerInvariant()))}");
    }

    public void Require(bool condition, string reason)
    {
        if (!condition)
        {
            Fail(reason);
        }
    }

    /// <summary>A non-empty id of at most <see cref="IngestLimits.MaxIdLength"/> identifier characters.</summary>
    internal static bool IsValidId(string? text) => text is { Length: > 0 and <= IngestLimits.MaxIdLength } && IsIdentifier(text);

    internal static bool IsIdentifier(string text) =>
        text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or ':' or '-' or '@' or '/');

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');

    private string Fail(string reason) => Fail<string>(reason)!;

    private T Fail<T>(string reason)
    {
        Error ??= reason;
        return default!;
    }
}
