using ContactCenter.Agents;
using ContactCenter.Kpis;
using ContactCenter.State;

namespace ContactCenter.Queues;

/// <summary>
/// A call waiting in this queue; <see cref="OfferedTo"/> is set while an agent is being offered it, and
/// <see cref="OverflowingTo"/> while another queue is being asked to take it (neither is routed meanwhile).
/// <see cref="MovedBy"/> and <see cref="MovingSince"/> are set when that hand-over is a supervisor's move.
/// <see cref="OfferCommand"/> is the offer's connect command, once committed: whether its gateway took it tells,
/// when the offer times out, the agent's fault from the gateway's. <see cref="HeldFor"/> is the agent a transfer
/// brought the call here for.
/// </summary>
[GenerateSerializer, Immutable, Alias("cc.WaitingCall")]
public sealed record WaitingCall(
    QueuedCall Call, DateTimeOffset EnqueuedAt, string? OfferedTo = null, DateTimeOffset? OfferDeadline = null,
    string? OverflowingTo = null, DateTimeOffset? OverflowingSince = null, string? MovedBy = null, DateTimeOffset? MovingSince = null,
    long? OfferCommand = null, TransferHold? HeldFor = null);

/// <summary>An agent kept for a call transferred to them through this queue, until <see cref="Until"/>: offered it first, and no other call meanwhile.</summary>
[GenerateSerializer, Immutable, Alias("cc.TransferHold")]
public sealed record TransferHold(string AgentId, DateTimeOffset Until);

/// <summary>What the queue knows of one agent with a skill for it.</summary>
[GenerateSerializer, Immutable, Alias("cc.QueueAgent")]
public sealed record QueueAgent(int Tier, AgentPresence Presence, DateTimeOffset Since, long Version);

/// <summary>Where a call that left by overflow went, so late news about it can follow it.</summary>
[GenerateSerializer, Immutable, Alias("cc.Forwarding")]
public sealed record Forwarding(string ToQueue, DateTimeOffset At);

/// <summary>Why a queue did not take a call, and when.</summary>
[GenerateSerializer, Immutable, Alias("cc.Refusal")]
public sealed record Refusal(EnqueueOutcome Outcome, DateTimeOffset At);

/// <summary>
/// A queue's durable state: survives deactivation and restarts, so no waiting call is ever lost. Written as a
/// log (<see cref="IChangeLogState"/>): each write stores the entries that changed, so a write costs the same
/// whether 5 or 500 calls wait; a <see cref="QueueSnapshot"/> now and then replaces the log.
/// </summary>
public sealed class QueueState : ChangeLogState<QueueSnapshot, QueueChange>
{
    private QueueConfiguration? _configuration;
    private bool _settingsChanged;

    public QueueConfiguration? Configuration
    {
        get => _configuration;
        set
        {
            _configuration = value;
            _settingsChanged = true;
        }
    }

