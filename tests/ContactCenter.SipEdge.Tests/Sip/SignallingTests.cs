using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Sip;

/// <summary>
/// What the edge answers to single requests, sent as raw datagrams: the right response for each kind of bad or
/// unwelcome request (RFC 3261's codes, the reason in the phrase), and no answer where none can be built.
/// </summary>
[Collection(EdgeCollection.Name)]
[Slow("starts an edge beside the collection's silo and waits out unanswered datagrams")]
public sealed class SignallingTests(EdgeSiloFixture fixture) : IAsyncLifetime
{
    private TestEdge _edge = null!;
    private int _next;

    public async Task InitializeAsync() => _edge = await TestEdge.StartAsync(fixture.Host, o =>
    {
        o.Numbers["10086"] = new() { Queue = "no-such-queue" };
        o.Phones.Add(new() { User = "1001", Password = "secret-1001" });
    });

    public async Task DisposeAsync() => await _edge.DisposeAsync();

    private string Request(string method, string headers = "", string body = "", string uri = "sip:10086@127.0.0.1", string? cseqMethod = null)
    {
        var n = Interlocked.Increment(ref _next);
        return $"{method} {uri} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-test-{n}-{Guid.NewGuid():N}\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:+8613812345678@127.0.0.1>;tag=t{n}\r\n" +
            "To: <sip:10086@127.0.0.1>\r\n" +
            $"Call-ID: test-{n}-{Guid.NewGuid():N}@127.0.0.1\r\n" +
            $"CSeq: 1 {cseqMethod ?? method}\r\n" +
            headers +
            $"Content-Length: {System.Text.Encoding.UTF8.GetByteCount(body)}\r\n\r\n" + body;
    }

    private static string StatusLine(string? response) => response?.Split("\r\n")[0] ?? "(no answer)";

    [Fact]
    public async Task OptionsIsAnsweredWithWhatTheEdgeAllows()
    {
        var answer = await _edge.ExchangeAsync(Request("OPTIONS"));

        Assert.Equal("SIP/2.0 200 OK", StatusLine(answer));
        Assert.Contains("Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, REGISTER", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ARequestInADialogTheEdgeDoesNotHaveIs481()
    {
        var bye = Request("BYE").Replace("To: <sip:10086@127.0.0.1>", "To: <sip:10086@127.0.0.1>;tag=nope", StringComparison.Ordinal);

        Assert.Equal("SIP/2.0 481 Call/Transaction Does Not Exist", StatusLine(await _edge.ExchangeAsync(bye)));
    }

    [Theory]
    [InlineData("FROBNICATE", "501")]
    [InlineData("SUBSCRIBE", "405")]
    public async Task AMethodTheEdgeDoesNotServeIsRefused(string method, string status) =>
        Assert.StartsWith($"SIP/2.0 {status} ", StatusLine(await _edge.ExchangeAsync(Request(method))), StringComparison.Ordinal);

    [Fact]
    public async Task AnInviteRequiringAnExtensionIs420NamingIt()
    {
        var answer = await _edge.ExchangeAsync(Request("INVITE", "Require: 100rel\r\n"));

        Assert.Equal("SIP/2.0 420 Bad Extension", StatusLine(answer));
        Assert.Contains("Unsupported: 100rel", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInviteWithABodyThatIsNotSdpIs415()
    {
        var answer = await _edge.ExchangeAsync(Request("INVITE", "Content-Type: text/plain\r\n", "hello"));

        Assert.Equal("SIP/2.0 415 Unsupported Media Type", StatusLine(answer));
    }

    [Fact]
    public async Task AnInviteToANumberTheEdgeDoesNotServeIs404()
    {
        var answer = await _edge.ExchangeAsync(Request("INVITE", uri: "sip:12345@127.0.0.1"));

        Assert.Equal("SIP/2.0 404 Not Found", StatusLine(answer));
    }

    [Theory]
    [InlineData("CSeq: 1 INVITE", "CSeq: 1 BYE", "CSeq method 'BYE' is not the request's 'INVITE'")]
    [InlineData("Content-Length: 0", "Content-Length: 999", "Content-Length 999 is longer than the body")]
    [InlineData("From: <sip:+8613812345678@127.0.0.1>", "From: nobody", "From or To is not a name-addr")]
    public async Task AMalformedRequestThatCanBeAnsweredGets400WithItsReason(string from, string to, string reason)
    {
        var answer = await _edge.ExchangeAsync(Request("INVITE").Replace(from, to, StringComparison.Ordinal));

        Assert.StartsWith("SIP/2.0 400 Bad Request (", StatusLine(answer), StringComparison.Ordinal);
        Assert.Contains(reason, StatusLine(answer), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\u0000\u0001\u0002 binary junk")]
    [InlineData("INVITE sip:10086@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bKcut")]
    public async Task WhatCannotBeAnsweredIsDropped(string junk)
    {
        Assert.Null(await _edge.ExchangeAsync(junk, TimeSpan.FromSeconds(1)));
        // ... and the edge still answers the next request.
        Assert.Equal("SIP/2.0 200 OK", StatusLine(await _edge.ExchangeAsync(Request("OPTIONS"))));
    }

    [Fact]
    public async Task ARegisterWithoutCredentialsIsChallengedAndAnUnknownPhoneIs404()
    {
        string Register(string user) => Request("REGISTER", $"Contact: <sip:{user}@127.0.0.1:5999>\r\n", uri: "sip:127.0.0.1")
            .Replace("To: <sip:10086@127.0.0.1>", $"To: <sip:{user}@127.0.0.1>", StringComparison.Ordinal);
        var challenge = await _edge.ExchangeAsync(Register("1001"));
        var stranger = await _edge.ExchangeAsync(Register("9999"));

        Assert.Equal("SIP/2.0 401 Unauthorized", StatusLine(challenge));
        Assert.Contains("WWW-Authenticate: Digest realm=\"contact-center\", nonce=\"", challenge, StringComparison.Ordinal);
        Assert.StartsWith("SIP/2.0 404 ", StatusLine(stranger), StringComparison.Ordinal);
    }
}
