using System.Diagnostics.Metrics;
using ContactCenter.Wallboard;

namespace ContactCenter.Observability;

/// <summary>
/// The contact center's live figures as metrics, read from the wallboard's newest frame (the same numbers the
/// supervisors see, one source for both): per queue its waiting calls, longest wait, agents by state, service
/// level and today's counts; the center's agents by state; per gateway its commands not yet acknowledged and
/// whether it is lost. A scrape first asks for a frame no older than a second (<see cref="ContactCenterMetrics"/>),
/// so the figures are as fresh as the board's. Every silo composes the same cluster-wide picture, so a dashboard
/// takes one silo's figure (max by queue), not the sum.
/// </summary>
public sealed class CenterGauges
{
    public const string MeterName = "ContactCenter.Center";

    private readonly WallboardFeed _feed;
    private readonly Meter _meter = new(MeterName);

    public CenterGauges(WallboardFeed feed)
    {
        _feed = feed;
        _meter.CreateObservableGauge("contact_center.queue.waiting", () => PerQueue(q => q.Tile.Waiting), "{call}", "Calls waiting in the queue");
        _meter.CreateObservableGauge("contact_center.queue.longest_wait", () => PerQueue(q => q.Tile.LongestWaitSeconds), "s", "How long the queue's oldest waiting call has waited");
        _meter.CreateObservableGauge("contact_center.queue.service_level", ServiceLevels, "1",
            "Calls answered within the queue's threshold over calls offered, last 15 minutes (absent while nothing was offered)");
        _meter.CreateObservableGauge("contact_center.queue.offered_today", () => PerQueue(q => q.Tile.Today.Offered), "{call}", "Calls offered to the queue today (the center's day)");
        _meter.CreateObservableGauge("contact_center.queue.answered_today", () => PerQueue(q => q.Tile.Today.Answered), "{call}", "Calls of the queue answered today");
        _meter.CreateObservableGauge("contact_center.queue.abandoned_today", () => PerQueue(q => q.Tile.Today.Abandoned), "{call}",
            "Calls that gave up waiting in the queue today, having waited at least the short-abandon threshold");
        _meter.CreateObservableGauge("contact_center.queue.short_abandoned_today", () => PerQueue(q => q.Tile.Today.ShortAbandoned), "{call}",
            "Calls that hung up sooner than the short-abandon threshold today (left out of the rates, docs/kpis.md)");
        _meter.CreateObservableGauge("contact_center.queue.agents", QueueAgents, "{agent}", "Agents with a skill for the queue, by state");
        _meter.CreateObservableGauge("contact_center.agents", CenterAgents, "{agent}", "The center's logged-in agents, by state");
        _meter.CreateObservableGauge("contact_center.gateway.open_commands", () => PerGateway(g => g.OpenCommands), "{command}", "Commands for the gateway not yet acknowledged");
        _meter.CreateObservableGauge("contact_center.gateway.lost", () => PerGateway(g => g.Lost ? 1 : 0), "1", "1 while the gateway is taken for lost (it stopped polling its commands)");
    }

    private WallboardFrame? Frame => _feed.Latest?.Frame;

    private IEnumerable<Measurement<double>> PerQueue(Func<QueueTile, double> figure) =>
        (Frame?.Queues ?? []).Select(q => new Measurement<double>(figure(q), Queue(q)));

    private IEnumerable<Measurement<double>> ServiceLevels() =>
        (Frame?.Queues ?? []).Where(q => q.Tile.Last15Minutes.ServiceLevel is not null)
            .Select(q => new Measurement<double>(q.Tile.Last15Minutes.ServiceLevel!.Value, Queue(q)));

    private IEnumerable<Measurement<int>> QueueAgents() =>
        (Frame?.Queues ?? []).SelectMany(q => ByState(q.Tile.Agents, Queue(q)));

    private IEnumerable<Measurement<int>> CenterAgents() => Frame is { } frame ? ByState(frame.Center.Agents) : [];

    private IEnumerable<Measurement<double>> PerGateway(Func<GatewayTile, double> figure) =>
        (Frame?.Gateways ?? []).Select(g => new Measurement<double>(figure(g), new KeyValuePair<string, object?>("gateway", g.GatewayId)));

    private static KeyValuePair<string, object?>[] Queue(QueueTile queue) =>
        [new("queue", queue.QueueId), new("region", queue.Region)];

    private static IEnumerable<Measurement<int>> ByState(AgentsByState agents, params KeyValuePair<string, object?>[] tags)
    {
        yield return new(agents.Available, [.. tags, new("state", "available")]);
        yield return new(agents.Reserved, [.. tags, new("state", "reserved")]);
        yield return new(agents.OnCall, [.. tags, new("state", "on_call")]);
        yield return new(agents.WrapUp, [.. tags, new("state", "wrap_up")]);
        yield return new(agents.NotReady, [.. tags, new("state", "not_ready")]);
    }
}
