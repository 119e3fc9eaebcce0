namespace ContactCenter.GatewayClient;

/// <summary>Where and how a <see cref="ContactCenterClient"/> reaches the cluster. The defaults suit a production gateway; a record, so a variant is a <c>with</c> away.</summary>
public sealed record GatewayClientOptions
{
    /// <summary>The regions in order of preference: the home region first (e.g. nanjing, then huaian).</summary>
    public required IReadOnlyList<Region> Regions { get; init; }

    /// <summary>The gateway's bearer token; every region must know it.</summary>
    public required string Token { get; init; }

    /// <summary>Events per request, at most 1,000 (the silo's limit). 250 keeps a request well under a second on a loaded silo.</summary>
    public int MaxBatchSize { get; init; } = 250;

    /// <summary>
    /// Events without a final outcome the client keeps at most; appending waits for room beyond that. Enough for
    /// a few seconds of a busy gateway's traffic while a region fails over.
    /// </summary>
    public int OutboxCapacity { get; init; } = 10_000;

    /// <summary>How long a request may take before it counts as a failure of the region (a long poll gets its wait on top).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Failed connection attempts in a row that move the client to the next region: a dead silo refuses at once, so one is enough.</summary>
    public int FailoverAfterUnreachable { get; init; } = 1;

    /// <summary>Timeouts, 5xx answers and broken connections in a row that move the client on: a slow region gets a second chance.</summary>
    public int FailoverAfterFailures { get; init; } = 2;

    /// <summary>How often the home region's readiness is probed while the client is elsewhere.</summary>
    public TimeSpan HomeProbeInterval { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The pause before sending again after a request that moved no event on (failed, or answered only held or unavailable).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// The longest wait a region's 429 Too Many Requests is given: a longer <c>Retry-After</c> is cut to this. A 429
    /// is waited out at the same region, never a reason to fail over (the region is up, and busy with this gateway).
    /// </summary>
    public TimeSpan MaxRetryAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long one request may be kept waiting by 429s at one region before that region counts as not answering
    /// it (and so may be left for another): far beyond any limit the silo sets, so only a region stuck refusing.
    /// </summary>
    public TimeSpan MaxThrottledWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long an event may stay held for a missing earlier sequence that the client does not have before it is
    /// given up as <see cref="EventOutcome.Blocked"/>. Without this, a gap the gateway never fills would keep the
    /// event, and its room in the outbox, forever.
    /// </summary>
    public TimeSpan GapTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long the silo holds a command poll open when nothing is pending (1 to 60 seconds; 0 would poll without pause).</summary>
    public int CommandWaitSeconds { get; init; } = 25;

    /// <summary>Commands per poll at most (1 to 500).</summary>
    public int CommandsPerPoll { get; init; } = 100;

    internal void Validate()
    {
        if (Regions is not { Count: > 0 } || Regions.Any(r => r is null || !r.BaseAddress.IsAbsoluteUri))
        {
            throw new ArgumentException("at least one region, each with an absolute base address", nameof(Regions));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(Token, nameof(Token));
        ThrowIfOutside(MaxBatchSize, 1, 1_000, nameof(MaxBatchSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(OutboxCapacity, 1, nameof(OutboxCapacity));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(RequestTimeout, TimeSpan.Zero, nameof(RequestTimeout));
        ArgumentOutOfRangeException.ThrowIfLessThan(FailoverAfterUnreachable, 1, nameof(FailoverAfterUnreachable));
        ArgumentOutOfRangeException.ThrowIfLessThan(FailoverAfterFailures, 1, nameof(FailoverAfterFailures));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HomeProbeInterval, TimeSpan.Zero, nameof(HomeProbeInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(RetryDelay, TimeSpan.Zero, nameof(RetryDelay));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxRetryAfter, RetryDelay, nameof(MaxRetryAfter));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxThrottledWait, TimeSpan.Zero, nameof(MaxThrottledWait));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(GapTimeout, TimeSpan.Zero, nameof(GapTimeout));
        ThrowIfOutside(CommandWaitSeconds, 1, 60, nameof(CommandWaitSeconds));
        ThrowIfOutside(CommandsPerPoll, 1, 500, nameof(CommandsPerPoll));
    }

    private static void ThrowIfOutside(int value, int min, int max, string name)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, min, name);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(value, max, name);
    }
}
