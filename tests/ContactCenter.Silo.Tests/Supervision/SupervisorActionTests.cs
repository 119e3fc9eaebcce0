using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.Tests.Infrastructure;

namespace ContactCenter.Tests.Supervision;

/// <summary>Supervisor actions over HTTP: who may take them, what they do, and the audit log that records each one.</summary>
[Collection(EmbeddedHostCollection.Name)]
public sealed class SupervisorActionTests(EmbeddedHostFixture fixture) : IDisposable
{
    private readonly CenterClient _center = new(fixture.Host);
    private readonly HttpClient _supervisor = fixture.Host.Client(TestTokens.SupervisorToken);

    [Fact]
    public async Task AnAgentOrGatewayTokenIsRefusedAndTheRefusalIsAudited()
    {
        await _center.QueueAsync("gotone");
        await _center.AgentAsync("a1", ready: true, "gotone");
        using var desk = fixture.Host.Client(TestTokens.DeskAgentToken);

        await CenterClient.ExpectAsync(403, desk.PostAsJsonAsync($"/api/v1/supervisor/agents/{_center.Id("a1")}/not-ready", new { reason = "break" }));
        // Refused before its body is read: even a body that is not JSON gets 403, not 400.
        using var garbage = new StringContent("{not json", System.Text.Encoding.UTF8, "application/json");
        await CenterClient.ExpectAsync(403, _center.Gateway.PostAsync($"/api/v1/supervisor/calls/{_center.Id("c1")}/barge", garbage));
        await CenterClient.ExpectAsync(403, desk.GetAsync("/api/v1/audit"));

        Assert.Equal("available", (await _center.AgentStatusAsync("a1"))["presence"]!.GetValue<string>());
        var refusedAgent = await EntryAsync("force_not_ready", _center.Id("a1"), actor: TestTokens.DeskAgent);
        Assert.Equal(("agent", "forbidden", "agent"), (Text(refusedAgent, "role"), Text(refusedAgent, "outcome"), Text(refusedAgent, "targetKind")));
        var refusedGateway = await EntryAsync("barge", _center.Id("c1"), actor: TestTokens.NanjingGateway);
        Assert.Equal(("gateway", "forbidden", "call"), (Text(refusedGateway, "role"), Text(refusedGateway, "outcome"), Text(refusedGateway, "targetKind")));
    }

    [Fact]
    public async Task ASupervisorForcesAnAgentNotReadyThenLogsThemOutAndTheAuditNamesThem()
    {
        await _center.QueueAsync("gotone");
        await _center.AgentAsync("a1", ready: true, "gotone");
        var agent = $"/api/v1/supervisor/agents/{_center.Id("a1")}";

        await CenterClient.ExpectAsync(200, _supervisor.PostAsJsonAsync($"{agent}/not-ready", new { reason = "meeting" }));

        var status = await _center.AgentStatusAsync("a1");
        Assert.Equal(("notReady", "meeting"), (Text(status, "presence"), Text(status, "reason")));
        // Read at once, not eventually: the entry is complete before the answer leaves.
        var forced = await EntryAsync("force_not_ready", _center.Id("a1"));
        Assert.Equal(("sup-1", "supervisor", "succeeded", "meeting"), (Text(forced, "actor"), Text(forced, "role"), Text(forced, "outcome"), Text(forced["details"]!, "reason")));
        Assert.NotNull(forced["completedAt"]);

        await CenterClient.ExpectAsync(200, _supervisor.PostAsync($"{agent}/logout", null));
        Assert.Equal("loggedOut", Text(await _center.AgentStatusAsync("a1"), "presence"));
        Assert.Equal("succeeded", Text(await EntryAsync("force_logout", _center.Id("a1")), "outcome"));
    }

