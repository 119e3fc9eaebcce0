using System.Globalization;
using System.Text;

namespace ContactCenter.SipEdge.Sip.Messages;

/// <summary>What reading one message gave: the message, or why it is refused and, when the message got far enough to be answered, the request to answer 400.</summary>
public sealed record SipParseOutcome(SipMessage? Message, string? Error, SipRequest? Answerable)
{
    public static SipParseOutcome Refused(string error, SipRequest? answerable = null) => new(null, error, answerable);
}

/// <summary>
/// Reads one SIP message (RFC 3261 section 7) from a datagram or a framed stream message. Every input is
/// bounded, and nothing a peer sends makes it throw: a message is either read whole or refused with its reason.
/// Lenient where RFC 3261 asks receivers to be (bare LF line ends, folded header lines, compact header names,
/// leading blank lines), strict where a wrong guess would misroute (the mandatory headers, CSeq against the
/// method, Content-Length against the body).
/// </summary>
public static class SipParser
{
    /// <summary>Start line and headers at most: far above any real message, far below what would cost memory.</summary>
    public const int MaxHeadBytes = 16 * 1024;
    public const int MaxHeaderFields = 128;
    public const int MaxBodyBytes = 48 * 1024;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
    private static readonly string[] RequiredInRequests = ["Via", "From", "To", "Call-ID", "CSeq"];

    public static SipParseOutcome Parse(ReadOnlySpan<byte> data)
    {
        // Keep-alives and stray line ends before a message (RFC 3261 section 7.5, RFC 5626 section 3.5.1).
        while (data.Length > 0 && data[0] is (byte)'\r' or (byte)'\n')
        {
            data = data[1..];
        }

        if (data.IsEmpty)
        {
            return SipParseOutcome.Refused("empty message");
        }

        var headEnd = FindHeadEnd(data, out var separatorLength);
        if (headEnd < 0)
        {
            return SipParseOutcome.Refused(data.Length > MaxHeadBytes ? "headers longer than 16 KiB" : "no blank line after the headers");
        }

        if (headEnd > MaxHeadBytes)
        {
            return SipParseOutcome.Refused("headers longer than 16 KiB");
        }

        string head;
        try
        {
            head = StrictUtf8.GetString(data[..headEnd]);
        }
        catch (DecoderFallbackException)
        {
            return SipParseOutcome.Refused("headers are not UTF-8 text");
        }

        if (head.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t')))
        {
            return SipParseOutcome.Refused("control characters in the headers");
        }

        var lines = UnfoldLines(head);
        var startLine = lines[0];
        var headers = new SipHeaders();
        for (var i = 1; i < lines.Count; i++)
        {
            var colon = lines[i].IndexOf(':');
            if (colon <= 0 || !IsToken(lines[i].AsSpan(0, colon).TrimEnd()))
            {
                return SipParseOutcome.Refused($"header line {i} is not 'Name: value'");
            }

            if (headers.Count == MaxHeaderFields)
            {
                return SipParseOutcome.Refused($"more than {MaxHeaderFields} header fields");
            }

            headers.Add(lines[i][..colon].TrimEnd(), lines[i][(colon + 1)..].Trim());
        }

        var body = data[(headEnd + separatorLength)..];
        var message = ReadStartLine(startLine, headers, out var startError);
        if (message is null)
        {
            return SipParseOutcome.Refused(startError!);
        }

        var answerable = message is SipRequest request && CanAnswer(request) ? request : null;
        var headerError = CheckHeaders(message);
        if (headerError is not null)
        {
            return SipParseOutcome.Refused(headerError, answerable);
        }

        if (headers["Content-Length"] is { } lengthText)
        {
            if (!int.TryParse(lengthText, NumberStyles.None, CultureInfo.InvariantCulture, out var length))
            {
                return SipParseOutcome.Refused($"Content-Length '{SipUri.Truncate(lengthText)}' is not a number", answerable);
            }

            // A datagram shorter than its Content-Length was cut on the way (RFC 3261 section 18.3): discard it.
            if (length > body.Length)
            {
                return SipParseOutcome.Refused($"Content-Length {length} is longer than the body ({body.Length} bytes)", answerable);
            }

            body = body[..length];
        }

        if (body.Length > MaxBodyBytes)
        {
            return SipParseOutcome.Refused("body longer than 48 KiB", answerable);
        }

        message.Body = body.ToArray();
        return new SipParseOutcome(message, null, null);
    }

    /// <summary>
    /// For a stream: the length of the first whole message in <paramref name="buffer"/>, 0 while more bytes are
    /// needed, or -1 when the stream cannot be framed (no head end within the limit, or no usable Content-Length).
    /// Leading blank lines count towards the message (the parser skips them).
    /// </summary>
    public static int FrameLength(ReadOnlySpan<byte> buffer)
    {
        var skipped = 0;
        while (skipped < buffer.Length && buffer[skipped] is (byte)'\r' or (byte)'\n')
        {
            skipped++;
        }

        var headEnd = FindHeadEnd(buffer[skipped..], out var separatorLength);
        if (headEnd < 0)
        {
            return buffer.Length - skipped > MaxHeadBytes ? -1 : 0;
        }

        var contentLength = 0;
        foreach (var line in Encoding.Latin1.GetString(buffer.Slice(skipped, headEnd)).Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && SipHeaders.LongName(line[..colon].Trim()).Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!int.TryParse(line[(colon + 1)..].Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out contentLength) || contentLength > MaxBodyBytes)
                {
                    return -1;
                }
            }
        }

