using ContactCenter.Hosting;
using Microsoft.Extensions.Options;

namespace ContactCenter.Surveys;

/// <summary>The surveys' durable timers (<see cref="RowTimers"/>): a survey sends, reminds, expires or looks at its callback when its row is due.</summary>
public sealed class SurveyTimers(IGrainFactory grains, ISurveyStore store, IOptions<SurveyPolicyOptions> policy, TimeProvider clock, ILogger<SurveyTimers> logger)
    : RowTimers(clock, logger)
{
    /// <summary>It covers a whole round even when every send waits out its 20 s timeout.</summary>
    public static readonly TimeSpan SurveyLease = TimeSpan.FromMinutes(2);

    protected override string What => "survey";

    protected override TimeSpan Lease => SurveyLease;

    protected override bool Enabled => policy.Value.Enabled;

    protected override Task<IReadOnlyList<string>> TakeDueAsync(DateTimeOffset now, TimeSpan lease, int limit, CancellationToken cancellationToken) =>
        store.TakeDueAsync(now, lease, limit, cancellationToken);

    protected override Task WakeAsync(string key) => grains.ReferenceTo<ISurveyGrain>(key).WakeAsync();
}
