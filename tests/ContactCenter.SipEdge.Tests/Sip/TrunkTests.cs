using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Sip;

/// <summary>Who may send the edge calls, and how many at once.</summary>
[Collection(EdgeCollection.Name)]
[Slow("starts edges beside the collection's silo")]
public sealed class TrunkTests(EdgeSiloFixture fixture)
{
    private static string Invite(string callId) =>
        "INVITE sip:10086@127.0.0.1 SIP/2.0\r\n" +
        $"Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-{callId}\r\n" +
        "Max-Forwards: 70\r\nFrom: <sip:+8613812345678@127.0.0.1>;tag=a\r\nTo: <sip:10086@127.0.0.1>\r\n" +
        $"Call-ID: {callId}\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";

    [Fact]
    public async Task AnInviteFromAnAddressThatIsNoTrunkIs403()
    {
        await using var edge = await TestEdge.StartAsync(fixture.Host, o =>
        {
            o.Trunks = ["192.0.2.0/24"];
            o.Numbers["10086"] = new() { Queue = "billing" };
        });

        var answer = await edge.ExchangeAsync(Invite("not-a-trunk"));

        Assert.StartsWith("SIP/2.0 403 Forbidden", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFullEdgeAnswers503WithRetryAfter()
    {
        await using var edge = await TestEdge.StartAsync(fixture.Host, o =>
        {
            o.MaxCalls = 0;
            o.Numbers["10086"] = new() { Queue = "billing" };
        });

        var answer = await edge.ExchangeAsync(Invite("full"));

        Assert.StartsWith("SIP/2.0 503 Service Unavailable", answer, StringComparison.Ordinal);
        Assert.Contains("Retry-After: 5", answer, StringComparison.Ordinal);
    }
}