        var total = skipped + headEnd + separatorLength + contentLength;
        return buffer.Length >= total ? total : 0;
    }

    private static SipMessage? ReadStartLine(string line, SipHeaders headers, out string? error)
    {
        error = null;
        var parts = line.Split(' ', 3);
        if (line.StartsWith("SIP/", StringComparison.Ordinal))
        {
            if (parts.Length < 2 || parts[0] != "SIP/2.0")
            {
                error = "not a SIP/2.0 status line";
                return null;
            }

            if (parts[1].Length != 3 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 699)
            {
                error = $"status code '{SipUri.Truncate(parts[1])}' is not 100-699";
                return null;
            }

            return new SipResponse { StatusCode = code, Reason = parts.Length > 2 ? parts[2] : "", Headers = headers };
        }

        if (parts.Length != 3 || parts[2] != "SIP/2.0")
        {
            error = "not a request line 'METHOD URI SIP/2.0'";
            return null;
        }

        if (!IsToken(parts[0]))
        {
            error = "the method is not a token";
            return null;
        }

        if (!SipUri.TryParse(parts[1], out var uri))
        {
            error = $"request URI '{SipUri.Truncate(parts[1])}' is not a SIP URI";
            return null;
        }

        return new SipRequest { Method = parts[0], RequestUri = uri, Headers = headers };
    }

    /// <summary>A 400 can be sent back only if the response can be built: it copies Via, From, To, Call-ID and CSeq.</summary>
    private static bool CanAnswer(SipRequest request)
    {
        if (request.Method == SipMethods.Ack || RequiredInRequests.Any(h => request.Headers[h] is null))
        {
            return false;
        }

        try
        {
            _ = request.TopVia;
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static string? CheckHeaders(SipMessage message)
    {
        foreach (var name in RequiredInRequests)
        {
            if (message.Headers[name] is not { Length: > 0 })
            {
                return $"no {name} header";
            }
        }

        try
        {
            _ = message.Headers.Values("Via").Select(Via.Parse).ToList();
            var cseq = message.CSeq;
            if (!NameAddress.TryParse(message.Headers["From"], out _) || !NameAddress.TryParse(message.Headers["To"], out _))
            {
                return "From or To is not a name-addr";
            }

            if (message is SipRequest request && cseq.Method != request.Method)
            {
                return $"CSeq method '{SipUri.Truncate(cseq.Method)}' is not the request's '{request.Method}'";
            }
        }
        catch (FormatException ex)
        {
            return ex.Message;
        }

        return null;
    }

    private static int FindHeadEnd(ReadOnlySpan<byte> data, out int separatorLength)
    {
        var limit = Math.Min(data.Length, MaxHeadBytes + 4);
        for (var i = 0; i < limit; i++)
        {
            if (data[i] != '\n')
            {
                continue;
            }

            if (i + 1 < data.Length && data[i + 1] == '\n')
            {
                separatorLength = 2;
                return i;
            }

            if (i + 2 < data.Length && data[i + 1] == '\r' && data[i + 2] == '\n')
            {
                separatorLength = 3;
                return i;
            }
        }

        separatorLength = 0;
        return -1;
    }

    private static List<string> UnfoldLines(string head)
    {
        var lines = new List<string>();
        foreach (var raw in head.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length > 0 && line[0] is ' ' or '\t' && lines.Count > 1)
            {
                lines[^1] = lines[^1] + " " + line.Trim();
            }
            else
            {
                lines.Add(line);
            }
        }

        return lines;
    }

    private static bool IsToken(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || "-.!%*_+`'~".Contains(c)))
            {
                return false;
            }
        }

        return true;
    }
}
