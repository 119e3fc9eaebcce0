using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Media;

/// <summary>
/// A recorded call played back through the cluster's API: the silo relays the file from the edge that recorded
/// it, byte for byte and by ranges, to supervisors only, and audits every listening on the call.
/// </summary>
[Collection(EdgeCollection.Name)]
[Slow("runs a sipp call through a silo")]
public sealed class RecordingPlaybackTests(EdgeSiloFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    [Fact]
    public async Task ASupervisorPlaysTheRecordingFromTheEdgeWholeOrByRangeAndEveryListeningIsAudited()
    {
        await _center.QueueAsync("billing");
        var agentPhone = TestEdge.PhonePorts();
        await _center.AgentAtAsync("agent", $"sip:{_center.Id("agent")}@127.0.0.1:{agentPhone.Sip}", ready: true, "billing");
        await using var edge = await TestEdge.StartAsync(fixture.Host, o => o.Numbers["10086"] = new() { Queue = _center.Id("billing") });
        await edge.ServeHttpAsync(fixture.RecordingsPort);
        var callerPhone = TestEdge.PhonePorts();
        await using var agent = Sipp.Start("agent-answers.xml", edge.Folder, "-p", $"{agentPhone.Sip}", "-mp", $"{agentPhone.Media}", "-m", "1");
        await using var caller = Sipp.Start("caller.xml", edge.Folder, edge.Address, "-s", "10086", "-p", $"{callerPhone.Sip}", "-mp", $"{callerPhone.Media}", "-m", "1", "-d", "3000");
        var callerSaw = await caller.WaitAsync(TimeSpan.FromSeconds(40));
        Assert.True(callerSaw.ExitCode == 0, callerSaw.Describe() + edge.Describe());
        var cdr = Assert.Single(await Eventually.ReadAsync(() => edge.CdrsAsync(_center.Id("billing")), rows => rows.Count > 0));
        var callId = (string)cdr["call_id"]!;
        var onDisk = await File.ReadAllBytesAsync(Directory.GetFiles(edge.RecordingsPath, "*.wav", SearchOption.AllDirectories).Single());

        using var supervisor = fixture.Host.Client(TestTokens.SupervisorToken);
        using var whole = await supervisor.GetAsync($"/api/v1/calls/{callId}/recording");
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("audio/wav", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(onDisk, await whole.Content.ReadAsByteArrayAsync());

        // The WAV header alone, as a player asks for it before it seeks.
        using var headerOnly = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/calls/{callId}/recording") { Headers = { Range = new RangeHeaderValue(0, 57) } };
        using var header = await supervisor.SendAsync(headerOnly);
        Assert.Equal(HttpStatusCode.PartialContent, header.StatusCode);
        Assert.Equal($"bytes 0-57/{onDisk.Length}", header.Content.Headers.ContentRange?.ToString());
        Assert.Equal(onDisk[..58], await header.Content.ReadAsByteArrayAsync());

        // Only supervisors and admins: a gateway, even the one that made it, may not.
        using var byGateway = await _center.Gateway.GetAsync($"/api/v1/calls/{callId}/recording");
        Assert.Equal(HttpStatusCode.Forbidden, byGateway.StatusCode);
        using var nothingMore = await supervisor.GetAsync($"/api/v1/calls/{callId}/recording?part=2");
        Assert.Equal(HttpStatusCode.NotFound, nothingMore.StatusCode);

        var audit = (await supervisor.GetFromJsonAsync<JsonObject>("/api/v1/audit?action=recording_played&limit=500"))!;
        var listened = audit["entries"]!.AsArray().Select(a => a!.AsObject()).Where(a => a["targetId"]!.GetValue<string>() == callId).Reverse().ToList();
        Assert.Equal(["succeeded", "succeeded", "forbidden", "not_found"], listened.Select(a => a["outcome"]!.GetValue<string>()));
        Assert.Equal(["sup-1", "sup-1", TestTokens.NanjingGateway, "sup-1"], listened.Select(a => a["actor"]!.GetValue<string>()));
    }

    [Fact]
    public async Task ARecordingTheEdgeNoLongerHasIsANotFoundAndAnEdgeNotServingIsABadGateway()
    {
        await _center.QueueAsync("billing");
        var agentPhone = TestEdge.PhonePorts();
        await _center.AgentAtAsync("agent", $"sip:{_center.Id("agent")}@127.0.0.1:{agentPhone.Sip}", ready: true, "billing");
        await using var edge = await TestEdge.StartAsync(fixture.Host, o => o.Numbers["10086"] = new() { Queue = _center.Id("billing") });
        var callerPhone = TestEdge.PhonePorts();
        await using var agent = Sipp.Start("agent-answers.xml", edge.Folder, "-p", $"{agentPhone.Sip}", "-mp", $"{agentPhone.Media}", "-m", "1");
        await using var caller = Sipp.Start("caller.xml", edge.Folder, edge.Address, "-s", "10086", "-p", $"{callerPhone.Sip}", "-mp", $"{callerPhone.Media}", "-m", "1", "-d", "2000");
        Assert.Equal(0, (await caller.WaitAsync(TimeSpan.FromSeconds(40))).ExitCode);
        var cdr = Assert.Single(await Eventually.ReadAsync(() => edge.CdrsAsync(_center.Id("billing")), rows => rows.Count > 0));
        var callId = (string)cdr["call_id"]!;
        using var supervisor = fixture.Host.Client(TestTokens.SupervisorToken);

        // The edge's HTTP port is not open: the cluster says the gateway cannot be reached.
        using var unreachable = await supervisor.GetAsync($"/api/v1/calls/{callId}/recording");
        Assert.Equal(HttpStatusCode.BadGateway, unreachable.StatusCode);

        await edge.ServeHttpAsync(fixture.RecordingsPort);
        foreach (var file in Directory.GetFiles(edge.RecordingsPath, "*.wav", SearchOption.AllDirectories))
        {
            File.Delete(file);
        }

        using var gone = await supervisor.GetAsync($"/api/v1/calls/{callId}/recording");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Contains("retention", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var noSuchCall = await supervisor.GetAsync($"/api/v1/calls/{_center.Id("never")}/recording");
        Assert.Equal(HttpStatusCode.NotFound, noSuchCall.StatusCode);
    }
}
