using System.Collections.Concurrent;
using ContactCenter.GatewayClient;

namespace ContactCenter.Failover.Tests.Simulation;

/// <summary>
/// A region's telephony gateway under steady load: new callers arrive at a fixed rate, go through the IVR, and
/// some ask for an agent; the cluster's connect commands put them through, they talk and hang up. It reports
/// through the same <see cref="ContactCenterClient"/> real gateways use, so it fails over as they would.
/// </summary>
public sealed class RegionGateway : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, SimulatedCall> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _scripts = [];
    private readonly CancellationTokenSource _stopCommands = new();
    private readonly string _queue;
    private readonly LoadShape _shape;
    private Task _arrivals = Task.CompletedTask;
    private Task _commands = Task.CompletedTask;
    private int _callNumber;

    public RegionGateway(string region, string gatewayId, string token, IReadOnlyList<Region> regions, string queue, LoadShape shape)
    {
        Region = region;
        GatewayId = gatewayId;
        _queue = queue;
        _shape = shape;
        Client = new ContactCenterClient(new GatewayClientOptions
        {
            Regions = regions,
            Token = token,
            MaxBatchSize = 100,
            RequestTimeout = TimeSpan.FromSeconds(3),
            HomeProbeInterval = TimeSpan.FromSeconds(1),
            CommandWaitSeconds = 5,
        });
    }

    public string Region { get; }

    public string GatewayId { get; }

    public ContactCenterClient Client { get; }

    public ConcurrentQueue<string> Violations { get; } = new();

    public IReadOnlyCollection<SimulatedCall> Calls => [.. _calls.Values];

    public void Start(CancellationToken stopArrivals)
    {
        _commands = Client.RunCommandsAsync(OnCommandAsync, _stopCommands.Token);
        _arrivals = ArriveAsync(stopArrivals);
    }

    /// <summary>Waits until no new caller arrives and every call has ended and had every event's outcome.</summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        await _arrivals.WaitAsync(timeout);
        await Task.WhenAll(_scripts).WaitAsync(timeout);
        await Task.WhenAll(_calls.Values.Select(c => c.AllReceiptsAsync())).WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        await _stopCommands.CancelAsync();
        await _commands.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Client.DisposeAsync();
    }

    private async Task ArriveAsync(CancellationToken stop)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1.0 / _shape.CallsPerSecond));
        try
        {
            while (await timer.WaitForNextTickAsync(stop))
            {
                var number = Interlocked.Increment(ref _callNumber);
                var wantsAgent = Random.Shared.NextDouble() < _shape.ShareToAgents;
                var call = new SimulatedCall($"fo-{GatewayId}-{number:D6}", Region, wantsAgent ? _queue : null);
                _calls[call.CallId] = call;
                _scripts.Add(Task.Run(() => RunCallAsync(call)));
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task RunCallAsync(SimulatedCall call)
    {
        var id = call.CallId;
        await call.AppendAsync(Client, _ => GatewayEvent.Offered($"{id}-1", id, DateTimeOffset.UtcNow, Caller(), "10086", Region));
        await call.AppendAsync(Client, seq => GatewayEvent.IvrEntered($"{id}-{seq}", id, seq, DateTimeOffset.UtcNow, "main"));
        await Task.Delay(_shape.IvrTime());
        await call.AppendAsync(Client, seq => GatewayEvent.IvrExited($"{id}-{seq}", id, seq, DateTimeOffset.UtcNow, "main/1"));
        if (call.Queue is null)
        {
            await call.AppendAsync(Client, seq => GatewayEvent.Ended($"{id}-{seq}", id, seq, DateTimeOffset.UtcNow, "self_service", HangupSide.Caller));
            return;
        }

        await call.AppendAsync(Client, seq => GatewayEvent.Queued($"{id}-{seq}", id, seq, DateTimeOffset.UtcNow, call.Queue));
        var agent = await call.WaitForAgentAsync(_shape.Patience);
        if (agent is null)
        {
            await call.AppendAsync(Client, seq => GatewayEvent.Ended($"{id}-{seq}", id, seq, DateTimeOffset.UtcNow, "abandoned", HangupSide.Caller));
            return;
        }

        await call.AppendAsync(Client, seq => GatewayEvent.Answered($"{id}-{seq}", id, seq, DateTimeOffset.UtcNow, agent));
        await Task.Delay(_shape.TalkTime());
        await call.AppendAsync(Client, seq => GatewayEvent.Ended($"{id}-{seq}", id, seq, DateTimeOffset.UtcNow, "normal", HangupSide.Agent));
    }

    private Task OnCommandAsync(GatewayCommand command, CancellationToken cancellationToken)
    {
        if (_calls.TryGetValue(command.CallId, out var call))
        {
            switch (command.Kind)
            {
                case CommandKinds.Connect when call.OnConnect(command.Field("agentId")!) is { } violation:
                    Violations.Enqueue(violation);
                    break;
                case CommandKinds.CancelConnect:
                    call.OnCancel(command.Field("agentId")!);
                    break;
            }
        }

        return Task.CompletedTask;
    }

    private static string Caller() => $"+86138{Random.Shared.Next(0, 100_000_000):D8}";
}

/// <summary>How the simulated callers behave.</summary>
public sealed record LoadShape
{
    public double CallsPerSecond { get; init; } = 12;

    /// <summary>The share of callers who ask for an agent after the IVR.</summary>
    public double ShareToAgents { get; init; } = 0.4;

    /// <summary>How long a queued caller waits for an agent before hanging up.</summary>
    public TimeSpan Patience { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan IvrTime() => TimeSpan.FromMilliseconds(Random.Shared.Next(100, 400));

    public TimeSpan TalkTime() => TimeSpan.FromMilliseconds(Random.Shared.Next(300, 900));
}
