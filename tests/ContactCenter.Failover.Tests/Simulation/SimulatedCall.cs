using ContactCenter.GatewayClient;

namespace ContactCenter.Failover.Tests.Simulation;

/// <summary>One event the simulated gateway handed to the client, and what became of it.</summary>
public sealed class SentEvent(GatewayEvent e, DateTimeOffset appendedAt)
{
    public GatewayEvent Event { get; } = e;

    public DateTimeOffset AppendedAt { get; } = appendedAt;

    /// <summary>Set once the client reports the event's final outcome.</summary>
    public EventReceipt? Receipt { get; private set; }

    public DateTimeOffset? FinalAt { get; private set; }

    public bool IsAcknowledged => Receipt?.IsAcknowledged == true;

    public void Complete(EventReceipt receipt)
    {
        FinalAt = DateTimeOffset.UtcNow;
        Receipt = receipt;
    }
}

/// <summary>
/// One caller's call as the gateway sees it: the events it reported and the offers the cluster made for it.
/// An offer to a second agent while the first still holds the call (no cancel in between) is a violation.
/// </summary>
public sealed class SimulatedCall(string callId, string region, string? queue)
{
    private readonly object _gate = new();
    private readonly List<SentEvent> _events = [];
    private readonly List<Task> _receipts = [];
    private readonly TaskCompletionSource<string> _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string? _offeredTo;

    public string CallId { get; } = callId;

    public string Region { get; } = region;

    /// <summary>The queue the caller asks for after the IVR, or null for a call that ends in the IVR.</summary>
    public string? Queue { get; } = queue;

    public string? AnsweredBy { get; private set; }

    public int NextSequence { get; private set; } = 1;

    public IReadOnlyList<SentEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Hands the next event to the client; the receipt is recorded when it comes, without waiting for it here.</summary>
    public async Task AppendAsync(ContactCenterClient client, Func<int, GatewayEvent> next)
    {
        SentEvent sent;
        lock (_gate)
        {
            sent = new SentEvent(next(NextSequence++), DateTimeOffset.UtcNow);
            _events.Add(sent);
        }

        var receipt = await client.AppendAsync(sent.Event);
        lock (_gate)
        {
            _receipts.Add(receipt.ContinueWith(t => sent.Complete(t.Result), TaskContinuationOptions.OnlyOnRanToCompletion));
        }
    }

    /// <summary>Completes when every event's outcome is known.</summary>
    public Task AllReceiptsAsync()
    {
        lock (_gate)
        {
            return Task.WhenAll(_receipts);
        }
    }

    /// <summary>The agent the cluster connected the caller to, or null when the caller gave up first.</summary>
    public async Task<string?> WaitForAgentAsync(TimeSpan patience)
    {
        var first = await Task.WhenAny(_connected.Task, Task.Delay(patience));
        lock (_gate)
        {
            if (first == _connected.Task)
            {
                AnsweredBy = _connected.Task.Result;
                return AnsweredBy;
            }

            _connected.TrySetCanceled(); // a connect from now on finds the caller gone
            return null;
        }
    }

    /// <summary>A connect command: returns a description of the violation when another agent still holds the call.</summary>
    public string? OnConnect(string agentId)
    {
        lock (_gate)
        {
            if (_offeredTo is null)
            {
                _offeredTo = agentId;
                _connected.TrySetResult(agentId);
                return null;
            }

            return _offeredTo == agentId
                ? null // the same command delivered again
                : $"call {CallId} was offered to {agentId} while {_offeredTo} still held it";
        }
    }

    /// <summary>A cancel_connect: the agent no longer holds the call, and the queue may offer it to another.</summary>
    public void OnCancel(string agentId)
    {
        lock (_gate)
        {
            if (_offeredTo == agentId)
            {
                _offeredTo = null;
            }
        }
    }
}