    [Fact]
    public async Task AnOperatorChangingAnAgentThroughTheAgentApiIsAuditedButTheAgentsOwnDeskIsNot()
    {
        await _center.QueueAsync("gotone");
        await _center.AgentAsync("a1", ready: true, "gotone");
        using var desk = fixture.Host.Client(TestTokens.DeskAgentToken);

        await CenterClient.ExpectAsync(200, _supervisor.PostAsJsonAsync($"/api/v1/agents/{_center.Id("a1")}/not-ready", new { reason = "coaching" }));
        await CenterClient.ExpectAsync(200, desk.PostAsJsonAsync($"/api/v1/agents/{TestTokens.DeskAgent}/login", new { endpoint = "sip:desk@pbx" }));

        var forced = await EntryAsync("agent_not_ready", _center.Id("a1"));
        Assert.Equal(("sup-1", "succeeded", "coaching"), (Text(forced, "actor"), Text(forced, "outcome"), Text(forced["details"]!, "reason")));
        Assert.DoesNotContain(await EntriesAsync("action=agent_login&limit=1000"), e => Text(e!, "targetId") == TestTokens.DeskAgent);
    }

    [Fact]
    public async Task AForcedChangeTheAgentCannotMakeOrThatIsMalformedIsRefusedWithItsReasonAndAudited()
    {
        await CenterClient.ExpectAsync(404, _supervisor.PostAsync($"/api/v1/supervisor/agents/{_center.Id("nobody")}/logout", null));
        Assert.Equal("not_found", Text(await EntryAsync("force_logout", _center.Id("nobody")), "outcome"));

        await _center.QueueAsync("gotone");
        await _center.AgentAsync("a1", ready: false, "gotone");
        var invalid = await CenterClient.ExpectAsync(400, _supervisor.PostAsJsonAsync($"/api/v1/supervisor/agents/{_center.Id("a1")}/not-ready", new { reason = "coffee break!" }));
        Assert.Contains("'reason'", await invalid.Content.ReadAsStringAsync());
        var entry = await EntryAsync("force_not_ready", _center.Id("a1"));
        Assert.Equal("invalid", Text(entry, "outcome"));
        Assert.Contains("'reason'", Text(entry, "reason"));

        // An agent on a call cannot be logged out: the agent's own state machine says so.
        await _center.QueueCallAsync("c1", "gotone");
        await _center.ReadyAsync("a1");
        Assert.NotNull(await _center.CommandForAsync("c1", "connect"));
        var answered = await new GatewayBatch().Event(_center.Id("c1"), 3, "answered", new { agent = _center.Id("a1") }).PostAsync(_center.Gateway);
        Assert.Equal("accepted", answered.Outcome(0));
        var conflict = await CenterClient.ExpectAsync(409, _supervisor.PostAsync($"/api/v1/supervisor/agents/{_center.Id("a1")}/logout", null));
        Assert.Contains("on a call", await conflict.Content.ReadAsStringAsync());
        Assert.Equal("conflict", Text(await EntryAsync("force_logout", _center.Id("a1")), "outcome"));
    }

    [Fact]
    public async Task AWhisperReachesTheCallsGatewayIsShownWithTheCallAndLeavesTheGatewaysNumberingAlone()
    {
        await TalkingCallAsync("c1");

        var response = await CenterClient.ExpectAsync(202, _supervisor.PostAsJsonAsync($"/api/v1/supervisor/calls/{_center.Id("c1")}/whisper", new { endpoint = "sip:sup-1@pbx.test" }));

        var sent = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        var join = await _center.CommandForAsync("c1", "join_as_supervisor");
        Assert.NotNull(join);
        Assert.Equal(sent["commandId"]!.GetValue<long>(), join["id"]!.GetValue<long>());
        Assert.Equal(("sup-1", "whisper", "sip:sup-1@pbx.test"), (Text(join["command"]!, "supervisor"), Text(join["command"]!, "mode"), Text(join["command"]!, "endpoint")));
        using var huaian = fixture.Host.Client(TestTokens.HuaianToken);
        var elsewhere = await huaian.GetFromJsonAsync<JsonObject>("/api/v1/gateway/commands?wait=0");
        Assert.DoesNotContain(elsewhere!["commands"]!.AsArray(), c => Text(c!["command"]!, "callId") == _center.Id("c1"));

        var call = await _center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{_center.Id("c1")}");
        var action = Assert.Single(call!["supervisorActions"]!.AsArray());
        Assert.Equal(("sup-1", "whisper", "sip:sup-1@pbx.test"), (Text(action!, "supervisor"), Text(action!, "action"), Text(action!["details"]!, "endpoint")));
        Assert.Equal(3, call["lastSequence"]!.GetValue<int>());

        // The gateway reports the join itself, as the call's next event in its own numbering.
        var joined = await new GatewayBatch().Event(_center.Id("c1"), 4, "participant_joined", new { participant = "sup-1", role = "supervisor" }).PostAsync(_center.Gateway);
        Assert.Equal("accepted", joined.Outcome(0));
        await CenterClient.ExpectAsync(202, _supervisor.PostAsync($"/api/v1/supervisor/calls/{_center.Id("c1")}/leave", null));
        Assert.Equal("sup-1", Text((await _center.CommandForAsync("c1", "leave_as_supervisor"))!["command"]!, "supervisor"));
        call = await _center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{_center.Id("c1")}");
        Assert.Equal((4, "sup-1"), (call!["lastSequence"]!.GetValue<int>(), Text(call["participants"]![0]!, "id")));
        Assert.Equal(["whisper", "leave_call"], call["supervisorActions"]!.AsArray().Select(a => Text(a!, "action")));
    }

