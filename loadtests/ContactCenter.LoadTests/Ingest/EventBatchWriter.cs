using System.Buffers;
using System.Text.Json;

namespace ContactCenter.LoadTests.Ingest;

/// <summary>One event in a request: which call, which of its events. Results come back in the same order.</summary>
public readonly record struct BatchEntry(SimulatedCall Call, int Sequence);

/// <summary>
/// Writes a gateway's request body, <c>{"events":[...]}</c>, straight to UTF-8 into a buffer reused across
/// requests, so building a batch costs the generator little next to what the silo spends on it.
/// </summary>
public sealed class EventBatchWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(256 * 1024);
    private readonly Utf8JsonWriter _json;

    public EventBatchWriter() => _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });

    /// <summary>The body for <paramref name="entries"/>; valid until the next call.</summary>
    public ReadOnlyMemory<byte> Write(IReadOnlyList<BatchEntry> entries, DateTime occurredAtUtc)
    {
        _buffer.ResetWrittenCount();
        _json.Reset(_buffer);
        _json.WriteStartObject();
        _json.WriteStartArray("events");
        foreach (var (call, sequence) in entries)
        {
            var planned = call[sequence];
            _json.WriteStartObject();
            _json.WriteString("eventId", $"{call.CallId}-{sequence}");
            _json.WriteString("callId", call.CallId);
            _json.WriteNumber("sequence", sequence);
            _json.WriteString("type", planned.Type);
            // A UTC DateTime is written as ISO-8601 with 'Z'. Gateways stamp events when they happen; the
            // simulated ones happen now.
            _json.WriteString("occurredAt", occurredAtUtc);
            foreach (var (name, value) in planned.Fields)
            {
                _json.WriteString(name, value);
            }

            _json.WriteEndObject();
        }

        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        return _buffer.WrittenMemory;
    }
}
