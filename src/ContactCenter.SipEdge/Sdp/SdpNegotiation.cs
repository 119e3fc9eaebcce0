using System.Net;
using ContactCenter.SipEdge.Media;

namespace ContactCenter.SipEdge.Sdp;

/// <summary>The audio stream both sides agreed on: where to send RTP, which G.711 law under which payload number, and the payload number of DTMF events.</summary>
public sealed record NegotiatedAudio(IPEndPoint Remote, G711Law Law, int PayloadType, int? TelephoneEventPayloadType, MediaDirection Direction)
{
    /// <summary>Whether the far end takes media from us: not while it holds the call (sendonly or inactive, RFC 3264 section 8.4).</summary>
    public bool FarEndReceives => Direction is MediaDirection.SendReceive or MediaDirection.ReceiveOnly;
}

/// <summary>
/// The offer/answer model (RFC 3264) for the one kind of media the edge carries: G.711 audio at 8 kHz (PCMU, PCMA)
/// with RFC 4733 telephone events. An answer keeps the offer's payload numbers and order of preference, answers a
/// hold (sendonly, inactive) with the mirrored direction, and rejects every other stream with port 0.
/// </summary>
public static class SdpNegotiation
{
    public const int OfferedTelephoneEventPayloadType = 101;

    /// <summary>The edge's offer (to an agent's phone, or in a 2xx to an INVITE that came without one).</summary>
    public static SessionDescription Offer(IPAddress address, int rtpPort, long sessionId, long version, MediaDirection direction = MediaDirection.SendReceive) =>
        new("-", sessionId, version, address, address,
        [
            new MediaDescription("audio", rtpPort, "RTP/AVP",
            [
                new PayloadFormat(0, "PCMU", 8000),
                new PayloadFormat(8, "PCMA", 8000),
                new PayloadFormat(OfferedTelephoneEventPayloadType, "telephone-event", 8000, "0-16"),
            ], direction, null, 20),
        ]);

    /// <summary>The answer to an offer, and the stream agreed; null when the offer has no audio the edge can take (the INVITE is answered 488).</summary>
    public static (SessionDescription Answer, NegotiatedAudio Audio)? Answer(SessionDescription offer, IPAddress address, int rtpPort, long sessionId, long version)
    {
        NegotiatedAudio? agreed = null;
        var lines = new List<MediaDescription>();
        foreach (var m in offer.Media)
        {
            var codec = agreed is null && m.Media == "audio" && m.Protocol == "RTP/AVP" && !m.IsRejected
                ? m.Formats.FirstOrDefault(f => LawOf(f) is not null)
                : null;
            if (codec is null)
            {
                lines.Add(m with { Port = 0, Connection = null });
                continue;
            }

            var events = m.Formats.FirstOrDefault(IsTelephoneEvent);
            var direction = Mirror(m.Direction);
            var remote = new IPEndPoint(m.Connection ?? offer.Connection ?? offer.Origin, m.Port);
            agreed = new NegotiatedAudio(remote, LawOf(codec)!.Value, codec.PayloadType, events?.PayloadType, m.Direction);
            lines.Add(new MediaDescription("audio", rtpPort, "RTP/AVP", events is null ? [codec] : [codec, events], direction, null, 20));
        }

        return agreed is null ? null : (new SessionDescription("-", sessionId, version, address, address, lines), agreed);
    }

    /// <summary>What the far end agreed to in its answer to our <see cref="Offer"/>; null when it took no audio.</summary>
    public static NegotiatedAudio? ReadAnswer(SessionDescription answer)
    {
        var audio = answer.Audio;
        if (audio is null || audio.Protocol != "RTP/AVP" || answer.AudioEndPoint is not { } remote)
        {
            return null;
        }

        var codec = audio.Formats.FirstOrDefault(f => LawOf(f) is not null);
        return codec is null ? null : new NegotiatedAudio(remote, LawOf(codec)!.Value, codec.PayloadType, audio.Formats.FirstOrDefault(IsTelephoneEvent)?.PayloadType, audio.Direction);
    }

    private static MediaDirection Mirror(MediaDirection offered) => offered switch
    {
        MediaDirection.SendOnly => MediaDirection.ReceiveOnly,
        MediaDirection.ReceiveOnly => MediaDirection.SendOnly,
        MediaDirection.Inactive => MediaDirection.Inactive,
        _ => MediaDirection.SendReceive,
    };

    private static G711Law? LawOf(PayloadFormat format) => format.ClockRate != 8000 ? null : format.Encoding.ToUpperInvariant() switch
    {
        "PCMU" => G711Law.MuLaw,
        "PCMA" => G711Law.ALaw,
        _ => null,
    };

    private static bool IsTelephoneEvent(PayloadFormat format) =>
        format.Encoding.Equals("telephone-event", StringComparison.OrdinalIgnoreCase) && format.ClockRate == 8000;
}
