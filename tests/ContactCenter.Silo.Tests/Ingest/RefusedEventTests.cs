using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Ingest;

/// <summary>
/// A refused event takes its place in its call's sequence: a malformed event, or one naming a queue the center does not
/// have, is refused with its reason, and the call's later events are applied, not held for ever for it (its call would
/// otherwise never end, nor free its agent). The refusal is on the call's journal; the event sent again is refused again.
/// </summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class RefusedEventTests(EmbeddedHostFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    private async Task<string?> PhaseAsync(string callId)
    {
        using var response = await _center.Admin.GetAsync($"/api/v1/calls/{callId}");
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonObject>())!["phase"]!.GetValue<string>() : null;
    }

    [Fact]
    public async Task TheEventsAfterAMalformedOneApplyAndTheCallEnds()
    {
        await _center.QueueAsync("billing");
        var call = _center.Id("c1");

        var reply = await new GatewayBatch()
            .Offered(call)
            .Event(call, 2, "queued", new { queue = _center.Id("billing") })
            .Event(call, 3, "answered", new { agent = "not an agent id!" })
            .Event(call, 4, "ended", new { cause = "normal", hungUpBy = "caller" })
            .PostAsync(_center.Gateway);

        Assert.Equal(["accepted", "accepted", "rejected", "accepted"], [reply.Outcome(0), reply.Outcome(1), reply.Outcome(2), reply.Outcome(3)]);
        Assert.Contains("'agent'", reply.Reason(2), StringComparison.Ordinal);
        Assert.Equal("ended", await PhaseAsync(call));
    }

    [Fact]
    public async Task AnEventHeldForAGapIsAppliedOnceTheRefusedEventBeforeItComesAndIsRefused()
    {
        var call = _center.Id("c2");
        var unknown = _center.Id("no-such-queue");
        var first = await new GatewayBatch()
            .Offered(call)
            .Event(call, 3, "ended", new { cause = "normal", hungUpBy = "caller" }, eventId: $"{call}-3")
            .PostAsync(_center.Gateway);
        Assert.Equal("held", first.Outcome(1));

        var refused = await new GatewayBatch().Event(call, 2, "queued", new { queue = unknown }, eventId: $"{call}-2").PostAsync(_center.Gateway);

        Assert.Equal(("rejected", $"unknown queue '{unknown}'"), (refused.Outcome(0), refused.Reason(0)));
        Assert.Equal("ended", await PhaseAsync(call));
        var resent = await new GatewayBatch()
            .Event(call, 3, "ended", new { cause = "normal", hungUpBy = "caller" }, eventId: $"{call}-3")
            .Event(call, 2, "queued", new { queue = unknown }, eventId: $"{call}-2")
            .PostAsync(_center.Gateway);
        Assert.Equal(("duplicate", "rejected"), (resent.Outcome(0), resent.Outcome(1)));
        Assert.Equal($"unknown queue '{unknown}'", resent.Reason(1));
    }

    [Fact]
    public async Task AnEventWhoseCallOrPlaceCannotBeReadTakesNoPlace()
    {
        var call = _center.Id("c3");
        var reply = await new GatewayBatch()
            .Offered(call)
            .Event(call, 0, "queued", new { queue = "x" })
            .PostAsync(_center.Gateway);

        Assert.Equal(("accepted", "rejected"), (reply.Outcome(0), reply.Outcome(1)));
        var next = await new GatewayBatch().Event(call, 2, "ended", new { cause = "normal", hungUpBy = "caller" }).PostAsync(_center.Gateway);
        Assert.Equal("accepted", next.Outcome(0));
        Assert.Equal("ended", await PhaseAsync(call));
    }
}
