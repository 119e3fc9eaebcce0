using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Calls;

/// <summary>
/// Blind transfers through the edge, with sipp as the caller and as both agents' phones: the first agent's phone
/// transfers with a REFER to a queue number, or the agent's desk asks the cluster; either way the caller stays on
/// the line, the second queue's agent gets the call, the CDR counts one transfer and names the second agent, and
/// the call has one recording from the first answer to the hang-up, with both agents in the center's channel.
/// </summary>
[Collection(EdgeCollection.Name)]
[Slow("runs sipp calls through a silo, with seconds of media each")]
public sealed class TransferTests(EdgeSiloFixture fixture)
{
    private const string BillingNumber = "10086";
    private const string DisputesNumber = "10087";
    private readonly CenterClient _center = new(fixture.Host);

    /// <param name="colleagues">Both agents in billing, the second not ready until asked, instead of the second in disputes.</param>
    private async Task<(TestEdge Edge, (int Sip, int Media) First, (int Sip, int Media) Second)> CenterAsync(bool colleagues = false)
    {
        await _center.QueueAsync("billing");
        await _center.QueueAsync("disputes");
        var first = TestEdge.PhonePorts();
        var second = TestEdge.PhonePorts();
        await _center.AgentAtAsync("first", $"sip:{_center.Id("first")}@127.0.0.1:{first.Sip}", ready: true, "billing");
        await _center.AgentAtAsync("second", $"sip:{_center.Id("second")}@127.0.0.1:{second.Sip}", ready: !colleagues, colleagues ? "billing" : "disputes");
        var edge = await TestEdge.StartAsync(fixture.Host, o =>
        {
            o.Numbers[BillingNumber] = new() { Queue = _center.Id("billing") };
            o.Numbers[DisputesNumber] = new() { Queue = _center.Id("disputes") };
        });
        return (edge, first, second);
    }

    private static Sipp Phone(TestEdge edge, string scenario, (int Sip, int Media) phone, params string[] more) =>
        Sipp.Start(scenario, edge.Folder, ["-p", $"{phone.Sip}", "-mp", $"{phone.Media}", "-m", "1", .. more]);

    private static Sipp Caller(TestEdge edge, int seconds)
    {
        var phone = TestEdge.PhonePorts();
        return Sipp.Start("caller.xml", edge.Folder, edge.Address, "-s", BillingNumber, "-p", $"{phone.Sip}", "-mp", $"{phone.Media}", "-m", "1", "-d", $"{seconds * 1000}");
    }

    private static void Succeeded(SippResult sipp, TestEdge edge) => Assert.True(sipp.ExitCode == 0, sipp.Describe() + "\n" + edge.Describe());

