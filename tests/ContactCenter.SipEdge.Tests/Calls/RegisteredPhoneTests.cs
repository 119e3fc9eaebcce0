using ContactCenter.SipEdge.Tests.Infrastructure;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Calls;

/// <summary>An agent whose endpoint is a registration: the phone registers with the edge's registrar, and the call is rung where it registered from.</summary>
[Collection(EdgeCollection.Name)]
[Slow("runs sipp registrations and calls through a silo")]
public sealed class RegisteredPhoneTests(EdgeSiloFixture fixture)
{
    private readonly CenterClient _center = new(fixture.Host);

    [Fact]
    public async Task APhoneThatRegisteredWithItsPasswordIsRungAtItsRegistration()
    {
        await _center.QueueAsync("billing");
        // The endpoint names the phone's user only: where it is, the registrar knows.
        await _center.AgentAtAsync("agent", "sip:1001@registered.invalid", ready: true, "billing");
        await using var edge = await TestEdge.StartAsync(fixture.Host, o =>
        {
            o.Numbers["10086"] = new() { Queue = _center.Id("billing") };
            o.Phones.Add(new() { User = "1001", Password = "secret-1001" });
        });
        var phone = TestEdge.PhonePorts();

        await using (var wrongPassword = Sipp.Start("phone-registers.xml", edge.Folder, edge.Address, "-s", "1001", "-au", "1001", "-ap", "guess", "-p", $"{phone.Sip}", "-m", "1"))
        {
            var refused = await wrongPassword.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.NotEqual(0, refused.ExitCode);
        }

        Assert.Equal(0, (await edge.Runtime.StatusAsync()).Registrations);
        await using (var register = Sipp.Start("phone-registers.xml", edge.Folder, edge.Address, "-s", "1001", "-au", "1001", "-ap", "secret-1001", "-p", $"{phone.Sip}", "-m", "1"))
        {
            var registered = await register.WaitAsync(TimeSpan.FromSeconds(20));
            Assert.True(registered.ExitCode == 0, registered.Describe());
        }

        Assert.Equal(1, (await edge.Runtime.StatusAsync()).Registrations);
        await using var agent = Sipp.Start("agent-answers.xml", edge.Folder, "-p", $"{phone.Sip}", "-mp", $"{phone.Media}", "-m", "1");
        var callerPorts = TestEdge.PhonePorts();
        await using var caller = Sipp.Start("caller.xml", edge.Folder, edge.Address, "-s", "10086", "-p", $"{callerPorts.Sip}", "-mp", $"{callerPorts.Media}", "-m", "1", "-d", "3000");

        var callerSaw = await caller.WaitAsync(TimeSpan.FromSeconds(40));
        var agentSaw = await agent.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(callerSaw.ExitCode == 0, callerSaw.Describe() + edge.Describe());
        Assert.True(agentSaw.ExitCode == 0, agentSaw.Describe() + edge.Describe());
        var cdr = Assert.Single(await Eventually.ReadAsync(() => edge.CdrsAsync(_center.Id("billing")), rows => rows.Count > 0));
        Assert.Equal(_center.Id("agent"), cdr["agent"]);
    }

    [Fact]
    public async Task ABaresipSoftphoneRegistersAnswersTheCallAndEachSideHearsTheOther()
    {
        await _center.QueueAsync("billing");
        var user = _center.Id("desk");
        await _center.AgentAtAsync("agent", $"sip:{user}@registered.invalid", ready: true, "billing");
        await using var edge = await TestEdge.StartAsync(fixture.Host, o =>
        {
            o.Numbers["10086"] = new() { Queue = _center.Id("billing") };
            o.Phones.Add(new() { User = user, Password = "softphone-secret" });
        });
        var voice = Path.Combine(edge.Folder, "baresip-voice.wav");
        await Sox.WriteToneAsync(voice, 400, 60, muLaw: false);
        await using var phone = Baresip.Start(user, "softphone-secret", edge.Address, voice);
        Assert.True(await Eventually.ReadAsync(async () => (await edge.Runtime.StatusAsync()).Registrations, n => n == 1) == 1, phone.Output);

        var callerPorts = TestEdge.PhonePorts();
        await using var caller = Sipp.Start("caller.xml", edge.Folder, edge.Address, "-s", "10086", "-p", $"{callerPorts.Sip}", "-mp", $"{callerPorts.Media}", "-m", "1", "-d", "5000");
        var callerSaw = await caller.WaitAsync(TimeSpan.FromSeconds(40));

        Assert.True(callerSaw.ExitCode == 0, callerSaw.Describe() + edge.Describe() + phone.Output);
        var cdr = Assert.Single(await Eventually.ReadAsync(() => edge.CdrsAsync(_center.Id("billing")), rows => rows.Count > 0));
        Assert.Equal((_center.Id("agent"), "caller"), (cdr["agent"], cdr["hung_up_by"]));
        // What baresip heard is the caller's 1 kHz; what the edge recorded from baresip is its 400 Hz.
        var heard = await Eventually.ReadAsync(() => Task.FromResult(phone.Heard), files => files.Length > 0);
        var heardMeasure = await Sox.MeasureAsync(Assert.Single(heard), 1);
        Assert.InRange(heardMeasure.RoughFrequency, 950, 1050);
        Assert.True(heardMeasure.Seconds > 2, $"{heardMeasure}\n{phone.Output}");
        var recording = Directory.GetFiles(edge.RecordingsPath, "*.wav", SearchOption.AllDirectories).Single();
        Assert.InRange((await Sox.MeasureAsync(recording, 2)).RoughFrequency, 370, 430);
        Assert.Empty(edge.Log.Errors);
    }
}
