using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.SipEdge.Media;
using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Calls;

/// <summary>
/// A supervisor on a bridged call, asked for through the cluster's supervisor API: sipp carries the three phones'
/// signalling, and their media is the test's own (<see cref="MediaPhone"/>), so each test can say what each of
/// them heard: the caller speaks 1 kHz, the agent 400 Hz, the supervisor 2 kHz.
/// </summary>
[Collection(EdgeCollection.Name)]
[Slow("runs a call through a silo with three phones and seconds of media in each supervision mode")]
public sealed class SupervisionTests(EdgeSiloFixture fixture)
{
    private const double CallerTone = 1000, AgentTone = 400, SupervisorTone = 2000;
    private static readonly TimeSpan Settle = TimeSpan.FromMilliseconds(700), Listen = TimeSpan.FromSeconds(1);

    private readonly CenterClient _center = new(fixture.Host);

    [Fact]
    public async Task MonitorWhisperAndBargeEachLetTheRightPeopleHearTheSupervisorAndOnlyBargingIsRecorded()
    {
        await _center.QueueAsync("billing");
        var agentSip = TestEdge.PhonePorts().Sip;
        var supervisorSip = TestEdge.PhonePorts().Sip;
        await _center.AgentAtAsync("agent", $"sip:{_center.Id("agent")}@127.0.0.1:{agentSip}", ready: true, "billing");
        await using var edge = await TestEdge.StartAsync(fixture.Host, o => o.Numbers["10086"] = new() { Queue = _center.Id("billing") });
        await using var callerVoice = MediaPhone.Start(CallerTone);
        await using var agentVoice = MediaPhone.Start(AgentTone);
        await using var supervisorVoice = MediaPhone.Start(SupervisorTone);
        await using var agent = Sipp.Start("phone-with-media-at.xml", edge.Folder, "-p", $"{agentSip}", "-key", "rtpport", $"{agentVoice.Port}", "-m", "1");
        await using var supervisor = Sipp.Start("phone-with-media-at.xml", edge.Folder, "-p", $"{supervisorSip}", "-key", "rtpport", $"{supervisorVoice.Port}", "-m", "1");
        await using var caller = Sipp.Start("caller-with-media-at.xml", edge.Folder, edge.Address, "-s", "10086", "-p", $"{TestEdge.PhonePorts().Sip}",
            "-key", "rtpport", $"{callerVoice.Port}", "-m", "1", "-d", "16000");
        using var supervisorApi = fixture.Host.Client(TestTokens.SupervisorToken);

        var callId = await Eventually.ReadAsync(
            async () => (await edge.Runtime.Loop.InvokeAsync(() => edge.Runtime.Director.Snapshot())).FirstOrDefault(c => c.IsConnected)?.Id,
            id => id is not null);
        Assert.True(callId is not null, edge.Describe());
        Assert.Equal("talking", await Eventually.ReadAsync(() => PhaseAsync(callId!), phase => phase == "talking"));

        var heard = new Dictionary<string, (string Caller, string Agent, string Supervisor)>();
        foreach (var mode in new[] { "monitor", "whisper", "barge" })
        {
            await CenterClient.ExpectAsync(202, supervisorApi.PostAsJsonAsync($"/api/v1/supervisor/calls/{callId}/{mode}", new { endpoint = $"sip:sup-1@127.0.0.1:{supervisorSip}" }));
            Assert.Equal(mode, await Eventually.ReadAsync(() => ModeOnEdgeAsync(edge, callId!), m => m == mode));
            heard[mode] = await ListenAsync(callerVoice, agentVoice, supervisorVoice);
        }

        var participants = await Eventually.ReadAsync(() => ParticipantsAsync(callId!), p => p.Count == 1);
        Assert.Equal(["sup-1"], participants);
        await CenterClient.ExpectAsync(202, supervisorApi.PostAsync($"/api/v1/supervisor/calls/{callId}/leave", null));
        Assert.True((await supervisor.WaitAsync(TimeSpan.FromSeconds(20))).ExitCode == 0, edge.Describe());
        Assert.Empty(await Eventually.ReadAsync(() => ParticipantsAsync(callId!), p => p.Count == 0));
        heard["after leaving"] = await ListenAsync(callerVoice, agentVoice, supervisorVoice);

        // Each participant as the one rule says (SupervisionMixer.Hears), read off what their phones received.
        Assert.Equal(("400", "1000", "1000+400"), heard["monitor"]);
        Assert.Equal(("400", "1000+2000", "1000+400"), heard["whisper"]);
        Assert.Equal(("400+2000", "1000+2000", "1000+400"), heard["barge"]);
        Assert.Equal(("400", "1000"), (heard["after leaving"].Caller, heard["after leaving"].Agent));

        Assert.True((await caller.WaitAsync(TimeSpan.FromSeconds(40))).ExitCode == 0, edge.Describe());
        Assert.True((await agent.WaitAsync(TimeSpan.FromSeconds(10))).ExitCode == 0, edge.Describe());
        var recording = Directory.GetFiles(edge.RecordingsPath, "*.wav", SearchOption.AllDirectories).Single();
        var (callerChannel, centerChannel) = await RecordingFile.ChannelsAsync(recording);
        // The supervisor is in the center's channel only while barging (about one listening stretch), never in the caller's.
        Assert.Equal(0, RecordingFile.Seconds(callerChannel, s => Tones.Share(s.Span, SupervisorTone) > 0.1));
        Assert.InRange(RecordingFile.Seconds(centerChannel, s => Tones.Share(s.Span, SupervisorTone) > 0.1), 0.5, 2.5);
        Assert.Empty(edge.Log.Errors);
    }

