using System.Buffers.Binary;
using ContactCenter.SipEdge.Media;

namespace ContactCenter.SipEdge.Tests.Media;

public sealed class RtpTests
{
    [Fact]
    public void AHeaderWrittenIsReadBack()
    {
        var packet = new byte[12 + 160];
        RtpHeader.Write(packet, marker: true, payloadType: 8, sequence: 65535, timestamp: 123456, ssrc: 0xDEADBEEF);

        Assert.True(RtpHeader.TryRead(packet, out var header));
        Assert.Equal(new RtpHeader(true, 8, 65535, 123456, 0xDEADBEEF, 12, 160), header);
    }

    [Fact]
    public void CsrcsExtensionsAndPaddingAreSkipped()
    {
        var packet = new byte[12 + 8 + 8 + 160 + 4];
        RtpHeader.Write(packet, false, 0, 1, 2, 3);
        packet[0] = 0x80 | 0x20 | 0x10 | 2;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(12 + 8 + 2), 1);
        packet[^1] = 4;

        Assert.True(RtpHeader.TryRead(packet, out var header));
        Assert.Equal(12 + 8 + 8, header.PayloadOffset);
        Assert.Equal(160, header.PayloadLength);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0 })]
    [InlineData(new byte[] { 0x40, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x80, 200, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    [InlineData(new byte[] { 0x8F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 })]
    public void WhatIsNoRtpIsNotRead(byte[] packet) => Assert.False(RtpHeader.TryRead(packet, out _));

    [Fact]
    public void ADigitIsReportedOnceForItsThreeEndPackets()
    {
        var dtmf = new DtmfReceiver();
        byte[] Event(int e, bool end, int duration) => [(byte)e, (byte)((end ? 0x80 : 0) | 10), (byte)(duration >> 8), (byte)duration];

        Assert.Null(dtmf.Receive(1000, Event(5, false, 160)));
        Assert.Null(dtmf.Receive(1000, Event(5, false, 320)));
        Assert.Equal('5', dtmf.Receive(1000, Event(5, true, 800)));
        Assert.Null(dtmf.Receive(1000, Event(5, true, 800)));
        Assert.Null(dtmf.Receive(1000, Event(5, true, 800)));
        Assert.Equal('#', dtmf.Receive(3000, Event(11, true, 800)));
        Assert.Equal('5', dtmf.Receive(5000, Event(5, true, 800)));
    }
}
