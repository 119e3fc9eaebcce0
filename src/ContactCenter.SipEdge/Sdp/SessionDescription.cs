using System.Globalization;
using System.Net;
using System.Text;

namespace ContactCenter.SipEdge.Sdp;

/// <summary>How a stream's media flows (RFC 3264 section 5.1): a hold is a re-offer with sendonly or inactive.</summary>
public enum MediaDirection
{
    SendReceive,
    SendOnly,
    ReceiveOnly,
    Inactive,
}

/// <summary>One payload type of a media line: its number, encoding and clock rate (from rtpmap, or the static table of RFC 3551).</summary>
public sealed record PayloadFormat(int PayloadType, string Encoding, int ClockRate, string? Parameters = null);

/// <summary>One m= line (RFC 4566 section 5.14) with its connection address and attributes.</summary>
public sealed record MediaDescription(
    string Media,
    int Port,
    string Protocol,
    IReadOnlyList<PayloadFormat> Formats,
    MediaDirection Direction,
    IPAddress? Connection,
    int? PacketTimeMs = null)
{
    public bool IsRejected => Port == 0;
}

/// <summary>
/// A session description (RFC 4566) as the edge needs it: the origin, the session connection address and the
/// media lines with their formats and direction. Parsing never throws: a body that is no SDP gives null.
/// </summary>
public sealed record SessionDescription(string OriginUser, long SessionId, long Version, IPAddress Origin, IPAddress? Connection, IReadOnlyList<MediaDescription> Media)
{
    public const int MaxBytes = 16 * 1024;

    /// <summary>The first audio stream that is not rejected.</summary>
    public MediaDescription? Audio => Media.FirstOrDefault(m => m.Media == "audio" && !m.IsRejected);

    /// <summary>Where the audio stream's RTP goes: its own c= line, else the session's.</summary>
    public IPEndPoint? AudioEndPoint => Audio is { } audio && (audio.Connection ?? Connection) is { } address ? new IPEndPoint(address, audio.Port) : null;

    public static SessionDescription? Parse(ReadOnlySpan<byte> body)
    {
        if (body.Length is 0 or > MaxBytes)
        {
            return null;
        }

        try
        {
            return Parse(Encoding.UTF8.GetString(body));
        }
        catch (Exception ex) when (ex is FormatException or OverflowException or IndexOutOfRangeException or ArgumentException)
        {
            return null;
        }
    }

    private static SessionDescription? Parse(string text)
    {
        string originUser = "-";
        long sessionId = 0, version = 0;
        IPAddress? origin = null, sessionConnection = null;
        var media = new List<MediaDescription>();
        MediaBuilder? current = null;
        var sessionDirection = MediaDirection.SendReceive;
        var sawVersion = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length < 2 || line[1] != '=')
            {
                continue;
            }

            var value = line[2..];
            switch (line[0])
            {
                case 'v':
                    sawVersion = value.Trim() == "0";
                    break;
                case 'o':
                    var o = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    if (o.Length >= 6)
                    {
                        originUser = o[0];
                        sessionId = long.TryParse(o[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : 0;
                        version = long.TryParse(o[2], NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : 0;
                        origin = IPAddress.TryParse(o[5], out var address) ? address : null;
                    }

                    break;
                case 'c':
                    var connection = ParseConnection(value);
                    if (current is null)
                    {
                        sessionConnection = connection;
                    }
                    else
                    {
                        current.Connection = connection;
                    }

                    break;
                case 'm':
                    if (current is not null)
                    {
                        media.Add(current.Build(sessionDirection));
                    }

                    current = MediaBuilder.Parse(value);
                    if (current is null)
                    {
                        return null;
                    }

                    break;
                case 'a':
                    if (current is null)
                    {
                        sessionDirection = DirectionOf(value) ?? sessionDirection;
                    }
                    else
                    {
                        current.Attribute(value);
                    }

                    break;
            }
        }

        if (current is not null)
        {
            media.Add(current.Build(sessionDirection));
        }

        return sawVersion ? new SessionDescription(originUser, sessionId, version, origin ?? sessionConnection ?? IPAddress.Any, sessionConnection, media) : null;
    }

    private static IPAddress? ParseConnection(string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length >= 3 && IPAddress.TryParse(parts[2].Split('/')[0], out var address) ? address : null;
    }

    internal static MediaDirection? DirectionOf(string attribute) => attribute.Trim() switch
    {
        "sendrecv" => MediaDirection.SendReceive,
        "sendonly" => MediaDirection.SendOnly,
        "recvonly" => MediaDirection.ReceiveOnly,
        "inactive" => MediaDirection.Inactive,
        _ => null,
    };

    public override string ToString()
    {
        var text = new StringBuilder();
        var family = Origin.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        text.Append("v=0\r\n");
        text.Append(CultureInfo.InvariantCulture, $"o={OriginUser} {SessionId} {Version} IN {family} {Origin}\r\n");
        text.Append("s=-\r\n");
        if (Connection is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"c=IN {family} {Connection}\r\n");
        }

        text.Append("t=0 0\r\n");
        foreach (var m in Media)
        {
            var formats = m.Formats.Count == 0 ? "0" : string.Join(' ', m.Formats.Select(f => f.PayloadType.ToString(CultureInfo.InvariantCulture)));
            text.Append(CultureInfo.InvariantCulture, $"m={m.Media} {m.Port} {m.Protocol} {formats}\r\n");
            if (m.IsRejected)
            {
                continue;
            }

            foreach (var f in m.Formats)
            {
                text.Append(CultureInfo.InvariantCulture, $"a=rtpmap:{f.PayloadType} {f.Encoding}/{f.ClockRate}\r\n");
                if (f.Parameters is not null)
                {
                    text.Append(CultureInfo.InvariantCulture, $"a=fmtp:{f.PayloadType} {f.Parameters}\r\n");
                }
            }

            if (m.PacketTimeMs is { } ptime)
            {
                text.Append(CultureInfo.InvariantCulture, $"a=ptime:{ptime}\r\n");
            }

            text.Append(m.Direction switch
            {
                MediaDirection.SendOnly => "a=sendonly\r\n",
                MediaDirection.ReceiveOnly => "a=recvonly\r\n",
                MediaDirection.Inactive => "a=inactive\r\n",
                _ => "a=sendrecv\r\n",
            });
        }

        return text.ToString();
    }

