using Microsoft.Extensions.Options;

namespace ContactCenter.Surveys;

/// <summary>
/// The satisfaction callbacks' share of the outbound trunk (<see cref="SurveyCallbackOptions.MaxConcurrent"/>), center-wide:
/// a callback takes a place before it is placed and gives it back when its call is over. A place not given back (its
/// survey's silo lost) lapses at its hold time. Kept in memory: a restart of this grain forgets the places taken, and
/// for at most a hold time the callbacks may hold more than their share.
/// </summary>
public sealed class CallbackPacerGrain(IOptions<SurveyPolicyOptions> policy, TimeProvider clock) : Grain, ICallbackPacerGrain
{
    public const string Key = "center";

    private readonly Dictionary<string, DateTimeOffset> _taken = new(StringComparer.Ordinal);

    public Task<bool> TryTakeAsync(string surveyId, DateTimeOffset until)
    {
        var now = clock.GetUtcNow();
        foreach (var lapsed in _taken.Where(t => t.Value <= now).Select(t => t.Key).ToList())
        {
            _taken.Remove(lapsed);
        }

        if (!_taken.ContainsKey(surveyId) && _taken.Count >= policy.Value.Callback.MaxConcurrent)
        {
            return Task.FromResult(false);
        }

        _taken[surveyId] = until;
        return Task.FromResult(true);
    }

    public Task GiveBackAsync(string surveyId)
    {
        _taken.Remove(surveyId);
        return Task.CompletedTask;
    }

    public Task<int> InUseAsync() => Task.FromResult(_taken.Count(t => t.Value > clock.GetUtcNow()));
}

/// <summary>The callbacks' places in the outbound trunk (see <see cref="CallbackPacerGrain"/>).</summary>
[Alias("cc.ICallbackPacerGrain")]
public interface ICallbackPacerGrain : IGrainWithStringKey
{
    /// <summary>A place for the callback of <paramref name="surveyId"/> until <paramref name="until"/>; false when the share is taken.</summary>
    [Alias("TryTake")]
    Task<bool> TryTakeAsync(string surveyId, DateTimeOffset until);

    [Alias("GiveBack"), Orleans.Concurrency.OneWay]
    Task GiveBackAsync(string surveyId);

    [Alias("InUse")]
    Task<int> InUseAsync();
}
