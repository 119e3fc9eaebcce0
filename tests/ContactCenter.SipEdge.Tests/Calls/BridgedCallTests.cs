using System.Net.Http.Json;
using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Calls;

/// <summary>
/// Whole calls through the edge and a silo, with sipp as the subscriber on the trunk and as the agent's phone:
/// each test checks what sipp saw (its exit code and counts) and what the cluster saw (the CDR), and, for an
/// answered call, the recording (two channels, the caller's tone in the caller's channel, the agent's in the agent's).
/// </summary>
[Collection(EdgeCollection.Name)]
[Slow("runs sipp calls through a silo, with seconds of media each")]
public sealed class BridgedCallTests(EdgeSiloFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    private Task<TestEdge> EdgeAsync() =>
        TestEdge.StartAsync(fixture.Host, o => o.Numbers["10086"] = new() { Queue = _center.Id("billing") });

    private async Task<(int Sip, int Media)> AgentPhoneAsync(bool ready = true, double offerTimeoutSeconds = 15)
    {
        await _center.QueueAsync("billing", offerTimeoutSeconds);
        var phone = TestEdge.PhonePorts();
        await _center.AgentAtAsync("agent", $"sip:{_center.Id("agent")}@127.0.0.1:{phone.Sip}", ready, "billing");
        return phone;
    }

    private static Sipp Phone(TestEdge edge, string scenario, (int Sip, int Media) phone, params string[] more) =>
        Sipp.Start(scenario, edge.Folder, ["-p", $"{phone.Sip}", "-mp", $"{phone.Media}", "-m", "1", .. more]);

    private static Sipp Caller(TestEdge edge, string scenario, params string[] more)
    {
        var phone = TestEdge.PhonePorts();
        return Sipp.Start(scenario, edge.Folder, [edge.Address, "-s", "10086", "-p", $"{phone.Sip}", "-mp", $"{phone.Media}", "-m", "1", .. more]);
    }

    private async Task<Dictionary<string, object?>> CdrAsync(TestEdge edge) =>
        Assert.Single(await Eventually.ReadAsync(() => edge.CdrsAsync(_center.Id("billing")), rows => rows.Count > 0));

    private static void Succeeded(SippResult sipp, TestEdge edge) => Assert.True(sipp.ExitCode == 0, sipp.Describe() + "\n" + edge.Describe());

    [Fact]
    public async Task ACallerReachesTheReadyAgentAndTheCallIsRecordedOnTwoChannels()
    {
        await _center.QueueAsync("billing");
        var agentPhone = TestEdge.PhonePorts();
        await _center.AgentAtAsync("agent", $"sip:{_center.Id("agent")}@127.0.0.1:{agentPhone.Sip}", ready: true, "billing");
        await using var edge = await TestEdge.StartAsync(fixture.Host, o => o.Numbers["10086"] = new() { Queue = _center.Id("billing") });
        var callerPhone = TestEdge.PhonePorts();

        await using var agent = Sipp.Start("agent-answers.xml", edge.Folder, "-p", $"{agentPhone.Sip}", "-mp", $"{agentPhone.Media}", "-m", "1");
        await using var caller = Sipp.Start("caller.xml", edge.Folder, edge.Address, "-s", "10086", "-p", $"{callerPhone.Sip}", "-mp", $"{callerPhone.Media}", "-m", "1", "-d", "6000");
        var callerSaw = await caller.WaitAsync(TimeSpan.FromSeconds(40));
        var agentSaw = await agent.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(callerSaw.ExitCode == 0, callerSaw.Describe() + edge.Describe());
        Assert.True(agentSaw.ExitCode == 0, agentSaw.Describe() + edge.Describe());
        Assert.Equal(1, callerSaw.SuccessfulCalls);
        var cdr = Assert.Single(await Eventually.ReadAsync(() => edge.CdrsAsync(_center.Id("billing")), rows => rows.Count > 0));
        Assert.Equal(_center.Id("agent"), cdr["agent"]);
        Assert.True("caller".Equals(cdr["hung_up_by"]), $"hung up by {cdr["hung_up_by"]} ({cdr["end_cause"]})\n{edge.Describe()}");
        Assert.Equal(0L, cdr["abandoned"]);
        var mediaRef = Assert.IsType<string>(cdr["recordings"]);
        Assert.Contains($"{cdr["call_id"]}.wav", mediaRef, StringComparison.Ordinal);

        var recording = Directory.GetFiles(edge.RecordingsPath, "*.wav", SearchOption.AllDirectories).Single();
        Assert.Equal(2, await Sox.ChannelsAsync(recording));
        var callerChannel = await Sox.MeasureAsync(recording, 1);
        var agentChannel = await Sox.MeasureAsync(recording, 2);
        // From the agent's answer (after the queue's offer and half a second of ringing) to the caller's hang-up.
        Assert.InRange(callerChannel.Seconds, 2.5, 6.0);
        Assert.InRange(callerChannel.RoughFrequency, 950, 1050);
        Assert.InRange(agentChannel.RoughFrequency, 370, 430);
        Assert.True(callerChannel.RmsAmplitude > 0.1 && agentChannel.RmsAmplitude > 0.1, $"{callerChannel} {agentChannel}");
        Assert.Empty(edge.Log.Errors);
    }

    [Fact]
    public async Task TheAgentHangingUpEndsTheCallForTheCallerAsHungUpByTheAgent()
    {
        var agentPhone = await AgentPhoneAsync();
        await using var edge = await EdgeAsync();

        await using var agent = Phone(edge, "agent-hangs-up.xml", agentPhone, "-d", "2000");
        await using var caller = Caller(edge, "caller-until-hung-up.xml");

        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(40)), edge);
        Succeeded(await agent.WaitAsync(TimeSpan.FromSeconds(10)), edge);
        var cdr = await CdrAsync(edge);
        Assert.Equal("agent", cdr["hung_up_by"]);
        Assert.Equal(_center.Id("agent"), cdr["agent"]);
        // The agent's phone answered with PCMA first, the caller spoke PCMU: the edge transcoded between them.
        var recording = Directory.GetFiles(edge.RecordingsPath, "*.wav", SearchOption.AllDirectories).Single();
        Assert.InRange((await Sox.MeasureAsync(recording, 1)).RoughFrequency, 950, 1050);
        Assert.Empty(edge.Log.Errors);
    }

    [Fact]
    public async Task AnInviteWithoutAnOfferGetsTheEdgesOfferAndTheAnswerInTheAck()
    {
        var agentPhone = await AgentPhoneAsync();
        await using var edge = await EdgeAsync();

        await using var agent = Phone(edge, "agent-answers.xml", agentPhone);
        await using var caller = Caller(edge, "caller-without-offer.xml", "-d", "5000");

        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(40)), edge);
        Succeeded(await agent.WaitAsync(TimeSpan.FromSeconds(10)), edge);
        Assert.Equal("caller", (await CdrAsync(edge))["hung_up_by"]);
        var recording = Directory.GetFiles(edge.RecordingsPath, "*.wav", SearchOption.AllDirectories).Single();
        Assert.InRange((await Sox.MeasureAsync(recording, 1)).RoughFrequency, 950, 1050);
    }

    [Fact]
    public async Task ACallOverTcpIsBridgedLikeOneOverUdp()
    {
        var agentPhone = await AgentPhoneAsync();
        await using var edge = await EdgeAsync();

        await using var agent = Phone(edge, "agent-answers.xml", agentPhone);
        await using var caller = Caller(edge, "caller.xml", "-t", "t1", "-d", "4000");

        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(40)), edge);
        Succeeded(await agent.WaitAsync(TimeSpan.FromSeconds(10)), edge);
        Assert.Equal("caller", (await CdrAsync(edge))["hung_up_by"]);
    }

    [Fact]
    public async Task AnAgentWhoDoesNotAnswerIsCancelledAtTheOfferTimeoutAndGoesNotReady()
    {
        var agentPhone = await AgentPhoneAsync(offerTimeoutSeconds: 2);
        await using var edge = await EdgeAsync();

        await using var agent = Phone(edge, "agent-never-answers.xml", agentPhone);
        await using var caller = Caller(edge, "caller.xml", "-d", "7000");

        Succeeded(await agent.WaitAsync(TimeSpan.FromSeconds(30)), edge);
        var status = await Eventually.ReadAsync(() => _center.AgentStatusAsync("agent"), a => a["reason"]?.GetValue<string>() == "no_answer");
        Assert.Equal("no_answer", status["reason"]?.GetValue<string>());
        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(30)), edge);
        var cdr = await CdrAsync(edge);
        Assert.Equal(1L, cdr["abandoned"]);
        Assert.Equal("caller", cdr["hung_up_by"]);
        Assert.Empty(Directory.Exists(edge.RecordingsPath) ? Directory.GetFiles(edge.RecordingsPath, "*", SearchOption.AllDirectories) : []);
    }

    [Fact]
    public async Task ABusyPhoneLeavesTheCallWaitingAndTheCallerWhoGivesUpIsAbandoned()
    {
        var agentPhone = await AgentPhoneAsync();
        await using var edge = await EdgeAsync();

        await using var agent = Phone(edge, "agent-busy.xml", agentPhone);
        await using var caller = Caller(edge, "caller.xml", "-d", "3000");

        Succeeded(await agent.WaitAsync(TimeSpan.FromSeconds(30)), edge);
        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(30)), edge);
        var cdr = await CdrAsync(edge);
        Assert.Equal(1L, cdr["abandoned"]);
        Assert.Null(cdr["answered_at"]);
        Assert.Empty(edge.Log.Errors);
    }

    [Fact]
    public async Task ABusyPhoneIsReportedAtOnceAndTheNextAgentsPhoneRingsWithoutWaitingForTheOfferTimeout()
    {
        // An offer timeout longer than the whole call: the caller reaches the second agent only if the first
        // phone's 486 ends its offer at once.
        await _center.QueueAsync("billing", offerTimeoutSeconds: 60);
        var busyPhone = TestEdge.PhonePorts();
        var nextPhone = TestEdge.PhonePorts();
        await _center.AgentAtAsync("busy", $"sip:{_center.Id("busy")}@127.0.0.1:{busyPhone.Sip}", ready: true, "billing");
        await _center.AgentAtAsync("next", $"sip:{_center.Id("next")}@127.0.0.1:{nextPhone.Sip}", ready: false, "billing");
        await _center.ReadyAsync("next"); // idle for less time than the busy one, so offered second
        await using var edge = await EdgeAsync();

        await using var busy = Phone(edge, "agent-busy.xml", busyPhone);
        await using var next = Phone(edge, "agent-answers.xml", nextPhone);
        await using var caller = Caller(edge, "caller.xml", "-d", "8000");

        Succeeded(await busy.WaitAsync(TimeSpan.FromSeconds(30)), edge);
        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(30)), edge);
        Succeeded(await next.WaitAsync(TimeSpan.FromSeconds(10)), edge);
        var cdr = await CdrAsync(edge);
        Assert.Equal((_center.Id("next"), "caller"), (cdr["agent"], cdr["hung_up_by"]));
        var status = await _center.AgentStatusAsync("busy");
        Assert.Equal(("notReady", "no_answer"), (status["presence"]?.GetValue<string>(), status["reason"]?.GetValue<string>()));
        var failed = Assert.Single(await edge.JournalAsync((string)cdr["call_id"]!), e => "agent_ring_failed".Equals(e["event_type"]));
        Assert.Contains("\"busy\"", (string)failed["payload"]!, StringComparison.Ordinal);
        Assert.Empty(edge.Log.Errors);
    }

    [Fact]
    public async Task APhoneTheEdgeRingsOutIsReportedAsNoAnswerBeforeTheOfferTimeout()
    {
        var agentPhone = await AgentPhoneAsync(offerTimeoutSeconds: 60);
        await using var edge = await TestEdge.StartAsync(fixture.Host, o =>
        {
            o.Numbers["10086"] = new() { Queue = _center.Id("billing") };
            o.AgentRingSeconds = 2;
        });

        await using var agent = Phone(edge, "agent-never-answers.xml", agentPhone);
        await using var caller = Caller(edge, "caller.xml", "-d", "6000");

        // The phone answers the edge's CANCEL 487, yet the cluster hears "no answer" at once, not in a minute.
        var status = await Eventually.ReadAsync(() => _center.AgentStatusAsync("agent"), a => a["reason"]?.GetValue<string>() == "no_answer", TimeSpan.FromSeconds(15));
        Assert.True("notReady" == status["presence"]?.GetValue<string>(), $"{status}\n{edge.Describe()}");
        Succeeded(await agent.WaitAsync(TimeSpan.FromSeconds(30)), edge);
        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(30)), edge);
        var failed = Assert.Single(await edge.JournalAsync((string)(await CdrAsync(edge))["call_id"]!), e => "agent_ring_failed".Equals(e["event_type"]));
        Assert.Contains("\"no_answer\"", (string)failed["payload"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ACallToAQueueWithNobodyLoggedInHearsTheAnnouncementAndIsHungUp()
    {
        await _center.QueueAsync("billing");
        await using var edge = await EdgeAsync();

        await using var caller = Caller(edge, "caller-until-hung-up.xml");

        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(30)), edge);
        var cdr = await CdrAsync(edge);
        Assert.Equal("system", cdr["hung_up_by"]);
        Assert.Equal("no_agents", cdr["end_cause"]);
    }

    [Fact]
    public async Task TheAgentsPhonePuttingTheCallerOnHoldAndBackIsReportedAsHeldAndResumed()
    {
        var agentPhone = await AgentPhoneAsync();
        await using var edge = await EdgeAsync();

        await using var agent = Phone(edge, "agent-holds.xml", agentPhone, "-d", "1000");
        await using var caller = Caller(edge, "caller-until-hung-up.xml");

        Succeeded(await agent.WaitAsync(TimeSpan.FromSeconds(40)), edge);
        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(10)), edge);
        var cdr = await CdrAsync(edge);
        Assert.Equal("agent", cdr["hung_up_by"]);
        Assert.InRange(Convert.ToDouble(cdr["hold_seconds"], System.Globalization.CultureInfo.InvariantCulture), 0.5, 3);
        var call = await _center.Gateway.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/calls/{cdr["call_id"]}");
        Assert.Equal(1, call!["holdCount"]?.GetValue<int>());
    }

    [Fact]
    public async Task APausedRecordingKeepsItsTimelineWithSilenceWhereThePauseWas()
    {
        var agentPhone = await AgentPhoneAsync();
        await using var edge = await EdgeAsync();
        using var supervisor = fixture.Host.Client(TestTokens.SupervisorToken);
        await using var agent = Phone(edge, "agent-answers.xml", agentPhone);
        await using var caller = Caller(edge, "caller.xml", "-d", "9000");
        var callId = (await Eventually.ReadAsync(
            async () => (await edge.Runtime.Loop.InvokeAsync(() => edge.Runtime.Director.Snapshot())).FirstOrDefault(c => c.IsConnected)?.Id, id => id is not null))!;
        Assert.Equal("recording", await Eventually.ReadAsync(() => RecordingStateAsync(callId), state => state == "recording"));

        await CenterClient.ExpectAsync(202, supervisor.PostAsync($"/api/v1/agents/{_center.Id("agent")}/recording/pause", null));
        Assert.Equal("paused", await Eventually.ReadAsync(() => RecordingStateAsync(callId), state => state == "paused"));
        await Task.Delay(2000);
        await CenterClient.ExpectAsync(202, supervisor.PostAsync($"/api/v1/agents/{_center.Id("agent")}/recording/resume", null));
        Assert.Equal("recording", await Eventually.ReadAsync(() => RecordingStateAsync(callId), state => state == "recording"));

        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(40)), edge);
        Succeeded(await agent.WaitAsync(TimeSpan.FromSeconds(10)), edge);
        var recording = Directory.GetFiles(edge.RecordingsPath, "*.wav", SearchOption.AllDirectories).Single();
        var (callerChannel, agentChannel) = await RecordingFile.ChannelsAsync(recording);
        // Both sides silent for the pause (about two seconds, give or take the commands' round trips), and the
        // whole call still there around it: the tones before and after, the length from answer to hang-up.
        Assert.InRange(RecordingFile.Seconds(callerChannel, RecordingFile.IsSilent), 1.6, 3.4);
        Assert.InRange(RecordingFile.Seconds(agentChannel, RecordingFile.IsSilent), 1.6, 3.4);
        Assert.InRange(RecordingFile.Seconds(callerChannel, s => Tones.Share(s.Span, 1000) > 0.5), 3.0, 9.0);
        Assert.InRange(callerChannel.Length / 8000.0, 6.5, 9.5);
        Assert.Empty(edge.Log.Errors);
    }

    private async Task<string?> RecordingStateAsync(string callId) =>
        (await _center.Gateway.GetFromJsonAsync<System.Text.Json.Nodes.JsonObject>($"/api/v1/calls/{callId}"))?["recording"]?.GetValue<string>();
}