    [Fact]
    public async Task TheAgentsPhoneTransfersToAQueueNumberAndTheNextAgentJoinsTheSameRecording()
    {
        var (edge, firstPhone, secondPhone) = await CenterAsync();
        await using var _ = edge;

        await using var first = Phone(edge, "agent-transfers.xml", firstPhone, "-d", "2000", "-set", "transfer_to", DisputesNumber);
        await using var second = Phone(edge, "agent-answers.xml", secondPhone);
        await using var caller = Caller(edge, seconds: 9);

        Succeeded(await first.WaitAsync(TimeSpan.FromSeconds(30)), edge);
        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(40)), edge);
        Succeeded(await second.WaitAsync(TimeSpan.FromSeconds(10)), edge);
        await TheCallWasTransferredOnceWithOneRecordingAsync(edge);
    }

    [Fact]
    public Task ATransferFromTheDeskEndsTheFirstAgentsLegAndTheNextAgentJoinsTheSameRecording() =>
        TransferFromTheDeskAsync(colleagues: false, new { toQueue = _center.Id("disputes") }, lastQueue: "disputes");

    [Fact]
    public Task ATransferToAColleagueFromTheDeskRingsThatColleagueWithTheSameCall() =>
        TransferFromTheDeskAsync(colleagues: true, new { toAgent = _center.Id("second") }, lastQueue: "billing");

    private async Task TransferFromTheDeskAsync(bool colleagues, object transfer, string lastQueue)
    {
        var (edge, firstPhone, secondPhone) = await CenterAsync(colleagues);
        await using var _ = edge;
        using var desk = fixture.Host.Client(TestTokens.SupervisorToken);

        await using var first = Phone(edge, "agent-answers.xml", firstPhone);
        await using var second = Phone(edge, "agent-answers.xml", secondPhone);
        await using var caller = Caller(edge, seconds: 9);
        await Eventually.ReadAsync(() => _center.AgentStatusAsync("first"), a => a["presence"]?.GetValue<string>() == "onCall");
        if (colleagues)
        {
            await _center.ReadyAsync("second");
        }

        await Task.Delay(1500);
        await CenterClient.ExpectAsync(202, desk.PostAsJsonAsync($"/api/v1/agents/{_center.Id("first")}/transfer", transfer));

        // The first phone's scenario ends with the edge's BYE: the transfer took the call from it.
        Succeeded(await first.WaitAsync(TimeSpan.FromSeconds(20)), edge);
        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(40)), edge);
        Succeeded(await second.WaitAsync(TimeSpan.FromSeconds(10)), edge);
        await TheCallWasTransferredOnceWithOneRecordingAsync(edge, lastQueue);
    }

    [Fact]
    public async Task AReferToANumberThatIsNotAQueueIsRefusedAndTheCallStaysWithTheAgent()
    {
        var (edge, firstPhone, _) = await CenterAsync();
        await using var __ = edge;

        await using var first = Phone(edge, "agent-transfer-refused.xml", firstPhone, "-d", "1000", "-set", "transfer_to", "99999");
        await using var caller = Caller(edge, seconds: 4);

        Succeeded(await caller.WaitAsync(TimeSpan.FromSeconds(40)), edge);
        Succeeded(await first.WaitAsync(TimeSpan.FromSeconds(10)), edge);
        var cdr = Assert.Single(await Eventually.ReadAsync(() => edge.CdrsAsync(_center.Id("billing")), rows => rows.Count > 0));
        Assert.Equal((_center.Id("first"), 0L, "caller"), (cdr["agent"], Convert.ToInt64(cdr["transfer_count"], System.Globalization.CultureInfo.InvariantCulture), cdr["hung_up_by"]));
    }

    private async Task TheCallWasTransferredOnceWithOneRecordingAsync(TestEdge edge, string lastQueue = "disputes")
    {
        var cdr = Assert.Single(await Eventually.ReadAsync(() => edge.CdrsAsync(_center.Id(lastQueue)), rows => rows.Count > 0));
        Assert.True(_center.Id("second").Equals(cdr["agent"]), $"agent {cdr["agent"]}\n{edge.Describe()}");
        Assert.Equal(1L, Convert.ToInt64(cdr["transfer_count"], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("caller", cdr["hung_up_by"]);
        var mediaRef = Assert.IsType<string>(cdr["recordings"]);
        Assert.DoesNotContain(',', mediaRef);
        Assert.Equal("wrapUp", (await _center.AgentStatusAsync("first"))["presence"]?.GetValue<string>());

        var recording = Assert.Single(Directory.GetFiles(edge.RecordingsPath, "*.wav", SearchOption.AllDirectories));
        var (callerChannel, centerChannel) = await RecordingFile.ChannelsAsync(recording);
        // From the first agent's answer to the caller's hang-up, the caller throughout (waiting for the second
        // agent too); the center's side is both agents' voices with a short silence between them.
        Assert.InRange(callerChannel.Length / 8000.0, 6.5, 9.0);
        Assert.InRange(RecordingFile.Seconds(callerChannel, s => Tones.Share(s.Span, 1000) > 0.5), 6.0, 9.0);
        Assert.InRange(RecordingFile.Seconds(centerChannel, s => Tones.Share(s.Span, 400) > 0.5), 4.0, 8.0);
        Assert.InRange(RecordingFile.Seconds(centerChannel, RecordingFile.IsSilent), 0.2, 3.0);

        var call = (await _center.Gateway.GetFromJsonAsync<JsonObject>($"/api/v1/calls/{cdr["call_id"]}"))!;
        Assert.Equal(1, call["transferCount"]!.GetValue<int>());
        Assert.Empty(edge.Log.Errors);
    }
}
