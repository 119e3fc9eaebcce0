using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ContactCenter.Tests.Ingest;

/// <summary>
/// Makes gateway batches and breaks them the ways a buggy or hostile gateway would: flipped bytes, truncation,
/// escapes that are no text (lone surrogates), fields removed, duplicated or of the wrong type, huge values and
/// deep nesting. Seeded, so a failure repeats.
/// </summary>
public sealed class BatchMutator(int seed, string queue)
{
    private static readonly string[] Types = ["offered", "ivr_entered", "ivr_exited", "queued", "agent_ringing", "answered", "held", "resumed", "transferred", "participant_joined", "recording_started", "ended"];
    private static readonly string[] Escapes = [@"\ud800", @"\udc00", @"\udbff\u0041", @"\ud83d\ude00", @"\u0000", @"\u001f", @"\uffff", @"\\", @"\""", @"\/", @"\u00e9", @"\x", @"\u12"];
    private static readonly string[] Scalars =
        ["null", "true", "0", "-1", "1e400", "-1e400", "1.5", "123456789012345678901234567890", "\"\"", "{}", "[]", "[[[[[[[[1]]]]]]]]", "{\"a\":{\"b\":{\"c\":\"\\ud800\"}}}", "\"2026-02-30T25:61:00Z\"", "\"0001-01-01T00:00:00+14:00\""];

    private readonly Random _random = new(seed);
    private int _calls;

    /// <summary>A valid batch of a few calls' first events; the events' JSON objects, in order.</summary>
    public JsonArray ValidEvents()
    {
        var events = new JsonArray();
        var now = DateTimeOffset.UtcNow.ToString("O");
        for (var c = _random.Next(1, 4); c > 0; c--)
        {
            var call = $"fuzz-{seed}-{_calls++}";
            events.Add(Event(call, 1, "offered", now, ("caller", "+8613812345678"), ("dialled", "10086"), ("region", "nanjing")));
            events.Add(Event(call, 2, "ivr_entered", now, ("menu", "main")));
            events.Add(Event(call, 3, "ivr_exited", now, ("menuPath", "main/billing")));
            events.Add(Event(call, 4, "queued", now, ("queue", queue)));
        }

        return events;
    }

    /// <summary>A valid batch with one to three mutations applied, as the bytes that would be posted.</summary>
    public byte[] Mutated()
    {
        var events = ValidEvents();
        for (var n = _random.Next(1, 4); n > 0; n--)
        {
            MutateStructure(events);
        }

        var text = new JsonObject { ["events"] = events }.ToJsonString();
        for (var k = 0; k < Scalars.Length; k++)
        {
            text = text.Replace($"\"{RawMarker(k)}\"", Scalars[k], StringComparison.Ordinal);
        }

        for (var n = _random.Next(0, 3); n > 0; n--)
        {
            text = MutateText(text);
        }

        if (_random.Next(200) == 0)
        {
            // Past the body limit (1 MiB): refused whole, 413.
            text = text.Insert(text.Length / 2, new string(' ', 1_100_000));
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        return bytes.Length > 0 && _random.Next(10) == 0 ? MutateBytes(bytes) : bytes;
    }

    private static JsonObject Event(string call, int sequence, string type, string at, params (string Name, string Value)[] fields)
    {
        var e = new JsonObject { ["eventId"] = $"{call}-{sequence}", ["callId"] = call, ["sequence"] = sequence, ["type"] = type, ["occurredAt"] = at };
        foreach (var (name, value) in fields)
        {
            e[name] = value;
        }

        return e;
    }

    /// <summary>
    /// A stand-in for one of <see cref="Scalars"/>, replaced by its text once the batch is written: some of them
    /// (a lone surrogate) are JSON that no JSON library will write.
    /// </summary>
    private JsonNode RawScalar() => JsonValue.Create(RawMarker(_random.Next(Scalars.Length)));

    private static string RawMarker(int index) => $"@@raw-{index}@@";

    private void MutateStructure(JsonArray events)
    {
        var target = events[_random.Next(events.Count)] as JsonObject;
        var names = target?.Select(p => p.Key).ToArray() ?? [];
        var name = names.Length > 0 ? names[_random.Next(names.Length)] : "eventId";
        switch (_random.Next(9))
        {
            case 0 when target is not null:
                target.Remove(name);
                break;
            case 1 when target is not null:
                target[name] = RawScalar();
                break;
            case 2 when target is not null:
                target[name] = new string((char)_random.Next(0x20, 0x7f), _random.Next(100, 100_000));
                break;
            case 3 when target is not null:
                target["type"] = Types[_random.Next(Types.Length)];
                break;
            case 4 when target is not null:
                target["sequence"] = _random.Next(-2, 8);
                break;
            case 5 when target is not null:
                target["occurredAt"] = DateTimeOffset.UtcNow.AddSeconds(_random.Next(-100_000, 100_000)).ToString(_random.Next(2) == 0 ? "O" : "yyyy-MM-dd HH:mm:ss");
                break;
            case 6:
                events[_random.Next(events.Count)] = RawScalar();
                break;
            case 7 when target is not null:
                target[$"x{_random.Next(100)}"] = RawScalar();
                break;
            default:
                events.Add(events[_random.Next(events.Count)]?.DeepClone());
                break;
        }
    }

    private string MutateText(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        var at = _random.Next(text.Length);
        switch (_random.Next(5))
        {
            case 0:
                // An escape inside (or, by chance, outside) a string.
                return text.Insert(Math.Min(NextQuote(text, at) + 1, text.Length), Escapes[_random.Next(Escapes.Length)]);
            case 1:
                // A field given twice: the text after a comma repeated up to the next comma.
                var comma = text.IndexOf(',', at);
                var next = comma < 0 ? -1 : text.IndexOf(',', comma + 1);
                return next < 0 ? text : text.Insert(next, text[comma..next]);
            case 2:
                return text[..at];
            case 3:
                return text.Remove(at, Math.Min(_random.Next(1, 8), text.Length - at));
            default:
                return text.Insert(at, "[{\"\"}]:,\\"[_random.Next(9)].ToString());
        }
    }

    private byte[] MutateBytes(byte[] bytes)
    {
        for (var n = _random.Next(1, 4); n > 0; n--)
        {
            bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
        }

        return bytes;
    }

    private static int NextQuote(string text, int from)
    {
        var quote = text.IndexOf('"', from);
        return quote < 0 ? from : quote;
    }
}

/// <summary>What a body is by the API's rules, judged apart from the silo's own code: a batch and how many events it has.</summary>
public static class BatchJudge
{
    /// <summary>The number of events when the body is a batch the silo must answer event by event; null when it is not a batch (400).</summary>
    public static int? EventCount(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var events = document.RootElement.EnumerateObject().Where(p => p.Name == "events").ToList();
            return events is [{ Value.ValueKind: JsonValueKind.Array } only] && only.Value.GetArrayLength() is > 0 and <= 1_000
                ? only.Value.GetArrayLength()
                : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON; or a name in the body that is no text (reading it throws).
            return null;
        }
    }
}
