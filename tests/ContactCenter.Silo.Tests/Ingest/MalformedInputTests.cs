using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ContactCenter.Ingest;
using ContactCenter.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ContactCenter.Tests.Ingest;

[Collection(EmbeddedHostCollection.Name)]
public sealed class MalformedInputTests(EmbeddedHostFixture fixture)
{
    private SiloHost Host => fixture.Host;

    [Fact]
    public async Task EachBadEventGetsItsOwnReasonAndTheValidOnesAreStillProcessed()
    {
        var center = new CenterClient(Host);
        await center.QueueAsync("gotone");
        var call = $"bad-{Guid.NewGuid():N}";
        var other = $"bad-{Guid.NewGuid():N}";
        var reply = await new GatewayBatch()
            .Offered(call)                                                                        // 0 valid
            .Event(other, 1, "offered", new { caller = "13812345678", dialled = "10086", region = "nanjing" }) // 1 no '+'
            .Event(other, 1, "teleported")                                                        // 2 unknown type
            .Event(call, 2, "queued")                                                             // 3 missing queue
            .Add(42)                                                                              // 4 not an object
            .Event(call, 2, "queued", new { queue = new string('q', 200) })                       // 5 oversized field
            .Add(new JsonObject { ["eventId"] = "x", ["callId"] = call, ["sequence"] = 2, ["type"] = "queued", ["queue"] = "q", ["occurredAt"] = "yesterday" }) // 6 bad time
            .Event(call, 0, "queued", new { queue = "q" })                                        // 7 sequence 0
            .Event(call, 2, "transferred", new { toQueue = "q1", toAgent = "a1" })                 // 8 two targets
            .Event(call, 3, "queued", new { queue = center.Id("gotone") })                        // 9 valid (3: the first refused sequence 2 took its place)
            .PostAsync(Host.Client());

        Assert.Equal(200, reply.Status);
        Assert.Equal(("accepted", "accepted"), (reply.Outcome(0), reply.Outcome(9)));
        Assert.Equal("'caller': not an E.164 number (+ and 8 to 15 digits) or 'anonymous'", reply.Reason(1));
        Assert.StartsWith("unknown event type 'teleported'", reply.Reason(2));
        Assert.Equal("'queue' is required", reply.Reason(3));
        Assert.Equal("an event must be a JSON object", reply.Reason(4));
        Assert.Equal("'queue' must be 1 to 128 characters", reply.Reason(5));
        Assert.StartsWith("'occurredAt' must be an ISO-8601 time", reply.Reason(6));
        Assert.StartsWith("'sequence' must be a whole number", reply.Reason(7));
        Assert.Equal("a transfer names exactly one of 'toQueue' and 'toAgent'", reply.Reason(8));
        Assert.Equal((2, 8), (reply.Count("acknowledged"), reply.Count("rejected")));
    }

    [Theory]
    [InlineData(7200, "'occurredAt' is 7200 s ahead of the silo's clock")]
    [InlineData(-7200, "'occurredAt' is 7200 s behind the silo's clock")]
    [InlineData(360, "'occurredAt' is 360 s ahead of the silo's clock")]
    [InlineData(-360, "'occurredAt' is 360 s behind the silo's clock")]
    [InlineData(-240, null)]
    [InlineData(240, null)]
    public async Task AnEventFurtherFromTheSilosClockThanTheAllowedSkewIsRejected(int secondsFromNow, string? reason)
    {
        var e = new JsonObject
        {
            ["eventId"] = "skewed",
            ["callId"] = $"skewed-{Guid.NewGuid():N}",
            ["sequence"] = 1,
            ["type"] = "offered",
            ["occurredAt"] = DateTimeOffset.UtcNow.AddSeconds(secondsFromNow).ToString("O"),
            ["caller"] = "+8613812345678",
            ["dialled"] = "10086",
            ["region"] = "nanjing",
        };

        var reply = await new GatewayBatch().Add(e).PostAsync(Host.Client());

        // The default bound is 300 s either way (ContactCenter:Ingest:MaxClockSkewSeconds).
        Assert.Equal(reason is null ? "accepted" : "rejected", reply.Outcome(0));
        if (reason is not null)
        {
            Assert.StartsWith(reason, reply.Reason(0));
            Assert.EndsWith("more than the 300 s allowed: check the gateway's clock", reply.Reason(0));
        }
    }

    [Fact]
    public void TheAllowedSkewIsASetting()
    {
        var parser = new CallEventParser(TimeProvider.System, Options.Create(new IngestOptions { MaxClockSkewSeconds = 30 }));
        var at = DateTimeOffset.UtcNow.AddSeconds(-60).ToString("O");
        using var body = JsonDocument.Parse($$"""{"events":[{"eventId":"e","callId":"c","sequence":2,"type":"held","occurredAt":"{{at}}"}]}""");

        var parsed = Assert.Single(parser.Parse(body.RootElement));

        Assert.StartsWith("'occurredAt' is 60 s behind the silo's clock", parsed.Error);
        Assert.EndsWith("more than the 30 s allowed: check the gateway's clock", parsed.Error);
        Assert.Throws<InvalidOperationException>(() => SiloHost.StartAsync(new KeyValuePair<string, string?>("ContactCenter:Ingest:MaxClockSkewSeconds", "0")).GetAwaiter().GetResult());
    }

    [Fact]
    public async Task BodyThatIsNotJsonIsABadRequest()
    {
        using var response = await Host.Client().PostAsync("/api/v1/gateway/events", new StringContent("{\"events\": [", Encoding.UTF8, "application/json"));
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("not valid JSON", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BodyWithoutAnEventsArrayIsABadRequest()
    {
        using var response = await Host.Client().PostAsJsonAsync("/api/v1/gateway/events", new { events = "none" });
        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("'events' array", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BatchOverTheEventLimitIsABadRequest()
    {
        var batch = new GatewayBatch();
        for (var i = 0; i < 1_001; i++)
        {
            batch.Add(new JsonObject { ["n"] = i });
        }

        var reply = await batch.PostAsync(Host.Client());

        Assert.Equal(400, reply.Status);
        Assert.Contains("at most 1000 per request", reply.Body);
    }

    [Fact]
    public async Task BodyOverTheSizeLimitIsRefused()
    {
        var padding = new string(' ', 1_100_000);
        using var response = await Host.Client().PostAsync("/api/v1/gateway/events", new StringContent($"{{\"events\": [{padding}]}}", Encoding.UTF8, "application/json"));
        Assert.Equal(413, (int)response.StatusCode);
    }
}
