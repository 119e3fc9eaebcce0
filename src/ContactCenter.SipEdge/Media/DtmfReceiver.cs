namespace ContactCenter.SipEdge.Media;

/// <summary>
/// Turns a leg's RFC 4733 event packets into digits, each once: a sender repeats an event's packets while it
/// lasts and its end packet three times (section 2.5.1.4), all with the event's start timestamp, so a digit is
/// the first end packet of a timestamp not seen before. Not thread-safe: one leg's receive loop feeds it.
/// </summary>
public sealed class DtmfReceiver
{
    private uint? _lastEnded;

    /// <summary>The digit this packet ends, or null (not an end, a repeat, or not a digit).</summary>
    public char? Receive(uint timestamp, ReadOnlySpan<byte> payload)
    {
        if (!TelephoneEvent.TryRead(payload, out var e) || !e.End || _lastEnded == timestamp)
        {
            return null;
        }

        _lastEnded = timestamp;
        return e.Digit;
    }
}
