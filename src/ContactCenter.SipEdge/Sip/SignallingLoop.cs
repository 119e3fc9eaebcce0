using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Sip;

/// <summary>
/// The one thread every transaction, dialog and call of the edge changes on: messages and timer firings are
/// posted here and run in order, so the SIP state needs no locks and a timer can never race the response it
/// waits for. Bounded: when a flood fills it, datagrams are dropped (their senders retransmit) instead of memory growing.
/// </summary>
public sealed class SignallingLoop : IAsyncDisposable
{
    public const int Capacity = 20_000;

    private readonly Channel<Action> _work = Channel.CreateBounded<Action>(new BoundedChannelOptions(Capacity)
    {
        SingleReader = true,
        FullMode = BoundedChannelFullMode.DropWrite,
    });

    private readonly ILogger _log;
    private readonly Thread _thread;
    private long _dropped;

    public SignallingLoop(TimeProvider time, ILogger log)
    {
        Time = time;
        _log = log;
        _thread = new Thread(Run) { IsBackground = true, Name = "sip-signalling" };
        _thread.Start();
    }

    public TimeProvider Time { get; }

    /// <summary>Work refused because the loop was full.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public bool IsOnLoop => Thread.CurrentThread == _thread;

    /// <summary>Queues the work; false when the loop is full or stopped (the work is dropped).</summary>
    public bool Post(Action work)
    {
        if (_work.Writer.TryWrite(work))
        {
            return true;
        }

        Interlocked.Increment(ref _dropped);
        return false;
    }

    /// <summary>Runs the work on the loop and waits for its result (for callers off the loop: the API, tests).</summary>
    public Task<T> InvokeAsync<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!Post(() =>
        {
            try
            {
                done.SetResult(work());
            }
            catch (Exception ex)
            {
                done.SetException(ex);
            }
        }))
        {
            done.SetException(new InvalidOperationException("the signalling loop is full or stopped"));
        }

        return done.Task;
    }

    /// <summary>A one-shot timer whose firing runs on the loop; dispose it to cancel.</summary>
    public ITimer After(TimeSpan delay, Action fired) =>
        Time.CreateTimer(_ => Post(fired), null, delay, Timeout.InfiniteTimeSpan);

    private void Run()
    {
        var reader = _work.Reader;
        while (reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (reader.TryRead(out var work))
            {
                try
                {
                    work();
                }
                catch (Exception ex)
                {
                    // One call's failure must not stop every other call's signalling.
                    _log.LogError(ex, "SIP signalling work failed");
                }
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        _work.Writer.TryComplete();
        _thread.Join(TimeSpan.FromSeconds(5));
        return ValueTask.CompletedTask;
    }
}
