using System.Collections.Immutable;
using ContactCenter.Agents;
using ContactCenter.Calls;
using ContactCenter.Customers;
using ContactCenter.Gateways;
using ContactCenter.Tests.Calls;
using ContactCenter.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core.Internal;

namespace ContactCenter.Tests.Routing;

/// <summary>Routing driven by a gateway's call events through the Call grain, as in production.</summary>
[Collection(ClusterCollection.Name)]
public sealed class CallRoutingTests(ClusterFixture fixture)
{
    private readonly RoutingScenario _world = new(fixture);

    [Fact]
    public async Task AQueuedCallIsRoutedAnsweredAndWrappedUp()
    {
        var queue = await _world.QueueAsync("gotone", c => c with { WrapUpTime = TimeSpan.FromSeconds(10) });
        await _world.AgentAsync("a1", ready: true, ("gotone", 1));
        var caller = await VipSubscriberAsync();
        var call = new CallScript(_world.Id("c1"), _world.Now);

        await SendAsync(call.Offered(caller), call.IvrEntered(), call.After(20).IvrExited(), call.Queued(_world.Id("gotone")));

        Assert.True((await queue.GetStatusAsync()).Waiting.Single().Vip);
        var connect = Assert.IsType<ConnectToAgent>(Assert.Single(await _world.TakeCommandsAsync()));
        Assert.Equal(_world.Id("a1"), connect.AgentId);
        var screenPop = await Grains.GetGrain<ICustomerGrain>(caller).GetScreenPopAsync();
        Assert.True(screenPop.Profile is { Known: true, Vip: true, Brand: "GoTone", HomeCity: "Nanjing" });

        await SendAsync(call.After(1).Ringing(_world.Id("a1")), call.After(4).Answered(_world.Id("a1")));
        Assert.Empty((await queue.GetStatusAsync()).Waiting);
        Assert.Equal(AgentPresence.OnCall, (await _world.Agent("a1").GetStatusAsync()).Presence);

        _world.Advance(TimeSpan.FromSeconds(120));
        await SendAsync(call.After(120).Ended(HangupSide.Agent));
        Assert.Equal(AgentPresence.WrapUp, (await _world.Agent("a1").GetStatusAsync()).Presence);

        _world.Advance(TimeSpan.FromSeconds(10));
        await _world.Agent("a1").EvaluateAsync();
        var agent = await _world.Agent("a1").GetStatusAsync();
        Assert.Equal((AgentPresence.Available, 1), (agent.Presence, agent.Figures.Handled));
        Assert.Equal(TimeSpan.FromSeconds(10), agent.Figures.WrapUp);

        var figures = (await queue.GetStatusAsync()).Figures;
        Assert.Equal((1, 1, 1), (figures.Offered, figures.Answered, figures.AnsweredWithinThreshold));
        var history = await Grains.GetGrain<ICustomerGrain>(caller).GetScreenPopAsync();
        Assert.Equal(_world.Id("c1"), Assert.Single(history.RecentContacts).CallId);
    }

    [Fact]
    public async Task ACallerWhoHangsUpWhileQueuedAbandonsAndShortAbandonsAreCountedApart()
    {
        var queue = await _world.QueueAsync("gotone", c => c with { ShortAbandonThreshold = TimeSpan.FromSeconds(5) });
        await _world.AgentAsync("busy", ready: false, ("gotone", 1));
        var patient = new CallScript(_world.Id("patient"), _world.Now);
        var hasty = new CallScript(_world.Id("hasty"), _world.Now);

        await SendAsync(patient.Offered(), patient.Queued(_world.Id("gotone")));
        await SendAsync(hasty.Offered("+8613900000001"), hasty.Queued(_world.Id("gotone")));
        Assert.Equal(2, (await queue.GetStatusAsync()).Waiting.Length);

        // Waits are measured by the silo's clock, which moves as the gateway reports.
        _world.Advance(TimeSpan.FromSeconds(3));
        await SendAsync(hasty.After(3).Ended(HangupSide.Caller));
        _world.Advance(TimeSpan.FromSeconds(37));
        await SendAsync(patient.After(40).Ended(HangupSide.Caller));

        var status = await queue.GetStatusAsync();
        Assert.Empty(status.Waiting);
        Assert.Equal((1, 1), (status.Figures.Abandoned, status.Figures.ShortAbandoned));
    }