    public byte[] ToBytes() => Encoding.ASCII.GetBytes(ToString());

    private sealed class MediaBuilder
    {
        private readonly Dictionary<int, (string Encoding, int Rate)> _rtpmap = [];
        private readonly Dictionary<int, string> _fmtp = [];
        private MediaDirection? _direction;
        private int? _ptime;

        private MediaBuilder(string media, int port, string protocol, List<int> payloadTypes)
        {
            MediaType = media;
            Port = port;
            Protocol = protocol;
            PayloadTypes = payloadTypes;
        }

        public string MediaType { get; }

        public int Port { get; }

        public string Protocol { get; }

        public List<int> PayloadTypes { get; }

        public IPAddress? Connection { get; set; }

        public static MediaBuilder? Parse(string value)
        {
            var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || !int.TryParse(parts[1].Split('/')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
            {
                return null;
            }

            var types = new List<int>();
            foreach (var format in parts.Skip(3).Take(64))
            {
                if (int.TryParse(format, NumberStyles.None, CultureInfo.InvariantCulture, out var pt) && pt <= 127)
                {
                    types.Add(pt);
                }
            }

            return new MediaBuilder(parts[0], port, parts[2], types);
        }

        public void Attribute(string value)
        {
            if (DirectionOf(value) is { } direction)
            {
                _direction = direction;
            }
            else if (value.StartsWith("rtpmap:", StringComparison.Ordinal))
            {
                var space = value.IndexOf(' ');
                if (space > 7 && int.TryParse(value.AsSpan(7, space - 7), NumberStyles.None, CultureInfo.InvariantCulture, out var pt))
                {
                    var encoding = value[(space + 1)..].Split('/');
                    _rtpmap[pt] = (encoding[0], encoding.Length > 1 && int.TryParse(encoding[1], NumberStyles.None, CultureInfo.InvariantCulture, out var rate) ? rate : 8000);
                }
            }
            else if (value.StartsWith("fmtp:", StringComparison.Ordinal))
            {
                var space = value.IndexOf(' ');
                if (space > 5 && int.TryParse(value.AsSpan(5, space - 5), NumberStyles.None, CultureInfo.InvariantCulture, out var pt))
                {
                    _fmtp[pt] = value[(space + 1)..];
                }
            }
            else if (value.StartsWith("ptime:", StringComparison.Ordinal) && int.TryParse(value.AsSpan(6), NumberStyles.None, CultureInfo.InvariantCulture, out var ptime))
            {
                _ptime = ptime;
            }
        }

        public MediaDescription Build(MediaDirection sessionDirection)
        {
            var formats = PayloadTypes.Select(pt => _rtpmap.TryGetValue(pt, out var map)
                ? new PayloadFormat(pt, map.Encoding, map.Rate, _fmtp.GetValueOrDefault(pt))
                : StaticFormat(pt)).ToList();
            return new MediaDescription(MediaType, Port, Protocol, formats, _direction ?? sessionDirection, Connection, _ptime);
        }

        // RFC 3551 table 4: the static payload types a peer may offer without an rtpmap.
        private static PayloadFormat StaticFormat(int pt) => pt switch
        {
            0 => new PayloadFormat(0, "PCMU", 8000),
            8 => new PayloadFormat(8, "PCMA", 8000),
            _ => new PayloadFormat(pt, "unknown", 8000),
        };
    }
}
