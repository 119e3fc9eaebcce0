using System.Collections.Immutable;

namespace ContactCenter.Center;

/// <summary>Which queues and agents the center has, so supervisors and admins can list them.</summary>
[GenerateSerializer, Immutable, Alias("cc.CenterDirectory")]
public sealed record CenterDirectory(ImmutableArray<string> Queues, ImmutableArray<string> Agents)
{
    public bool IsEmpty => Queues.IsDefaultOrEmpty && Agents.IsDefaultOrEmpty;
}

/// <summary>
/// The center's list of queue and agent ids (one grain, key <see cref="Key"/>). Only the admin API and the
/// center file write it, and only listings read it: it is never on a call's path.
/// </summary>
[Alias("cc.ICenterDirectoryGrain")]
public interface ICenterDirectoryGrain : IGrainWithStringKey
{
    public const string Key = "center";

    /// <summary>Adds ids to the directory. Idempotent.</summary>
    [Alias("Register")]
    Task RegisterAsync(ImmutableArray<string> queues, ImmutableArray<string> agents);

    [Alias("Get")]
    Task<CenterDirectory> GetAsync();
}
