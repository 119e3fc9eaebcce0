using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Journal;

/// <summary>
/// The silo's one journal writer. Grains hand it their appends and wait; a single loop takes everything that
/// has queued up while the previous commit was in flight and commits it in one transaction (group commit).
/// Under load the batches grow by themselves, so throughput rises without adding latency at low load: there
/// is no timer, a lone append is written at once.
/// </summary>
public sealed partial class GroupCommitJournal : ICallJournal, IAsyncDisposable
{
    public const string MeterName = "ContactCenter.Journal";

    private static readonly Meter Meter = new(MeterName);
    private static readonly Counter<long> EventsCommitted = Meter.CreateCounter<long>("journal.events.committed");
    private static readonly Histogram<int> BatchAppends = Meter.CreateHistogram<int>("journal.batch.appends");
    private static readonly Histogram<double> CommitDuration = Meter.CreateHistogram<double>("journal.commit.duration", "ms");

    private readonly IJournalStore _store;
    private readonly ILogger<GroupCommitJournal> _logger;
    private readonly Channel<PendingAppend> _queue;
    private readonly int _maxBatch;
    private readonly Task _writer;

    public GroupCommitJournal(IJournalStore store, ILogger<GroupCommitJournal> logger, int maxBatch = 2_000, int maxQueued = 100_000)
    {
        _store = store;
        _logger = logger;
        _maxBatch = maxBatch;
        // Bounded, so a database that falls behind slows the grains (and through them the gateways) instead
        // of letting unacknowledged work pile up in memory.
        _queue = Channel.CreateBounded<PendingAppend>(new BoundedChannelOptions(maxQueued) { SingleReader = true });
        _writer = Task.Run(WriteLoopAsync);
    }

    public async Task AppendAsync(JournalAppend append, CancellationToken cancellationToken = default)
    {
        var pending = new PendingAppend(append);
        await _queue.Writer.WriteAsync(pending, cancellationToken);
        await pending.Committed.Task.WaitAsync(cancellationToken);
    }

    public Task<IReadOnlyList<JournaledEvent>> ReadAsync(string callId, CancellationToken cancellationToken = default) =>
        _store.ReadAsync(callId, cancellationToken);

    /// <summary>Stops taking appends and waits for those already queued to be committed.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingAppend>(_maxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatch && reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            await CommitAsync(batch);
            batch.Clear();
        }
    }

    private async Task CommitAsync(List<PendingAppend> batch)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var conflicts = await _store.WriteBatchAsync(batch.ConvertAll(p => p.Append), CancellationToken.None);
            var events = 0;
            for (var i = 0; i < batch.Count; i++)
            {
                if (conflicts.Contains(i))
                {
                    batch[i].Committed.TrySetException(new JournalConflictException(batch[i].Append.CallId));
                    continue;
                }

                events += batch[i].Append.Events.Count;
                batch[i].Committed.TrySetResult();
            }

            EventsCommitted.Add(events);
            BatchAppends.Record(batch.Count);
            CommitDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex)
        {
            // The whole transaction rolled back: nobody is acknowledged, every caller may retry.
            LogCommitFailed(ex, batch.Count);
            foreach (var pending in batch)
            {
                pending.Committed.TrySetException(ex);
            }
        }
    }

    private sealed class PendingAppend(JournalAppend append)
    {
        public JournalAppend Append { get; } = append;

        // Completions run the waiting grain's continuation on its own scheduler, never inline on the writer loop.
        public TaskCompletionSource Committed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal commit of {Appends} appends failed; none acknowledged")]
    private partial void LogCommitFailed(Exception ex, int appends);
}