    [Fact]
    public void WhoHearsWhomIsOneRule()
    {
        Assert.True(SupervisionMixer.Hears(Party.Caller, Party.Agent));
        Assert.False(SupervisionMixer.Hears(Party.Caller, Party.Caller));
        Assert.False(SupervisionMixer.Hears(Party.Caller, Party.Whisper));
        Assert.True(SupervisionMixer.Hears(Party.Caller, Party.Barge));
        Assert.True(SupervisionMixer.Hears(Party.Agent, Party.Whisper));
        Assert.False(SupervisionMixer.Hears(Party.Agent, Party.Monitor));
        Assert.True(SupervisionMixer.Hears(Party.Monitor, Party.Caller) && SupervisionMixer.Hears(Party.Monitor, Party.Agent));
        Assert.True(SupervisionMixer.Hears(Party.Whisper, Party.Whisper));
    }

    private async Task<string?> PhaseAsync(string callId) =>
        (await _center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{callId}"))?["phase"]?.GetValue<string>();

    private async Task<List<string>> ParticipantsAsync(string callId) =>
        [.. (await _center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{callId}"))!["participants"]!.AsArray().Select(p => p!["id"]!.GetValue<string>())];

    private static async Task<string?> ModeOnEdgeAsync(TestEdge edge, string callId) =>
        await edge.Runtime.Loop.InvokeAsync(() => edge.Runtime.Director.Find(callId)?.SupervisorMode("sup-1")?.ToString().ToLowerInvariant());

    /// <summary>After the mix has settled, a second of what each phone heard, as the tones it contained.</summary>
    private static async Task<(string Caller, string Agent, string Supervisor)> ListenAsync(MediaPhone caller, MediaPhone agent, MediaPhone supervisor)
    {
        await Task.Delay(Settle);
        var from = caller.Now;
        await Task.Delay(Listen);
        string Of(MediaPhone phone) => Tones.Heard(phone.Heard(from, from + Listen), CallerTone, AgentTone, SupervisorTone);
        return (Of(caller), Of(agent), Of(supervisor));
    }
}
