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
public sealed class BridgedCallTests(EmbeddedHostFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

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
}
