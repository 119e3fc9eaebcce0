using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;

namespace ContactCenter.Gateways;

/// <summary>How long a gateway may go without polling for its commands before it counts as lost, and how long its calls then last.</summary>
/// <param name="LostAfter">
/// Silence after which a gateway is lost. A poll the silo holds open counts as polling for as long as it is open, so
/// a long poll's wait (25 s by default, at most 60) never makes a healthy gateway look silent.
/// </param>
/// <param name="LostGrace">How long a gateway stays lost before the cluster ends its calls (cause <c>gateway_lost</c>).</param>
public sealed record GatewayHealthOptions(TimeSpan LostAfter, TimeSpan LostGrace)
{
    public static readonly GatewayHealthOptions Default = new(TimeSpan.FromSeconds(60), TimeSpan.FromSeconds(60));

    /// <summary>How often a silo reads the table: every 2 s, or a tenth of the lost time when that is shorter.</summary>
    public TimeSpan RefreshPeriod => Min(TimeSpan.FromSeconds(2), LostAfter / 10);

    /// <summary>How often a silo writes the gateways it saw poll: every 5 s, or a fifth of the lost time when that is shorter.</summary>
    public TimeSpan RecordPeriod => Min(TimeSpan.FromSeconds(5), LostAfter / 5);

    /// <summary>A reason the settings cannot work, or null.</summary>
    public string? Validate() =>
        LostAfter <= TimeSpan.Zero ? "ContactCenter:GatewayLostAfterSeconds must be more than 0"
        : LostGrace < TimeSpan.Zero ? "ContactCenter:GatewayLostGraceSeconds must be 0 or more"
        : null;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;
}

/// <summary>
/// This silo's view of every gateway's command polls: the polls it serves itself, at once, and every silo's as the
/// <c>gateway_polls</c> table has them, read every <see cref="GatewayHealthOptions.RefreshPeriod"/>. The table is
/// written every <see cref="GatewayHealthOptions.RecordPeriod"/> with the gateways polling here, not once per poll.
/// </summary>
/// <remarks>
/// A gateway's silence is the shortest of: none while a poll of it is open here, the time since its last poll here
/// ended, and the table's silence (measured on the database's clock) plus the time since the table was read. It is
/// never counted from before this silo started: after a restart, even one following a long outage, a gateway has
/// the lost time to poll again before it is judged. A gateway no silo has ever seen poll is not judged at all: it
/// may not use the command channel, and nothing says it is gone.
/// </remarks>
public sealed class GatewayHealthMonitor(IGatewayCommandStore store, GatewayHealthOptions options, TimeProvider clock) : IGatewayHealth
{
    private readonly ConcurrentDictionary<string, LocalPolls> _local = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();
    private ImmutableDictionary<string, GatewayPollRecord> _table = ImmutableDictionary<string, GatewayPollRecord>.Empty.WithComparers(StringComparer.Ordinal);
    private DateTimeOffset _tableReadAt = clock.GetUtcNow();

    public GatewayHealthOptions Options => options;

    /// <summary>A poll of the gateway begins; disposing the result ends it. The gateway counts as polling meanwhile.</summary>
    public IDisposable PollStarted(string gatewayId)
    {
        var polls = _local.GetOrAdd(gatewayId, _ => new LocalPolls());
        polls.Started(clock.GetUtcNow());
        return new OpenPoll(() => polls.Ended(clock.GetUtcNow()));
    }

    /// <summary>Writes the gateways that polled here since the last write (or have a poll open) to the table.</summary>
    public async Task RecordPollsAsync(CancellationToken cancellationToken)
    {
        var polled = _local.Where(p => p.Value.TakeUnrecorded()).Select(p => p.Key).ToList();
        if (polled.Count == 0)
        {
            return;
        }

        try
        {
            await store.RecordPollsAsync(polled, clock.GetUtcNow(), cancellationToken);
        }
        catch
        {
            foreach (var gateway in polled)
            {
                _local[gateway].MarkUnrecorded(); // written with the next attempt
            }

            throw;
        }
    }

    /// <summary>Reads every silo's record of the gateways' polls, and their open commands.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var records = await store.ReadGatewaysAsync(now, cancellationToken);
        _table = records.ToImmutableDictionary(r => r.GatewayId, StringComparer.Ordinal);
        _tableReadAt = now;
    }

    public bool IsLost(string gatewayId) => Describe(gatewayId, clock.GetUtcNow()).Lost;

    public IReadOnlyList<GatewayHealthView> Gateways()
    {
        var now = clock.GetUtcNow();
        return [.. _table.Keys.Union(_local.Keys, StringComparer.Ordinal).Order(StringComparer.Ordinal).Select(id => Describe(id, now))];
    }

    private GatewayHealthView Describe(string gatewayId, DateTimeOffset now)
    {
        var table = _table.GetValueOrDefault(gatewayId);
        TimeSpan? silence = table?.SilentFor is { } silentFor ? silentFor + (now - _tableReadAt) : null;
        if (_local.TryGetValue(gatewayId, out var local) && local.SilenceAt(now) is { } here && (silence is null || here < silence))
        {
            silence = here;
        }

        var openCommands = table?.OpenCommands ?? 0;
        if (silence is not { } known)
        {
            return new GatewayHealthView(gatewayId, null, false, null, openCommands);
        }

        var sinceStart = now - _startedAt;
        var judged = known < sinceStart ? known : sinceStart;
        var lost = judged > options.LostAfter;
        return new GatewayHealthView(gatewayId, now - known, lost, lost ? now - judged + options.LostAfter : null, openCommands);
    }

    private sealed class LocalPolls
    {
        private readonly Lock _lock = new();
        private int _open;
        private DateTimeOffset _lastSeen;
        private bool _unrecorded;

        public void Started(DateTimeOffset now)
        {
            lock (_lock)
            {
                _open++;
                _lastSeen = now;
                _unrecorded = true;
            }
        }

        public void Ended(DateTimeOffset now)
        {
            lock (_lock)
            {
                _open--;
                _lastSeen = now;
                _unrecorded = true;
            }
        }

        /// <summary>Whether the gateway polled since the last record (an open poll always counts), clearing the mark.</summary>
        public bool TakeUnrecorded()
        {
            lock (_lock)
            {
                var take = _unrecorded || _open > 0;
                _unrecorded = false;
                return take;
            }
        }

        public void MarkUnrecorded()
        {
            lock (_lock)
            {
                _unrecorded = true;
            }
        }

        public TimeSpan? SilenceAt(DateTimeOffset now)
        {
            lock (_lock)
            {
                return _open > 0 ? TimeSpan.Zero : _lastSeen == default ? null : now - _lastSeen;
            }
        }
    }

    private sealed class OpenPoll(Action end) : IDisposable
    {
        private int _ended;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _ended, 1) == 0)
            {
                end();
            }
        }
    }
}

public static class GatewayHealthRegistration
{
    /// <summary>
    /// <see cref="IGatewayHealth"/> (and the <see cref="GatewayHealthMonitor"/> behind it) over the registered
    /// command store. Alone, it knows only the polls this silo serves and the table as first read: the silo host
    /// adds the work that keeps it current (<c>AddGatewayLiveness</c>). A grain test cluster, where no gateway
    /// polls, can register just this: a gateway never seen polling is never lost.
    /// </summary>
    public static IServiceCollection AddGatewayHealth(this IServiceCollection services, GatewayHealthOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(sp => new GatewayHealthMonitor(sp.GetRequiredService<IGatewayCommandStore>(), options, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<IGatewayHealth>(sp => sp.GetRequiredService<GatewayHealthMonitor>());
        return services;
    }
}
