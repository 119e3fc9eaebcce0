using System.Net;
using System.Net.Sockets;
using System.Text;
using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Calls;

/// <summary>Calls that must go through a lossy network, and while the edge is flooded.</summary>
[Collection(EdgeCollection.Name)]
[Slow("runs sipp calls through a silo while packets are lost or the edge is flooded")]
public sealed class HostileNetworkTests(EdgeSiloFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    private async Task<(TestEdge Edge, (int Sip, int Media) AgentPhone)> SetUpAsync()
    {
        await _center.QueueAsync("billing");
        var phone = TestEdge.PhonePorts();
        await _center.AgentAtAsync("agent", $"sip:{_center.Id("agent")}@127.0.0.1:{phone.Sip}", ready: true, "billing");
        var edge = await TestEdge.StartAsync(fixture.Host, o => o.Numbers["10086"] = new() { Queue = _center.Id("billing") });
        return (edge, phone);
    }

    [Fact]
    public async Task ACallGoesThroughWhenBothPhonesLoseAFifthOfTheirSignalling()
    {
        var (edge, agentPhone) = await SetUpAsync();
        await using var _ = edge;
        var callerPhone = TestEdge.PhonePorts();

        // -lost drops that share of the messages each sipp sends and receives: the edge's retransmissions
        // (INVITE to the agent, its 200 to the caller, the BYE) and its absorbing of theirs must make up for it.
        await using var agent = Sipp.Start("agent-answers.xml", edge.Folder, "-p", $"{agentPhone.Sip}", "-mp", $"{agentPhone.Media}", "-m", "1", "-lost", "20");
        await using var caller = Sipp.Start("caller.xml", edge.Folder, edge.Address, "-s", "10086", "-p", $"{callerPhone.Sip}", "-mp", $"{callerPhone.Media}", "-m", "1", "-d", "4000", "-lost", "20");

        var callerSaw = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var agentSaw = await agent.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(callerSaw.ExitCode == 0, callerSaw.Describe() + edge.Describe());
        Assert.True(agentSaw.ExitCode == 0, agentSaw.Describe() + edge.Describe());
        var cdr = Assert.Single(await Eventually.ReadAsync(() => edge.CdrsAsync(_center.Id("billing")), rows => rows.Count > 0));
        Assert.Equal(_center.Id("agent"), cdr["agent"]);
    }

    [Fact]
    public async Task AFloodOfInvitesAndJunkCostsACallInProgressNeitherItsSignallingNorItsMedia()
    {
        var (edge, agentPhone) = await SetUpAsync();
        await using var _ = edge;
        var callerPhone = TestEdge.PhonePorts();

        await using var agent = Sipp.Start("agent-answers.xml", edge.Folder, "-p", $"{agentPhone.Sip}", "-mp", $"{agentPhone.Media}", "-m", "1");
        await using var caller = Sipp.Start("caller.xml", edge.Folder, edge.Address, "-s", "10086", "-p", $"{callerPhone.Sip}", "-mp", $"{callerPhone.Media}", "-m", "1", "-d", "6000");
        var flood = Task.Run(() => FloodAsync(edge.Runtime.SipPort, TimeSpan.FromSeconds(4)));

        var sent = await flood;
        var callerSaw = await caller.WaitAsync(TimeSpan.FromSeconds(60));
        var agentSaw = await agent.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(callerSaw.ExitCode == 0, callerSaw.Describe() + edge.Describe());
        Assert.True(agentSaw.ExitCode == 0, agentSaw.Describe() + edge.Describe());
        Assert.True(sent > 5_000, $"only {sent} datagrams sent");
        var recording = Directory.GetFiles(edge.RecordingsPath, "*.wav", SearchOption.AllDirectories).Single();
        Assert.InRange((await Sox.MeasureAsync(recording, 1)).RoughFrequency, 950, 1050);
        Assert.InRange((await Sox.MeasureAsync(recording, 2)).RoughFrequency, 370, 430);
        var status = await edge.Runtime.StatusAsync();
        Assert.True(status.MalformedMessages > 1_000, $"{status}");
        Assert.Empty(edge.Log.Errors);
    }

    /// <summary>INVITEs to a number the edge does not serve (each answered 100 and 404) mixed with junk, as fast as one socket sends.</summary>
    private static async Task<int> FloodAsync(int port, TimeSpan length)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var edge = new IPEndPoint(IPAddress.Loopback, port);
        var junk = new byte[300];
        var sent = 0;
        var until = DateTime.UtcNow + length;
        while (DateTime.UtcNow < until)
        {
            var invite = Encoding.ASCII.GetBytes(
                "INVITE sip:99999@127.0.0.1 SIP/2.0\r\n" +
                $"Via: SIP/2.0/UDP 127.0.0.1:5999;branch=z9hG4bK-flood-{sent}\r\n" +
                "Max-Forwards: 70\r\nFrom: <sip:+8613812345678@127.0.0.1>;tag=f\r\nTo: <sip:99999@127.0.0.1>\r\n" +
                $"Call-ID: flood-{sent}\r\nCSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n");
            await socket.SendToAsync(invite, edge);
            Random.Shared.NextBytes(junk);
            await socket.SendToAsync(junk, edge);
            sent += 2;
            if (sent % 200 == 0)
            {
                // A breath now and then: one core of two must stay for the media, as on a real edge host.
                await Task.Delay(1);
            }
        }

        return sent;
    }
}
