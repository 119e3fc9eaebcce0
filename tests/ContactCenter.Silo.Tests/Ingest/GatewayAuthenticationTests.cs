using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Ingest;

[Collection(EmbeddedHostCollection.Name)]
public sealed class GatewayAuthenticationTests(EmbeddedHostFixture fixture)
{
    private SiloHost Host => fixture.Host;

    [Fact]
    public async Task BatchWithoutTokenIsUnauthorized()
    {
        var reply = await new GatewayBatch().Offered(NewCall()).PostAsync(Host.Client(token: null));
        Assert.Equal(401, reply.Status);
    }

    [Fact]
    public async Task BatchWithUnknownTokenIsUnauthorized()
    {
        var reply = await new GatewayBatch().Offered(NewCall()).PostAsync(Host.Client("not-a-token"));
        Assert.Equal(401, reply.Status);
    }

    [Fact]
    public async Task SupervisorCannotPostGatewayEvents()
    {
        var reply = await new GatewayBatch().Offered(NewCall()).PostAsync(Host.Client(TestTokens.SupervisorToken));
        Assert.Equal(403, reply.Status);
    }

    [Fact]
    public async Task EventsForAnotherGatewaysCallAreForbidden()
    {
        var callId = NewCall();
        await new GatewayBatch().Offered(callId).PostAsync(Host.Client());

        var reply = await new GatewayBatch().Event(callId, 2, "ivr_entered", new { menu = "main" }).PostAsync(Host.Client(TestTokens.HuaianToken));

        Assert.Equal(403, reply.Status);
        Assert.Equal("forbidden", reply.Outcome(0));
    }

    [Fact]
    public async Task MixedBatchAnswersForbiddenPerEventAndProcessesTheRest()
    {
        var foreign = NewCall();
        await new GatewayBatch().Offered(foreign).PostAsync(Host.Client());
        var own = NewCall();

        var reply = await new GatewayBatch()
            .Event(foreign, 2, "ivr_entered", new { menu = "main" })
            .Offered(own, region: "huaian")
            .PostAsync(Host.Client(TestTokens.HuaianToken));

        Assert.Equal(200, reply.Status);
        Assert.Equal(("forbidden", "accepted"), (reply.Outcome(0), reply.Outcome(1)));
    }

    private static string NewCall() => $"auth-{Guid.NewGuid():N}";
}
