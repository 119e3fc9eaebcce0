using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Calls;

/// <summary>
/// An edge whose process died had calls the cluster still holds; the edge that starts in its place (the same
/// gateway identity) has the cluster end them at once, as <c>gateway_restarted</c>, while its own calls go on.
/// </summary>
[Collection(EdgeCollection.Name)]
[Slow("runs sipp calls through a silo")]
public sealed class EdgeRestartTests(EdgeSiloFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    [Fact]
    public async Task AnEdgeThatStartsAgainHasTheCallsOfItsEarlierRunEndedAndKeepsItsNewOnes()
    {
        await _center.QueueAsync("billing");
        await _center.AgentAsync("agent", ready: false, "billing");
        // The earlier run: a caller waiting in the queue when its process "dies" (here it is left running, unheard of,
        // and polling nothing the test sends: with no agent ready, the cluster sends no commands).
        var earlier = await TestEdge.StartAsync(fixture.Host, o => o.Numbers["10086"] = new() { Queue = _center.Id("billing") });
        string newCall;
        TestEdge? edge = null;
        try
        {
            await using var stranded = Caller(earlier);
            var strandedCall = await CallIdAsync(earlier);
            Assert.Equal("queued", (await Eventually.ReadAsync(() => CallAsync(strandedCall), c => c["phase"]?.GetValue<string>() == "queued"))["phase"]?.GetValue<string>());

            edge = await TestEdge.StartAsync(fixture.Host, o => o.Numbers["10086"] = new() { Queue = _center.Id("billing") });
            var ended = await Eventually.ReadAsync(() => CallAsync(strandedCall), c => c["phase"]?.GetValue<string>() == "ended");
            Assert.Equal(("gateway_restarted", "system"), (ended["endCause"]!.GetValue<string>(), ended["hungUpBy"]!.GetValue<string>()));
            var report = await Eventually.ReadAsync(() => Task.FromResult(edge.Log.Entries.FirstOrDefault(e => e.Contains("calls this edge had before it started", StringComparison.Ordinal))), e => e is not null);
            Assert.Contains("the cluster ended 1 calls", report, StringComparison.Ordinal);

            // The new run's own call is not touched, nor by the earlier run's going away.
            await using var caller = Caller(edge);
            newCall = await CallIdAsync(edge);
            Assert.Equal("queued", (await Eventually.ReadAsync(() => CallAsync(newCall), c => c["phase"]?.GetValue<string>() == "queued"))["phase"]?.GetValue<string>());
            await earlier.DisposeAsync();
            Assert.Equal("queued", (await CallAsync(newCall))["phase"]!.GetValue<string>());
            Assert.Empty(edge.Log.Errors);
        }
        finally
        {
            await earlier.DisposeAsync();
            if (edge is not null)
            {
                await edge.DisposeAsync();
            }
        }
    }

    private static Sipp Caller(TestEdge edge)
    {
        var phone = TestEdge.PhonePorts();
        return Sipp.Start("caller-until-hung-up.xml", edge.Folder, edge.Address, "-s", "10086", "-p", $"{phone.Sip}", "-mp", $"{phone.Media}", "-m", "1");
    }

    private static async Task<string> CallIdAsync(TestEdge edge) =>
        (await Eventually.ReadAsync(async () => (await edge.Runtime.Loop.InvokeAsync(() => edge.Runtime.Director.Snapshot())).FirstOrDefault()?.Id, id => id is not null))!;

    private async Task<JsonObject> CallAsync(string callId)
    {
        var response = await _center.Gateway.GetAsync($"/api/v1/calls/{callId}");
        return response.IsSuccessStatusCode ? (await response.Content.ReadFromJsonAsync<JsonObject>())! : [];
    }
}