    public TrackedMap<string, WaitingCall> Waiting { get; private set; } = new(StringComparer.Ordinal);
    public TrackedMap<string, QueueAgent> Agents { get; private set; } = new(StringComparer.Ordinal);
    public TrackedMap<string, Forwarding> Forwarded { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>Calls that left for the maximum wait, and when: a late repeat of their arrival is not a new call.</summary>
    public TrackedMap<string, DateTimeOffset> Left { get; private set; } = new(StringComparer.Ordinal);
    /// <summary>The queue's KPI counters over the last 15 minutes and today.</summary>
    public KpiWindows Kpis { get; private set; } = new();
    /// <summary>Calls counted without waiting here (in and out in one batch), and when: counted once however often resent.</summary>
    public TrackedMap<string, DateTimeOffset> PassedThrough { get; private set; } = new(StringComparer.Ordinal);
    /// <summary>Calls this queue refused, why and when: the journal still says they are queued here until the gateway acts.</summary>
    public TrackedMap<string, Refusal> Refused { get; private set; } = new(StringComparer.Ordinal);
    /// <summary>Calls on their way here from a transfer to one of this queue's agents, and the agent kept for each.</summary>
    public TrackedMap<string, TransferHold> TransferHolds { get; private set; } = new(StringComparer.Ordinal);

    public int LoggedInAgents => Agents.Values.Count(a => a.Presence != AgentPresence.LoggedOut);

    protected override QueueSnapshot Snapshot()
    {
        _settingsChanged = false;
        foreach (var map in Maps())
        {
            map.ForgetChanges();
        }

        Kpis.ForgetChanges();
        return new QueueSnapshot
        {
            Configuration = Configuration,
            Waiting = Waiting.Entries,
            Agents = Agents.Entries,
            Forwarded = Forwarded.Entries,
            Left = Left.Entries,
            Kpis = Kpis,
            PassedThrough = PassedThrough.Entries,
            Refused = Refused.Entries,
            TransferHolds = TransferHolds.Entries,
        };
    }

    protected override QueueChange? Change()
    {
        var change = new QueueChange
        {
            Settings = _settingsChanged ? new QueueSettingsChange(Configuration) : null,
            Waiting = Waiting.TakeChange(),
            Agents = Agents.TakeChange(),
            Forwarded = Forwarded.TakeChange(),
            Left = Left.TakeChange(),
            Kpis = Kpis.TakeChange(),
            PassedThrough = PassedThrough.TakeChange(),
            Refused = Refused.TakeChange(),
            TransferHolds = TransferHolds.TakeChange(),
        };
        _settingsChanged = false;
        return change.IsEmpty ? null : change;
    }

    protected override void Restore(QueueSnapshot snapshot)
    {
        _configuration = snapshot.Configuration;
        Waiting = TrackedMap<string, WaitingCall>.Of(snapshot.Waiting);
        Agents = TrackedMap<string, QueueAgent>.Of(snapshot.Agents);
        Forwarded = TrackedMap<string, Forwarding>.Of(snapshot.Forwarded);
        Left = TrackedMap<string, DateTimeOffset>.Of(snapshot.Left);
        Kpis = snapshot.Kpis;
        PassedThrough = TrackedMap<string, DateTimeOffset>.Of(snapshot.PassedThrough);
        Refused = TrackedMap<string, Refusal>.Of(snapshot.Refused);
        TransferHolds = TrackedMap<string, TransferHold>.Of(snapshot.TransferHolds);
    }

    protected override void Apply(QueueChange change)
    {
        if (change.Settings is { } settings)
        {
            _configuration = settings.Configuration;
        }

        Waiting.Apply(change.Waiting);
        Agents.Apply(change.Agents);
        Forwarded.Apply(change.Forwarded);
        Left.Apply(change.Left);
        if (change.Kpis is { } kpis)
        {
            Kpis.Apply(kpis);
        }

        PassedThrough.Apply(change.PassedThrough);
        Refused.Apply(change.Refused);
        TransferHolds.Apply(change.TransferHolds);
    }

    private IEnumerable<ITrackedChanges> Maps() => [Waiting, Agents, Forwarded, Left, PassedThrough, Refused, TransferHolds];
}

/// <summary>A queue's whole state as stored (the shape its state had before it was written as a log, so those rows still read).</summary>
[GenerateSerializer, Alias("cc.QueueState")]
public sealed class QueueSnapshot
{
    [Id(0)] public QueueConfiguration? Configuration { get; set; }
    [Id(1)] public Dictionary<string, WaitingCall> Waiting { get; set; } = new(StringComparer.Ordinal);
    [Id(2)] public Dictionary<string, QueueAgent> Agents { get; set; } = new(StringComparer.Ordinal);
    [Id(3)] public Dictionary<string, Forwarding> Forwarded { get; set; } = new(StringComparer.Ordinal);
    // Id 4 held the queue's figures, now read from its KPI windows (Kpis.Today): skipped in rows written before.
    [Id(5)] public Dictionary<string, DateTimeOffset> Left { get; set; } = new(StringComparer.Ordinal);
    [Id(6)] public KpiWindows Kpis { get; set; } = new();
    [Id(7)] public Dictionary<string, DateTimeOffset> PassedThrough { get; set; } = new(StringComparer.Ordinal);
    [Id(8)] public Dictionary<string, Refusal> Refused { get; set; } = new(StringComparer.Ordinal);
    [Id(9)] public Dictionary<string, TransferHold> TransferHolds { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>The queue's configuration, written whole when it changed.</summary>
[GenerateSerializer, Immutable, Alias("cc.QueueSettingsChange")]
public sealed record QueueSettingsChange([property: Id(0)] QueueConfiguration? Configuration);

/// <summary>What changed in a queue between two writes; a part that did not change is null.</summary>
[GenerateSerializer, Alias("cc.QueueChange")]
public sealed class QueueChange
{
    [Id(0)] public QueueSettingsChange? Settings { get; init; }
    [Id(1)] public MapChange<string, WaitingCall>? Waiting { get; init; }
    [Id(2)] public MapChange<string, QueueAgent>? Agents { get; init; }
    [Id(3)] public MapChange<string, Forwarding>? Forwarded { get; init; }
    [Id(4)] public MapChange<string, DateTimeOffset>? Left { get; init; }
    [Id(5)] public KpiWindowsChange? Kpis { get; init; }
    [Id(6)] public MapChange<string, DateTimeOffset>? PassedThrough { get; init; }
    [Id(7)] public MapChange<string, Refusal>? Refused { get; init; }
    [Id(8)] public MapChange<string, TransferHold>? TransferHolds { get; init; }

    public bool IsEmpty => Settings is null && Waiting is null && Agents is null && Forwarded is null && Left is null
        && Kpis is null && PassedThrough is null && Refused is null && TransferHolds is null;
}