    [Fact]
    public async Task OnlyACallThatIsTalkingOrOnHoldCanBeMonitored()
    {
        await _center.QueueAsync("gotone");
        await _center.AgentAsync("a1", ready: false, "gotone");
        await _center.QueueCallAsync("c1", "gotone");
        var path = $"/api/v1/supervisor/calls/{_center.Id("c1")}/monitor";

        var queued = await CenterClient.ExpectAsync(409, _supervisor.PostAsJsonAsync(path, new { endpoint = "sip:sup-1@pbx.test" }));
        Assert.Contains("is queued", await queued.Content.ReadAsStringAsync());
        await CenterClient.ExpectAsync(400, _supervisor.PostAsJsonAsync(path, new { endpoint = "" }));
        await CenterClient.ExpectAsync(404, _supervisor.PostAsJsonAsync($"/api/v1/supervisor/calls/{_center.Id("nobody")}/barge", new { endpoint = "sip:sup-1@pbx.test" }));

        Assert.Null(await _center.CommandForAsync("c1", "join_as_supervisor", waitSeconds: 1));
        Assert.Equal("invalid", Text(await EntryAsync("monitor", _center.Id("c1")), "outcome"));
        Assert.Equal("not_found", Text(await EntryAsync("barge", _center.Id("nobody")), "outcome"));
        Assert.Empty((await _center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{_center.Id("c1")}"))!["supervisorActions"]!.AsArray());
    }

    [Fact]
    public async Task ASupervisorRaisesAWaitingCallsPriorityAndMovesItKeepingItsWait()
    {
        await _center.QueueAsync("nanjing");
        await _center.QueueAsync("huaian");
        await _center.AgentAsync("a1", ready: false, "nanjing");
        await _center.AgentAsync("b1", ready: false, "huaian");
        await _center.QueueCallAsync("c1", "nanjing");
        var waitingSince = Text(Waiting(await _center.QueueStatusAsync("nanjing")).Single()!, "waitingSince");
        var calls = $"/api/v1/supervisor/queues/{_center.Id("nanjing")}/calls/{_center.Id("c1")}";

        var raised = await CenterClient.ExpectAsync(200, _supervisor.PostAsJsonAsync($"{calls}/priority", new { priority = 7 }));
        Assert.Equal(7, (await raised.Content.ReadFromJsonAsync<JsonObject>())!["priority"]!.GetValue<int>());
        await CenterClient.ExpectAsync(200, _supervisor.PostAsJsonAsync($"{calls}/move", new { toQueue = _center.Id("huaian") }));

        Assert.Empty(Waiting(await _center.QueueStatusAsync("nanjing")));
        var moved = Waiting(await _center.QueueStatusAsync("huaian")).Single()!;
        Assert.Equal((_center.Id("c1"), 7, waitingSince), (Text(moved, "callId"), moved["priority"]!.GetValue<int>(), Text(moved, "waitingSince")));
        var command = (await _center.CommandForAsync("c1", "moved"))!["command"]!;
        Assert.Equal((_center.Id("nanjing"), _center.Id("huaian"), "sup-1"), (Text(command, "fromQueue"), Text(command, "toQueue"), Text(command, "supervisor")));
        var call = await _center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{_center.Id("c1")}");
        Assert.Equal(["set_priority", "move_call"], call!["supervisorActions"]!.AsArray().Select(a => Text(a!, "action")));

        // Moved on: the first queue no longer holds it, and the agent in the new queue gets it.
        await CenterClient.ExpectAsync(404, _supervisor.PostAsJsonAsync($"{calls}/move", new { toQueue = _center.Id("huaian") }));
        await _center.ReadyAsync("b1");
        Assert.Equal(_center.Id("b1"), Text((await _center.CommandForAsync("c1", "connect"))!["command"]!, "agentId"));
    }

    [Theory]
    [InlineData("priority", "{\"priority\":10}", 400, "'priority'")]
    [InlineData("priority", "{}", 400, "'priority'")]
    [InlineData("move", "{\"toQueue\":\"no-such-queue\"}", 400, "no queue 'no-such-queue'")]
    [InlineData("move", "{\"toQueue\":\"SELF\"}", 400, "already waits")]
    [InlineData("move", "{\"toQueue\":\"OTHER\"}", 404, "not waiting")]
    [InlineData("move", "{\"toQueue\":\"CLOSED\"}", 409, "nobody is logged in")]
    public async Task AWrongMoveOrPriorityIsRefusedWithItsReason(string action, string body, int status, string reason)
    {
        await _center.QueueAsync("q1");
        await _center.QueueAsync("q2");
        await _center.QueueAsync("closed");
        await _center.AgentAsync("a1", ready: false, "q1", "q2");
        using var content = new StringContent(
            body.Replace("SELF", _center.Id("q1")).Replace("OTHER", _center.Id("q2")).Replace("CLOSED", _center.Id("closed")),
            System.Text.Encoding.UTF8, "application/json");

        var response = await CenterClient.ExpectAsync(status, _supervisor.PostAsync($"/api/v1/supervisor/queues/{_center.Id("q1")}/calls/{_center.Id("c1")}/{action}", content));

        Assert.Contains(reason, await response.Content.ReadAsStringAsync());
        await CenterClient.ExpectAsync(404, _supervisor.PostAsJsonAsync($"/api/v1/supervisor/queues/{_center.Id("nowhere")}/calls/{_center.Id("c1")}/priority", new { priority = 1 }));
    }

    [Fact]
    public async Task TheAuditLogIsReadNewestFirstWithinBounds()
    {
        await _center.QueueAsync("gotone");
        await _center.AgentAsync("a1", ready: true, "gotone");
        await CenterClient.ExpectAsync(200, _supervisor.PostAsJsonAsync($"/api/v1/supervisor/agents/{_center.Id("a1")}/not-ready", new { reason = "first" }));
        await CenterClient.ExpectAsync(200, _supervisor.PostAsJsonAsync($"/api/v1/supervisor/agents/{_center.Id("a1")}/not-ready", new { reason = "second" }));

        var newest = await EntriesAsync("actor=sup-1&action=force_not_ready&limit=2");
        Assert.Equal(["second", "first"], newest.Select(e => Text(e!["details"]!, "reason")));
        var since = Uri.EscapeDataString(Text(newest[0]!, "at"));
        Assert.Equal(["second"], (await EntriesAsync($"actor=sup-1&action=force_not_ready&from={since}")).Select(e => Text(e!["details"]!, "reason")));
        Assert.Equal("first", Text((await EntriesAsync($"actor=sup-1&action=force_not_ready&to={since}&limit=1"))[0]!["details"]!, "reason"));

        foreach (var query in new[] { "limit=0", "limit=1001", "from=yesterday", "from=2026-11-23T08:00:00", "from=2026-11-23T09:00:00Z&to=2026-11-23T08:00:00Z", "actor=a%20b" })
        {
            await CenterClient.ExpectAsync(400, _supervisor.GetAsync($"/api/v1/audit?{query}"));
        }
    }

    public void Dispose() => _supervisor.Dispose();

    /// <summary>A call answered by an agent: offered, queued, answered (sequences 1-3).</summary>
    [Fact]
    public async Task ARecordingIsPausedAndResumedThroughTheCallsGatewayOnlyWhenThatChangesIt()
    {
        var (agent, call) = (_center.Id("a1"), _center.Id("c1"));
        await _center.QueueAsync("gotone");
        await _center.AgentAsync("a1", ready: true, "gotone");
        Assert.Contains("not on a call", await (await CenterClient.ExpectAsync(409, _supervisor.PostAsync($"/api/v1/agents/{agent}/recording/pause", null))).Content.ReadAsStringAsync());
        await TalkingCallAsync("c1");
        Assert.Contains("is off", await (await CenterClient.ExpectAsync(409, _supervisor.PostAsync($"/api/v1/agents/{agent}/recording/pause", null))).Content.ReadAsStringAsync());
        Assert.Equal("accepted", (await new GatewayBatch().Event(call, 4, "recording_started", new { mediaRef = "rec/c1.wav" }).PostAsync(_center.Gateway)).Outcome(0));

        await CenterClient.ExpectAsync(202, _supervisor.PostAsync($"/api/v1/agents/{agent}/recording/pause", null));
        var pause = await _center.CommandForAsync("c1", "pause_recording");
        Assert.Equal("sup-1", Text(pause!["command"]!, "by"));
        Assert.Equal(("sup-1", "succeeded"), (Text(await EntryAsync("recording_pause", agent, "sup-1"), "actor"), Text(await EntryAsync("recording_pause", agent, "sup-1"), "outcome")));
        Assert.Equal("accepted", (await new GatewayBatch().Event(call, 5, "recording_paused").PostAsync(_center.Gateway)).Outcome(0));
        await _center.AcknowledgeAsync(pause);
        Assert.Contains("is paused", await (await CenterClient.ExpectAsync(409, _supervisor.PostAsync($"/api/v1/agents/{agent}/recording/pause", null))).Content.ReadAsStringAsync());
        await CenterClient.ExpectAsync(202, _supervisor.PostAsync($"/api/v1/agents/{agent}/recording/resume", null));
        Assert.NotNull(await _center.CommandForAsync("c1", "resume_recording"));
        // Another agent's desk may not touch this agent's call.
        using var desk = fixture.Host.Client(TestTokens.DeskAgentToken);
        await CenterClient.ExpectAsync(403, desk.PostAsync($"/api/v1/agents/{agent}/recording/resume", null));
    }

    private async Task TalkingCallAsync(string callName)
    {
        await _center.QueueAsync("gotone");
        await _center.AgentAsync("a1", ready: true, "gotone");
        await _center.QueueCallAsync(callName, "gotone");
        Assert.NotNull(await _center.CommandForAsync(callName, "connect"));
        var answered = await new GatewayBatch().Event(_center.Id(callName), 3, "answered", new { agent = _center.Id("a1") }).PostAsync(_center.Gateway);
        Assert.Equal("accepted", answered.Outcome(0));
    }

    /// <summary>The newest audit entry of this action on this target (by any actor unless one is given).</summary>
    private async Task<JsonNode> EntryAsync(string action, string target, string? actor = null)
    {
        var entries = await EntriesAsync($"action={action}&limit=1000" + (actor is null ? "" : $"&actor={actor}"));
        var entry = entries.FirstOrDefault(e => Text(e!, "targetId") == target);
        Assert.True(entry is not null, $"no audit entry for {action} on {target}");
        return entry;
    }

    private async Task<JsonArray> EntriesAsync(string query) =>
        (await _supervisor.GetFromJsonAsync<JsonObject>($"/api/v1/audit?{query}"))!["entries"]!.AsArray();

    private static JsonArray Waiting(JsonObject queue) => queue["waiting"]!.AsArray();

    private static string Text(JsonNode node, string field) => node[field]!.GetValue<string>();
}
