using System.Net;
using System.Text;
using ContactCenter.SipEdge.Media;
using ContactCenter.SipEdge.Sdp;

namespace ContactCenter.SipEdge.Tests.Sip;

public sealed class SdpNegotiationTests
{
    private static readonly IPAddress Edge = IPAddress.Parse("10.0.0.5");

    private static SessionDescription Offer(string media) => SessionDescription.Parse(Encoding.ASCII.GetBytes(
        "v=0\r\no=caller 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n" + media))!;

    [Fact]
    public void TheAnswerKeepsTheOffersPayloadNumbersAndPreference()
    {
        var offer = Offer("m=audio 4000 RTP/AVP 8 0 96\r\na=rtpmap:96 telephone-event/8000\r\na=fmtp:96 0-15\r\na=sendrecv\r\n");

        var (answer, audio) = SdpNegotiation.Answer(offer, Edge, 20000, 7, 1)!.Value;

        Assert.Equal(G711Law.ALaw, audio.Law);
        Assert.Equal(8, audio.PayloadType);
        Assert.Equal(96, audio.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 4000), audio.Remote);
        var text = answer.ToString();
        Assert.Contains("m=audio 20000 RTP/AVP 8 96\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=rtpmap:96 telephone-event/8000\r\n", text, StringComparison.Ordinal);
        Assert.Contains("c=IN IP4 10.0.0.5\r\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void OtherStreamsAreRejectedWithPortZeroAndAHoldIsMirrored()
    {
        var offer = Offer("m=video 5000 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n");

        var (answer, audio) = SdpNegotiation.Answer(offer, Edge, 20000, 7, 1)!.Value;

        Assert.Equal("video", answer.Media[0].Media);
        Assert.Equal(0, answer.Media[0].Port);
        Assert.Equal(MediaDirection.ReceiveOnly, answer.Media[1].Direction);
        // The caller holds us: it takes no media, so none is sent to it.
        Assert.False(audio.FarEndReceives);
        Assert.Null(audio.TelephoneEventPayloadType);
    }

    [Theory]
    [InlineData("m=audio 4000 RTP/AVP 9 18\r\n")]
    [InlineData("m=audio 4000 RTP/SAVP 0\r\n")]
    [InlineData("m=audio 0 RTP/AVP 0\r\n")]
    public void AnOfferWithoutUsableAudioHasNoAnswer(string media) => Assert.Null(SdpNegotiation.Answer(Offer(media), Edge, 20000, 7, 1));

    [Fact]
    public void TheEdgesOfferReadsBackAsItsOwnAnswer()
    {
        var offer = SdpNegotiation.Offer(Edge, 20002, 1, 1);
        var read = SessionDescription.Parse(offer.ToBytes())!;

        var audio = SdpNegotiation.ReadAnswer(read)!;

        Assert.Equal(G711Law.MuLaw, audio.Law);
        Assert.Equal(101, audio.TelephoneEventPayloadType);
        Assert.Equal(new IPEndPoint(Edge, 20002), audio.Remote);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello")]
    [InlineData("m=audio x RTP/AVP 0")]
    public void WhatIsNoSdpIsNotRead(string text) => Assert.Null(SessionDescription.Parse(Encoding.ASCII.GetBytes(text)));
}
