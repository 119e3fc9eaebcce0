using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;

namespace ContactCenter.GroupCommit;

/// <summary>What became of one request of a committed batch: its result, or why it alone failed.</summary>
public readonly record struct CommitOutcome<TResult>(TResult? Value, Exception? Error)
{
    public static CommitOutcome<TResult> Success(TResult value) => new(value, null);

    public static CommitOutcome<TResult> Failure(Exception error) => new(default, error);
}

/// <summary>
/// Group commit: many callers each wait for their own write, and one loop commits everything that queued up
/// while the previous commit was in flight, in one transaction. Under load the batches grow by themselves, so
/// throughput rises without adding latency at low load: there is no timer, a lone request is written at once.
/// Used for the call journal, grain state and gateway commands alike, and to batch the subscriber lookups (reads).
/// </summary>
/// <typeparam name="TRequest">One caller's write.</typeparam>
/// <typeparam name="TResult">What the caller learns once it is durable (e.g. a new version).</typeparam>
public sealed class GroupCommitter<TRequest, TResult> : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<TRequest>, CancellationToken, Task<IReadOnlyList<CommitOutcome<TResult>>>> _commit;
    private readonly Channel<Pending> _queue;
    private readonly int _maxBatch;
    private readonly KeyValuePair<string, object?> _nameTag;
    private readonly Task _loop;

    /// <param name="name">Names the committer in metrics ("journal", "grain-state").</param>
    /// <param name="commit">Writes a whole batch in one transaction; returns one outcome per request, in order,
    /// or throws when nothing was committed.</param>
    public GroupCommitter(
        string name,
        Func<IReadOnlyList<TRequest>, CancellationToken, Task<IReadOnlyList<CommitOutcome<TResult>>>> commit,
        int maxBatch = 2_000,
        int maxQueued = 100_000)
    {
        _commit = commit;
        _maxBatch = maxBatch;
        _nameTag = new("committer", name);
        // Bounded, so a database that falls behind slows the callers (and through them the gateways) instead
        // of letting unacknowledged work pile up in memory.
        _queue = Channel.CreateBounded<Pending>(new BoundedChannelOptions(maxQueued) { SingleReader = true });
        _loop = Task.Run(CommitLoopAsync);
    }

    /// <summary>Queues <paramref name="request"/> for the next batch and completes once that batch is committed.</summary>
    public async Task<TResult> CommitAsync(TRequest request, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(request);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        return await pending.Outcome.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Stops taking requests and waits for those already queued to be committed.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }

    private async Task CommitLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await CommitBatchAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitBatchAsync(List<Pending> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var outcomes = await _commit(batch.ConvertAll(p => p.Request), CancellationToken.None);
            for (var i = 0; i < batch.Count; i++)
            {
                if (outcomes[i].Error is { } error)
                {
                    batch[i].Outcome.TrySetException(error);
                }
                else
                {
                    batch[i].Outcome.TrySetResult(outcomes[i].Value!);
                }
            }

            GroupCommitMetrics.Committed.Add(batch.Count, _nameTag);
            GroupCommitMetrics.BatchSize.Record(batch.Count, _nameTag);
            GroupCommitMetrics.CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds, _nameTag);
        }
        catch (Exception ex)
        {
            // The whole transaction rolled back: nobody is acknowledged, every caller may retry.
            foreach (var pending in batch)
            {
                pending.Outcome.TrySetException(ex);
            }
        }
    }

    private sealed class Pending(TRequest request)
    {
        public TRequest Request { get; } = request;

        // Completions run the waiting grain's continuation on its own scheduler, never inline on the commit loop.
        public TaskCompletionSource<TResult> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>
/// The committers' metrics, tagged by committer (<c>name</c>): one meter for all of them, whatever they commit
/// (a static of the generic class would be one meter per type of request).
/// </summary>
public static class GroupCommitMetrics
{
    public const string MeterName = "ContactCenter.GroupCommit";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly Counter<long> Committed = Meter.CreateCounter<long>("group_commit.requests", "{request}", "Requests committed (or read), by committer");
    internal static readonly Histogram<int> BatchSize = Meter.CreateHistogram<int>("group_commit.batch.size", "{request}", "Requests per batch, by committer");
    internal static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("group_commit.duration", "ms", "Time to commit one batch, by committer");
}
