using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text.Json;
using System.Threading.Channels;
using ContactCenter.Center;
using ContactCenter.Gateways;
using ContactCenter.Kpis;
using ContactCenter.Queues;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace ContactCenter.Wallboard;

/// <summary>
/// Composes the wallboard once a second while someone watches, and pushes the same serialized frame to every
/// open page. Each silo runs its own: a page is served by the silo it connected to, and reading a hundred queues
/// a second is cheap. Nothing here is on a call's path: queues and agents count as calls happen, and this only
/// reads their counters (queues every second, agents' own figures every five).
/// </summary>
public sealed partial class WallboardFeed(
    IGrainFactory grains, TimeProvider clock, CenterCalendar calendar, IOptions<JsonOptions> json, ILogger<WallboardFeed> logger,
    IGatewayHealth gatewayHealth, WorkOrders.IWorkOrderStore workOrders) : BackgroundService
{
    public static readonly TimeSpan FramePeriod = TimeSpan.FromSeconds(1);

    /// <summary>Agents' handled calls and occupancy change slowly; presence comes from the queues every second.</summary>
    private static readonly TimeSpan AgentKpiPeriod = TimeSpan.FromSeconds(5);

    /// <summary>Surveys are answered over hours: their figures are read less often than the queues'.</summary>
    private static readonly TimeSpan SatisfactionPeriod = TimeSpan.FromSeconds(5);

    /// <summary>Complaints wait for days, and their figures are counted by the database over every open order: read rarely.</summary>
    private static readonly TimeSpan ComplaintsPeriod = TimeSpan.FromSeconds(30);

    /// <summary>How long a frame waits for one queue or agent before leaving it out (or keeping its last figures).</summary>
    private static readonly TimeSpan ReadTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Queues and agents are added by admins, rarely.</summary>
    private static readonly TimeSpan DirectoryPeriod = TimeSpan.FromSeconds(10);

    public const string MeterName = "ContactCenter.Wallboard";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> FramesPushed = Meter.CreateCounter<long>("contact_center.wallboard.frames_pushed", description: "Frames written to open wallboard pages");
    private static readonly Histogram<double> ComposeDuration = Meter.CreateHistogram<double>("contact_center.wallboard.compose", "ms", "Time to read every queue and compose one frame");

    private readonly ConcurrentDictionary<Channel<WallboardPayload>, byte> _pages = new();
    private readonly WallboardTrend _trend = new();
    private readonly SemaphoreSlim _composing = new(1, 1);
    private WallboardPayload? _latest;
    private ImmutableArray<string> _queueIds = [];
    private ImmutableDictionary<string, string> _agentRegions = ImmutableDictionary<string, string>.Empty;
    private long _regionsVersion = -1;
    private DateTimeOffset _directoryReadAt = DateTimeOffset.MinValue;
    private ImmutableDictionary<string, AgentKpis> _agentKpis = ImmutableDictionary<string, AgentKpis>.Empty;
    private DateTimeOffset _agentKpisReadAt = DateTimeOffset.MinValue;
    private SatisfactionTile? _satisfaction;
    private DateTimeOffset _satisfactionReadAt = DateTimeOffset.MinValue;
    private volatile WorkOrders.WorkOrderFigures? _complaints;
    private int _complaintsReading;
    private readonly CancellationTokenSource _stopping = new();
    private DateTimeOffset _complaintsReadAt = DateTimeOffset.MinValue;
    private long _framesComposed;
    private long _composeTicks;

    /// <summary>Frames composed since the silo started (for the benchmark's push rate).</summary>
    public long FramesComposed => Interlocked.Read(ref _framesComposed);

    /// <summary>Time spent composing frames since the silo started: reading queues and agents, summing, serializing.</summary>
    public TimeSpan ComposeTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _composeTicks));

    public int OpenPages => _pages.Count;

    /// <summary>The last hour of the board, a point a minute.</summary>
    public WallboardTrendView Trend => _trend.View();

    /// <summary>The newest frame composed, however old (null before the first); <see cref="CurrentAsync"/> for a fresh one.</summary>
    public WallboardPayload? Latest => _latest;

    /// <summary>A page's stream of frames. Only the newest frame waits for a slow page: it never falls behind.</summary>
    public ChannelReader<WallboardPayload> Open(out IDisposable subscription)
    {
        var channel = Channel.CreateBounded<WallboardPayload>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest });
        _pages[channel] = 0;
        if (_latest is { } latest && IsFresh(latest))
        {
            channel.Writer.TryWrite(latest);
        }

        subscription = new PageSubscription(() => _pages.TryRemove(channel, out _));
        return channel.Reader;
    }

    /// <summary>The newest frame, composed now when the last one is older than a frame period.</summary>
    public async Task<WallboardPayload> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_latest is { } latest && IsFresh(latest))
        {
            return latest;
        }

        return await ComposeAsync(cancellationToken, reuseFresh: true);
    }

    /// <summary>A frame from the last period; an older one (hours old, when nobody watched) would show a wrong day and clock.</summary>
    private bool IsFresh(WallboardPayload payload) => clock.GetUtcNow() - payload.Frame.At < FramePeriod;

    public override void Dispose()
    {
        _stopping.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var stopped = stoppingToken.Register(_stopping.Cancel);
        using var timer = new PeriodicTimer(FramePeriod, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (_pages.IsEmpty && !_trend.IsDue(clock.GetUtcNow()))
            {
                continue; // nobody watching: read nothing, but for the trend's sample once a minute
            }

            try
            {
                var payload = await ComposeAsync(stoppingToken);
                foreach (var page in _pages.Keys)
                {
                    page.Writer.TryWrite(payload);
                }

                FramesPushed.Add(_pages.Count);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogComposeFailed(ex); // the next second tries again; the pages keep their last frame
            }
        }
    }

    /// <param name="reuseFresh">Requests waiting for one composition take its frame instead of composing again each.</param>
    private async Task<WallboardPayload> ComposeAsync(CancellationToken cancellationToken, bool reuseFresh = false)
    {
        await _composing.WaitAsync(cancellationToken);
        try
        {
            if (reuseFresh && _latest is { } latest && IsFresh(latest))
            {
                return latest;
            }

            var started = Stopwatch.GetTimestamp();
            var now = clock.GetUtcNow();
            await RefreshDirectoryAsync(now);
            var queues = (await Task.WhenAll(_queueIds.Select(ReadQueueAsync))).OfType<QueueKpis>().ToList();
            if (now - _agentKpisReadAt >= AgentKpiPeriod)
            {
                var agentIds = queues.SelectMany(q => q.Agents).Select(a => a.AgentId).Distinct(StringComparer.Ordinal);
                var agents = await Task.WhenAll(agentIds.Select(ReadAgentAsync));
                _agentKpis = agents.OfType<AgentKpis>().ToImmutableDictionary(a => a.AgentId, StringComparer.Ordinal);
                _agentKpisReadAt = now;
            }

            if (now - _satisfactionReadAt >= SatisfactionPeriod)
            {
                _satisfaction = await ReadSatisfactionAsync();
                _satisfactionReadAt = now;
            }

            if (now - _complaintsReadAt >= ComplaintsPeriod && Interlocked.Exchange(ref _complaintsReading, 1) == 0)
            {
                // Read beside the composition, not in it: a slow database must not hold back the queues' frames.
                _complaintsReadAt = now;
                _ = RefreshComplaintsAsync(now, _stopping.Token); // not a page's request: it outlives the request that asked
            }

            var composed = WallboardComposer.Compose(now, calendar.DayOf(now), queues, _agentKpis, id => _agentRegions.GetValueOrDefault(id), gatewayHealth.Gateways());
            var frame = composed with { Satisfaction = _satisfaction, Complaints = _complaints };
            var payload = new WallboardPayload(frame, JsonSerializer.SerializeToUtf8Bytes(frame, json.Value.SerializerOptions));
            _latest = payload;
            _trend.Record(frame);
            Interlocked.Increment(ref _framesComposed);
            Interlocked.Add(ref _composeTicks, Stopwatch.GetTimestamp() - started);
            ComposeDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            return payload;
        }
        finally
        {
            _composing.Release();
        }
    }

    /// <summary>Today's survey figures, or the last ones read while the grain does not answer in time.</summary>
    private async Task<SatisfactionTile?> ReadSatisfactionAsync()
    {
        try
        {
            var figures = await grains.ReferenceTo<Surveys.ISurveyFiguresGrain>(Surveys.SurveyFiguresGrain.Key).GetTodayAsync().WaitAsync(ReadTimeout);
            return SatisfactionTile.From(figures);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            return _satisfaction;
        }
    }

    /// <summary>The work orders' figures now, for the frames that follow; the last ones stay while the database does not answer.</summary>
    private async Task RefreshComplaintsAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            _complaints = await WorkOrders.WorkOrderFigures.TodayAsync(workOrders, calendar, now, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogComplaintsUnread(ex);
        }
        finally
        {
            Volatile.Write(ref _complaintsReading, 0);
        }
    }

    private async Task RefreshDirectoryAsync(DateTimeOffset now)
    {
        if (now - _directoryReadAt < DirectoryPeriod)
        {
            return;
        }

        var directory = grains.GetGrain<ICenterDirectoryGrain>(ICenterDirectoryGrain.Key);
        _queueIds = (await directory.GetAsync()).Queues;
        if (await directory.GetHomeRegionsAsync(_regionsVersion) is { } regions)
        {
            _agentRegions = regions.Agents;
            _regionsVersion = regions.Version;
        }

        _directoryReadAt = now;
    }

    /// <summary>A queue that cannot answer now (its silo just died) is left out of this frame, not the whole board.</summary>
    private async Task<QueueKpis?> ReadQueueAsync(string queueId)
    {
        try
        {
            // A queue on a silo that just died would hold up every page for the whole response timeout.
            return await grains.GetGrain<IQueueGrain>(queueId).GetKpisAsync().WaitAsync(ReadTimeout);
        }
        catch (ArgumentException)
        {
            return null; // listed but not configured yet
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            LogUnreachable("queue", queueId, ex.Message);
            return null;
        }
    }

    private async Task<AgentKpis?> ReadAgentAsync(string agentId)
    {
        try
        {
            return await grains.GetGrain<Agents.IAgentGrain>(agentId).GetKpisAsync().WaitAsync(ReadTimeout);
        }
        catch (Exception ex) when (ex is TimeoutException or OrleansException)
        {
            LogUnreachable("agent", agentId, ex.Message);
            return _agentKpis.GetValueOrDefault(agentId); // its last figures, rather than none
        }
    }

    private sealed class PageSubscription(Action close) : IDisposable
    {
        public void Dispose() => close();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wallboard frame could not be composed")]
    private partial void LogComposeFailed(Exception ex);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Wallboard: the work orders' figures could not be read; the last ones are shown")]
    private partial void LogComplaintsUnread(Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Wallboard: {Kind} {Id} did not answer ({Reason}); left out of this frame")]
    private partial void LogUnreachable(string kind, string id, string reason);
}

/// <summary>A frame and its JSON, serialized once for every page, and once per distinct view of its agent list.</summary>
public sealed record WallboardPayload(WallboardFrame Frame, byte[] Json)
{
    // Pages with the same view (most keep the default) share one serialization of this frame; it is let go with the frame.
    private readonly ConcurrentDictionary<AgentListView, byte[]> _views = new();

    /// <summary>The frame as the view shows it: the shared JSON when the view cuts nothing from it.</summary>
    public byte[] JsonFor(AgentListView view, JsonSerializerOptions json) =>
        view.ShowsAll(Frame) ? Json : _views.GetOrAdd(view, v => JsonSerializer.SerializeToUtf8Bytes(v.Apply(Frame), json));
}
