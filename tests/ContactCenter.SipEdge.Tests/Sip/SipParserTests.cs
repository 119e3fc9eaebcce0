using System.Text;
using ContactCenter.SipEdge.Sip.Messages;

namespace ContactCenter.SipEdge.Tests.Sip;

public sealed class SipParserTests
{
    private const string Invite =
        "INVITE sip:10086@127.0.0.1:5060 SIP/2.0\r\n" +
        "Via: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-1;rport\r\n" +
        "Max-Forwards: 70\r\n" +
        "From: \"Caller\" <sip:+8613812345678@127.0.0.1:5070>;tag=abc\r\n" +
        "To: <sip:10086@127.0.0.1:5060>\r\n" +
        "Call-ID: 1-2@127.0.0.1\r\n" +
        "CSeq: 1 INVITE\r\n" +
        "Contact: <sip:caller@127.0.0.1:5070>\r\n" +
        "Content-Type: application/sdp\r\n" +
        "Content-Length: 4\r\n" +
        "\r\n" +
        "v=0\n";

    private static SipParseOutcome Parse(string text) => SipParser.Parse(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void AnInviteIsReadWithItsHeadersAndBody()
    {
        var request = Assert.IsType<SipRequest>(Parse(Invite).Message);

        Assert.Equal("INVITE", request.Method);
        Assert.Equal("10086", request.RequestUri.User);
        Assert.Equal("abc", request.From.Tag);
        Assert.Equal("Caller", request.From.DisplayName);
        Assert.Null(request.To.Tag);
        Assert.Equal(new CSeq(1, "INVITE"), request.CSeq);
        Assert.Equal("z9hG4bK-1", request.TopVia.Branch);
        Assert.Equal("127.0.0.1:5070", request.TopVia.SentBy);
        Assert.Equal("v=0\n", Encoding.ASCII.GetString(request.Body));
        Assert.True(request.HasSdp);
    }

    [Fact]
    public void CompactNamesFoldedLinesAndBareLineFeedsAreRead()
    {
        var text = Invite.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Replace("Call-ID:", "i:", StringComparison.Ordinal)
            .Replace("Via: SIP/2.0/UDP", "v: SIP/2.0/UDP\n  ", StringComparison.Ordinal);

        var request = Assert.IsType<SipRequest>(Parse(text).Message);

        Assert.Equal("1-2@127.0.0.1", request.CallId);
        Assert.Equal("z9hG4bK-1", request.TopVia.Branch);
    }

    [Fact]
    public void AResponseIsReadAndTheBodyIsCutAtContentLength()
    {
        var text = "SIP/2.0 180 Ringing\r\nVia: SIP/2.0/UDP 1.2.3.4;branch=z9hG4bKx\r\nFrom: <sip:a@b>;tag=1\r\nTo: <sip:c@d>;tag=2\r\nCall-ID: x\r\nCSeq: 7 INVITE\r\nContent-Length: 2\r\n\r\nabcdef";

        var response = Assert.IsType<SipResponse>(Parse(text).Message);

        Assert.Equal(180, response.StatusCode);
        Assert.Equal("Ringing", response.Reason);
        Assert.Equal("2", response.To.Tag);
        Assert.Equal("ab", Encoding.ASCII.GetString(response.Body));
    }

    [Theory]
    [InlineData("Call-ID: 1-2@127.0.0.1\r\n", "", "no Call-ID header")]
    [InlineData("CSeq: 1 INVITE", "CSeq: 1 BYE", "CSeq method 'BYE' is not the request's 'INVITE'")]
    [InlineData("CSeq: 1 INVITE", "CSeq: one INVITE", "not a CSeq")]
    [InlineData("Content-Length: 4", "Content-Length: 400", "Content-Length 400 is longer than the body (4 bytes)")]
    [InlineData("Content-Length: 4", "Content-Length: -4", "is not a number")]
    public void ABrokenRequestThatCanBeAnsweredIsRefusedWithItsReasonAndAnswerable(string from, string to, string reason)
    {
        var outcome = Parse(Invite.Replace(from, to, StringComparison.Ordinal));

        Assert.Null(outcome.Message);
        Assert.Contains(reason, outcome.Error, StringComparison.Ordinal);
        if (!from.StartsWith("Call-ID", StringComparison.Ordinal))
        {
            Assert.NotNull(outcome.Answerable);
            var answer = outcome.Answerable!.CreateResponse(400, reason: $"Bad Request ({outcome.Error})");
            Assert.Equal("z9hG4bK-1", answer.TopVia.Branch);
        }
        else
        {
            // Without a Call-ID no response can be built: the request is dropped.
            Assert.Null(outcome.Answerable);
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("\r\n\r\n")]
    [InlineData("INVITE sip:x SIP/2.0\r\nVia: SIP/2.0/UDP a;branch=z9hG4bKx\r\n")]
    [InlineData("HELLO WORLD\r\n\r\n")]
    [InlineData("INVITE http://example.com SIP/2.0\r\n\r\n")]
    [InlineData("SIP/2.0 99 Too Low\r\n\r\n")]
    [InlineData("SIP/3.0 200 OK\r\n\r\n")]
    [InlineData("IN VITE sip:a@b SIP/2.0\r\n\r\n")]
    public void WhatIsNoSipMessageIsRefused(string text) => Assert.NotNull(Parse(text).Error);

    [Fact]
    public void HugeHeadersAndTooManyFieldsAreRefused()
    {
        var huge = Invite.Replace("Max-Forwards: 70", "X-Big: " + new string('a', 20_000), StringComparison.Ordinal);
        var many = Invite.Replace("Max-Forwards: 70", string.Join("\r\n", Enumerable.Range(0, 200).Select(i => $"X-{i}: {i}")), StringComparison.Ordinal);

        Assert.Equal("headers longer than 16 KiB", Parse(huge).Error);
        Assert.Equal("more than 128 header fields", Parse(many).Error);
    }

    [Fact]
    public void BytesThatAreNotUtf8OrControlCharactersAreRefused()
    {
        var bytes = Encoding.UTF8.GetBytes(Invite);
        bytes[Invite.IndexOf("Caller", StringComparison.Ordinal)] = 0xFF;
        Assert.Equal("headers are not UTF-8 text", SipParser.Parse(bytes).Error);
        Assert.Equal("control characters in the headers", Parse(Invite.Replace("Caller", "Cal\u0001ler", StringComparison.Ordinal)).Error);
    }

    [Fact]
    public void AMessageWrittenOutReadsBackTheSame()
    {
        var request = (SipRequest)Parse(Invite).Message!;
        var again = Assert.IsType<SipRequest>(SipParser.Parse(request.ToBytes()).Message);

        Assert.Equal(request.ToString(), again.ToString());
    }

    [Fact]
    public void AStreamIsFramedByContentLength()
    {
        var one = Encoding.UTF8.GetBytes(Invite);
        var two = one.Concat(one).ToArray();

        Assert.Equal(one.Length, SipParser.FrameLength(two));
        Assert.Equal(0, SipParser.FrameLength(one.AsSpan(0, one.Length - 1)));
        Assert.Equal(-1, SipParser.FrameLength(Encoding.ASCII.GetBytes("INVITE sip:a SIP/2.0\r\nContent-Length: x\r\n\r\n")));
        Assert.Equal(-1, SipParser.FrameLength(new byte[SipParser.MaxHeadBytes + 10]));
    }
}
