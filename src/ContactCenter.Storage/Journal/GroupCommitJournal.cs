using ContactCenter.GroupCommit;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Journal;

/// <summary>
/// The silo's one journal writer: grains hand it their appends and wait, and appends of many calls are committed
/// together (<see cref="GroupCommitter{TRequest, TResult}"/>). Reads are batched the same way: every new call
/// activates a Call grain that reads its (usually empty) journal, so at ingest rates the reads of many calls
/// share one query.
/// </summary>
public sealed partial class GroupCommitJournal : ICallJournal, IAsyncDisposable
{
    private readonly IJournalStore _store;
    private readonly ILogger<GroupCommitJournal> _logger;
    private readonly GroupCommitter<JournalAppend, bool> _committer;
    private readonly GroupCommitter<string, IReadOnlyList<JournaledEvent>> _reader;

    public GroupCommitJournal(IJournalStore store, ILogger<GroupCommitJournal> logger)
    {
        _store = store;
        _logger = logger;
        _committer = new GroupCommitter<JournalAppend, bool>("journal", CommitAsync);
        _reader = new GroupCommitter<string, IReadOnlyList<JournaledEvent>>("journal-reads", ReadManyAsync);
    }

    public Task AppendAsync(JournalAppend append, CancellationToken cancellationToken = default) =>
        _committer.CommitAsync(append, cancellationToken);

    public Task<IReadOnlyList<JournaledEvent>> ReadAsync(string callId, CancellationToken cancellationToken = default) =>
        _reader.CommitAsync(callId, cancellationToken);

    /// <summary>Stops taking appends and waits for those already queued to be committed.</summary>
    public async ValueTask DisposeAsync()
    {
        await _committer.DisposeAsync();
        await _reader.DisposeAsync();
    }

    private async Task<IReadOnlyList<CommitOutcome<IReadOnlyList<JournaledEvent>>>> ReadManyAsync(IReadOnlyList<string> callIds, CancellationToken cancellationToken)
    {
        var journals = await _store.ReadManyAsync(callIds, cancellationToken);
        return [.. callIds.Select(id => CommitOutcome<IReadOnlyList<JournaledEvent>>.Success(journals.TryGetValue(id, out var events) ? events : []))];
    }

    private async Task<IReadOnlyList<CommitOutcome<bool>>> CommitAsync(IReadOnlyList<JournalAppend> batch, CancellationToken cancellationToken)
    {
        try
        {
            var conflicts = await _store.WriteBatchAsync(batch, cancellationToken);
            return [.. batch.Select((append, i) => conflicts.Contains(i)
                ? CommitOutcome<bool>.Failure(new JournalConflictException(append.CallId))
                : CommitOutcome<bool>.Success(true))];
        }
        catch (Exception ex)
        {
            LogCommitFailed(ex, batch.Count);
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Journal commit of {Appends} appends failed; none acknowledged")]
    private partial void LogCommitFailed(Exception ex, int appends);
}