    [Fact]
    public async Task QueueAndAgentStateSurviveDeactivation()
    {
        var queue = await _world.QueueAsync("gotone");
        await _world.AgentAsync("a1", ready: true, ("gotone", 1));
        await _world.AgentAsync("a2", ready: false, ("gotone", 1));
        await queue.EnqueueAsync(_world.Call("offered"));
        await queue.EnqueueAsync(_world.Call("waiting"));

        await queue.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await _world.Agent("a1").Cast<IGrainManagementExtension>().DeactivateOnIdle();

        var status = await queue.GetStatusAsync();
        Assert.Equal([_world.Id("a1"), null], status.Waiting.Select(w => w.OfferedTo));
        Assert.Equal(2, status.LoggedInAgents);
        var agent = await _world.Agent("a1").GetStatusAsync();
        Assert.Equal((AgentPresence.Reserved, _world.Id("offered")), (agent.Presence, agent.Offer?.CallId));

        // Enqueueing again after reactivation is harmless: every operation is idempotent by call id.
        await queue.EnqueueAsync(_world.Call("offered"));
        Assert.Equal(2, (await queue.GetStatusAsync()).Waiting.Length);
    }

    [Fact]
    public async Task EventsCommittedByASiloThatDiedBeforeTheirEffectsTakeEffectWhenTheGatewayResendsThem()
    {
        var queue = await _world.QueueAsync("gotone");
        await _world.AgentAsync("a1", ready: true, ("gotone", 1));
        var call = new CallScript(_world.Id("c1"), _world.Now);
        var offered = call.Offered();
        var queued = call.Queued(_world.Id("gotone"));
        // Committed to the journal, acknowledged to nobody, and no effect applied: what a crash leaves behind.
        await _world.CommitWithoutEffectsAsync(offered, queued);

        var resent = await Grains.GetGrain<ICallGrain>(call.CallId).ProcessAsync(_world.Gateway, [offered, queued]);

        Assert.All(resent, r => Assert.Equal(EventOutcome.Duplicate, r.Outcome));
        Assert.Equal(_world.Id("a1"), await _world.OfferedToAsync("gotone", "c1"));
    }

    [Fact]
    public async Task AnOldEventResentAloneAfterARestartChangesNothing()
    {
        var queue = await _world.QueueAsync("gotone");
        await _world.AgentAsync("a1", ready: false, ("gotone", 1));
        var call = new CallScript(_world.Id("c1"), _world.Now);
        var offered = call.Offered();
        var queued = call.Queued(_world.Id("gotone"));
        await _world.CommitWithoutEffectsAsync(offered, queued, call.Answered("elsewhere"));

        await Grains.GetGrain<ICallGrain>(call.CallId).ProcessAsync(_world.Gateway, [queued]);

        Assert.Empty((await queue.GetStatusAsync()).Waiting);
    }

    [Fact]
    public async Task ACallQueuedAndAnsweredInOneBatchIsNeverOfferedByTheQueue()
    {
        var queue = await _world.QueueAsync("gotone");
        await _world.AgentAsync("idle", ready: true, ("gotone", 1));
        var call = new CallScript(_world.Id("c1"), _world.Now);

        await SendAsync(call.Offered(), call.Queued(_world.Id("gotone")), call.Ringing("direct-agent"), call.Answered("direct-agent"));

        Assert.Empty((await queue.GetStatusAsync()).Waiting);
        Assert.Equal(AgentPresence.Available, (await _world.Agent("idle").GetStatusAsync()).Presence);
        Assert.DoesNotContain(await _world.TakeCommandsAsync(), c => c is ConnectToAgent);
    }

    [Fact]
    public async Task AnAgentOfferedACallThatSomeoneElseAnsweredIsFreedAndTheirPhoneStopped()
    {
        await _world.QueueAsync("gotone");
        await _world.AgentAsync("offered", ready: true, ("gotone", 1));
        var call = new CallScript(_world.Id("c1"), _world.Now);
        await SendAsync(call.Offered(), call.Queued(_world.Id("gotone")));
        Assert.Equal(_world.Id("offered"), await _world.OfferedToAsync("gotone", "c1"));
        await _world.TakeCommandsAsync();

        await SendAsync(call.After(3).Answered("supervisor-picked-up"));

        var agent = await _world.Agent("offered").GetStatusAsync();
        Assert.Equal((AgentPresence.Available, 0), (agent.Presence, agent.Figures.Missed));
        Assert.Equal([new CancelConnect(_world.Id("c1"), _world.Id("offered"))], await _world.TakeCommandsAsync());
    }

