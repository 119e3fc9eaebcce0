using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Ingest;

/// <summary>
/// A request's <c>sentAt</c> checks the gateway's clock once, so events that waited in its outbox through an
/// outage are taken however old (up to a day). Before: every event more than 300 s old was rejected as a clock
/// error, so an outage of both regions longer than five minutes lost everything the gateways had buffered.
/// </summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class GatewaySendTimeTests(EmbeddedHostFixture fixture)
{
    private SiloHost Host => fixture.Host;

    [Fact]
    public async Task AnEventAnOutageKeptForHoursIsTakenWhenItsRequestSaysWhenItWasSent()
    {
        var call = NewCall();
        var twoHoursAgo = DateTimeOffset.UtcNow.AddHours(-2);

        var reply = await new GatewayBatch()
            .SentAt(GatewayBatch.Now)
            .Event(call, 1, "offered", new { caller = "+8613812345678", dialled = "10086", region = "nanjing", occurredAt = twoHoursAgo.ToString("O") })
            .PostAsync(Host.Client());

        Assert.Equal("accepted", reply.Outcome(0));
    }

    [Fact]
    public async Task WithoutSentAtAnOldEventIsStillHeldToTheSilosClock()
    {
        var reply = await new GatewayBatch()
            .Event(NewCall(), 1, "offered", new { caller = "+8613812345678", dialled = "10086", region = "nanjing", occurredAt = DateTimeOffset.UtcNow.AddHours(-2).ToString("O") })
            .PostAsync(Host.Client());

        Assert.Equal("rejected", reply.Outcome(0));
        Assert.StartsWith("'occurredAt' is 7200 s behind the silo's clock", reply.Reason(0));
    }

    [Fact]
    public async Task ARequestSentByAWrongClockHasEveryEventRejectedWithTheReason()
    {
        var wrong = DateTimeOffset.UtcNow.AddHours(-2);
        var reply = await new GatewayBatch()
            .SentAt(wrong.ToString("O"))
            .Offered(NewCall())
            .Event(NewCall(), 1, "offered", new { caller = "+8613812345678", dialled = "10086", region = "nanjing", occurredAt = wrong.ToString("O") })
            .PostAsync(Host.Client());

        Assert.Equal(200, reply.Status);
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("rejected", reply.Outcome(i));
            Assert.StartsWith("'sentAt' is 7200 s behind the silo's clock", reply.Reason(i));
        }
    }

    [Theory]
    [InlineData(-25 * 3600, "h before the request's 'sentAt', older than the 24 h an event may wait in a gateway's outbox")]
    [InlineData(600, "s after the request's 'sentAt', more than the 300 s allowed")]
    public async Task AnEventOutsideItsRequestsWindowIsRejected(int secondsFromSent, string reason)
    {
        var sent = DateTimeOffset.UtcNow;
        var reply = await new GatewayBatch()
            .SentAt(sent.ToString("O"))
            .Offered(NewCall())
            .Event(NewCall(), 1, "offered", new { caller = "+8613812345678", dialled = "10086", region = "nanjing", occurredAt = sent.AddSeconds(secondsFromSent).ToString("O") })
            .PostAsync(Host.Client());

        Assert.Equal("accepted", reply.Outcome(0));
        Assert.Equal("rejected", reply.Outcome(1));
        Assert.Contains(reason, reply.Reason(1));
    }

    [Theory]
    [InlineData("\"yesterday\"")]
    [InlineData("\"2026-11-23T08:00:00\"")]
    [InlineData("12345")]
    public async Task ASentAtThatIsNoTimeWithAnOffsetIsABadRequest(string sentAt)
    {
        var reply = await new GatewayBatch().SentAt(System.Text.Json.Nodes.JsonNode.Parse(sentAt)).Offered(NewCall()).PostAsync(Host.Client());

        Assert.Equal(400, reply.Status);
        Assert.Contains("'sentAt' must be an ISO-8601 time with an offset", reply.Body);
    }

    private static string NewCall() => $"sent-{Guid.NewGuid():N}";
}