    [Fact]
    public async Task ACallerPutBackInAQueueAfterTalkingStartsANewWait()
    {
        var queue = await _world.QueueAsync("gotone", c => c with { MaxWait = TimeSpan.FromMinutes(5) });
        await _world.AgentAsync("a1", ready: false, ("gotone", 1));
        var call = new CallScript(_world.Id("c1"), _world.Now);
        await SendAsync(call.Offered(), call.Queued(_world.Id("gotone")), call.After(60).Ringing("direct"), call.Answered("direct"));

        _world.Advance(TimeSpan.FromMinutes(11));
        var transfer = call.After(600).Transferred(toQueue: _world.Id("gotone"));
        await SendAsync(transfer);
        await queue.EvaluateAsync();

        // Eleven minutes after first queueing, past the five-minute maximum, and still waiting: its wait began again.
        var waiting = Assert.Single((await queue.GetStatusAsync()).Waiting);
        Assert.Equal(transfer.OccurredAt, waiting.WaitingSince);
    }

    [Fact]
    public async Task AReactivatedQueueAsksItsAgentsWhereTheyAre()
    {
        var queue = await _world.QueueAsync("gotone");
        await _world.AgentAsync("a1", ready: false, ("gotone", 1));
        await queue.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        // The agent becomes ready; the queue is not active, and a presence change is not saved by the queue.
        await _world.Agent("a1").ReadyAsync();
        await queue.Cast<IGrainManagementExtension>().DeactivateOnIdle();

        await queue.EnqueueAsync(_world.Call("c1"));

        Assert.Equal(_world.Id("a1"), await _world.OfferedToAsync("gotone", "c1"));
    }

    [Fact]
    public async Task AnOfferThatSurvivedOnlyOnTheAgentIsTakenBackNotMadeAgain()
    {
        var queue = await _world.QueueAsync("gotone");
        var agent = await _world.AgentAsync("ringing", ready: true, ("gotone", 1));
        await _world.AgentAsync("other", ready: true, ("gotone", 1));
        // The agent's reservation was saved and the gateway told, but the queue's write was lost with its silo.
        var offer = new AgentOffer(_world.Id("c1"), _world.Id("gotone"), _world.Gateway, "+8613812345678", _world.Now, _world.Now.AddSeconds(15), TimeSpan.Zero);
        Assert.True((await agent.TryReserveAsync(offer)).Succeeded);
        await queue.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await _world.TakeCommandsAsync();

        // The Call grain repeats the call's arrival (recovering its effects): the queue adopts the standing offer.
        await queue.EnqueueAsync(_world.Call("c1"));

        Assert.Equal(_world.Id("ringing"), await _world.OfferedToAsync("gotone", "c1"));
        Assert.DoesNotContain(await _world.TakeCommandsAsync(), c => c is ConnectToAgent);
        Assert.Equal(AgentPresence.Available, (await _world.Agent("other").GetStatusAsync()).Presence);
    }

    [Fact]
    public async Task AnAgentWhoPicksUpADirectCallDuringWrapUpIsOnThatCall()
    {
        await _world.QueueAsync("gotone", c => c with { WrapUpTime = TimeSpan.FromMinutes(1) });
        var agent = await _world.AgentAsync("a1", ready: true, ("gotone", 1));
        var first = new CallScript(_world.Id("first"), _world.Now);
        await SendAsync(first.Offered(), first.Queued(_world.Id("gotone")));
        await SendAsync(first.Ringing(_world.Id("a1")), first.Answered(_world.Id("a1")));
        await SendAsync(first.After(90).Ended());
        Assert.Equal(AgentPresence.WrapUp, (await agent.GetStatusAsync()).Presence);

        var direct = new CallScript(_world.Id("direct"), _world.Now);
        await SendAsync(direct.Offered("+8613900000002"), direct.Ringing(_world.Id("a1")), direct.Answered(_world.Id("a1")));

        var status = await agent.GetStatusAsync();
        Assert.Equal((AgentPresence.OnCall, _world.Id("direct")), (status.Presence, status.CallId));
        await SendAsync(direct.After(30).Ended());
        Assert.Equal(AgentPresence.Available, (await agent.GetStatusAsync()).Presence);
    }

    private IGrainFactory Grains => _world.Grains;

    private async Task SendAsync(params CallEvent[] events)
    {
        var results = await Grains.GetGrain<ICallGrain>(events[0].CallId).ProcessAsync(_world.Gateway, [.. events]);
        Assert.All(results, r => Assert.Equal(EventOutcome.Accepted, r.Outcome));
    }

    /// <summary>A subscriber in the master data, flagged VIP.</summary>
    private async Task<string> VipSubscriberAsync()
    {
        var number = $"+86139{Random.Shared.Next(10_000_000, 99_999_999)}";
        await fixture.CountAsync(
            "INSERT INTO subscribers (number, brand, vip, home_city, region, language, name) VALUES (@n, 'GoTone', 1, 'Nanjing', 'nanjing', 'zh', 'Test Subscriber')",
            ("@n", number));
        return number;
    }
}
