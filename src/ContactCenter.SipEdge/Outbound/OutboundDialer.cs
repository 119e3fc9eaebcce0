using System.Security.Cryptography;
using ContactCenter.GatewayClient;
using ContactCenter.SipEdge.Calls;
using ContactCenter.SipEdge.Hosting;
using ContactCenter.SipEdge.Media;
using ContactCenter.SipEdge.Sip.Messages;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Outbound;

/// <summary>
/// Places the cluster's outbound calls on the outbound trunk, at the configured pace: at most
/// <see cref="OutboundOptions.MaxCalls"/> at once and <see cref="OutboundOptions.CallsPerSecond"/> new ones a
/// second, the rest waiting in order. Each call is claimed from the cluster before it is dialled and dialled only
/// when the claim is granted, so a <c>place_call</c> delivered twice, here or to an earlier run of the edge, rings
/// the subscriber once. Runs on the signalling loop; the claims and reports go out from tasks of their own.
/// </summary>
public sealed class OutboundDialer
{
    /// <summary>Outbound ids remembered, so a redelivered command does not even ask for a second claim.</summary>
    private const int RememberedIds = 50_000;

    private readonly CallServices _services;
    private readonly OutboundOptions _options;
    private readonly ContactCenterClient _client;
    private readonly CancellationToken _stopping;
    private readonly Queue<PlaceRequest> _waiting = new();
    private readonly Dictionary<string, OutboundCall> _active = new(StringComparer.Ordinal);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();
    private readonly string _attemptPrefix;
    private readonly TimeSpan _spacing;
    private DateTimeOffset _nextStart;
    private ITimer? _pacer;
    private int _claiming;
    private long _attempts;

    public OutboundDialer(CallServices services, OutboundOptions options, ContactCenterClient client, CancellationToken stopping)
    {
        _services = services;
        _options = options;
        _client = client;
        _stopping = stopping;
        _attemptPrefix = $"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4))}";
        _spacing = TimeSpan.FromSeconds(1 / options.CallsPerSecond);
    }

    /// <summary>Calls being claimed, ringing or talking.</summary>
    public int Active => _active.Count + _claiming;

    public int Waiting => _waiting.Count;

    /// <summary>The most calls that were up at once: what the pace allowed, for the tests and /status.</summary>
    public int MostAtOnce { get; private set; }

    /// <summary>A <c>place_call</c>: waits its turn, unless the edge already has it.</summary>
    public void Place(PlaceRequest request)
    {
        if (!Remember(request.Id))
        {
            return; // a redelivery of a command this run already took
        }

        if (_waiting.Count >= _options.MaxWaiting)
        {
            _services.Log.LogWarning("outbound call {OutboundId}: {Waiting} calls already wait; failed", request.Id, _waiting.Count);
            // Claimed first: only the attempt that holds the call may say how it ended.
            ClaimThen(request, attempt => Report(request.Id, OutboundCall.Failure(attempt, "outbound_queue_full", _services.Time)), refused: () => { });
            return;
        }

        _waiting.Enqueue(request);
        StartDue();
    }

    /// <summary>The edge is stopping: every outbound call is hung up and reported failed.</summary>
    public void AbortAll()
    {
        _pacer?.Dispose();
        _waiting.Clear();
        foreach (var call in _active.Values.ToList())
        {
            call.Abort("edge_stopping");
        }
    }

    /// <summary>Starts as many waiting calls as the limits allow now, and comes back when the pace allows the next.</summary>
    private void StartDue()
    {
        while (_waiting.Count > 0 && Active < _options.MaxCalls)
        {
            var now = _services.Time.GetUtcNow();
            if (now < _nextStart)
            {
                _pacer?.Dispose();
                _pacer = _services.Loop.After(_nextStart - now, StartDue);
                return;
            }

            _nextStart = (_nextStart > now - _spacing ? _nextStart : now) + _spacing;
            Start(_waiting.Dequeue());
        }
    }

    private void Start(PlaceRequest request)
    {
        _claiming++;
        MostAtOnce = Math.Max(MostAtOnce, Active);
        ClaimThen(request, attempt =>
        {
            _claiming--;
            Dial(request, attempt);
        }, refused: () =>
        {
            _claiming--;
            StartDue();
        });
    }

    private void Dial(PlaceRequest request, string attempt)
    {
        var call = new OutboundCall(_services, request, attempt, Report, Finished);
        if (string.IsNullOrWhiteSpace(_options.Trunk))
        {
            call.Fail("no_outbound_trunk");
            return;
        }

        if (_services.Prompts.Named(request.Prompt) is not { } prompt)
        {
            call.Fail("unknown_prompt");
            return;
        }

        if (!SipUri.TryParse(_options.Trunk.Replace("{number}", request.To, StringComparison.Ordinal), out var target))
        {
            call.Fail("bad_number");
            return;
        }

        _active[request.Id] = call;
        MostAtOnce = Math.Max(MostAtOnce, Active);
        if (!call.Dial(target, request.CallerId ?? _options.CallerId, prompt))
        {
            _active.Remove(request.Id);
        }
    }

    /// <summary>A call of <see cref="_active"/> finished: its place goes to the next waiting one.</summary>
    private void Finished(OutboundCall call)
    {
        _active.Remove(call.Id);
        StartDue();
    }

    /// <summary>
    /// Claims the call for a new attempt of this edge; <paramref name="granted"/> runs on the loop with the attempt
    /// when the cluster grants it, and <paramref name="refused"/> when it does not (another attempt has it, it
    /// finished or expired): then nothing is dialled.
    /// </summary>
    private void ClaimThen(PlaceRequest request, Action<string> granted, Action refused)
    {
        var attempt = $"{_attemptPrefix}-{++_attempts}";
        _ = ClaimAsync();

        async Task ClaimAsync()
        {
            OutboundAnswer answer;
            try
            {
                answer = await _client.ReportOutboundAsync(request.Id, new OutboundReport(OutboundSteps.Dialing, attempt, _services.Time.GetUtcNow()), _stopping);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                // Stopping: the cluster gives the call up when it has no result in time.
                _services.Loop.Post(refused);
                return;
            }

            _services.Loop.Post(() =>
            {
                if (answer.Taken)
                {
                    granted(attempt);
                    return;
                }

                _services.Log.LogInformation("outbound call {OutboundId} not dialled: {Refusal}", request.Id, answer.Refusal);
                refused();
            });
        }
    }

    /// <summary>A call's reports, one after another: each waits for the one before it to be answered, so they arrive in order.</summary>
    private readonly Dictionary<string, Task> _reporting = new(StringComparer.Ordinal);

    private void Report(string id, OutboundReport report)
    {
        var before = _reporting.GetValueOrDefault(id) ?? Task.CompletedTask;
        var after = SendAfterAsync(before, id, report);
        _reporting[id] = after;
        _ = after.ContinueWith(_ => _services.Loop.Post(() =>
        {
            if (_reporting.GetValueOrDefault(id) == after)
            {
                _reporting.Remove(id);
            }
        }), TaskScheduler.Default);
    }

    private async Task SendAfterAsync(Task before, string id, OutboundReport report)
    {
        await before.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            var answer = await _client.ReportOutboundAsync(id, report, _stopping);
            if (!answer.Taken)
            {
                _services.Log.LogError("the cluster refused {Step} of outbound call {OutboundId}: {Refusal}", report.Step, id, answer.Refusal);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // stopping
        }
    }

    private bool Remember(string id)
    {
        if (!_seen.Add(id))
        {
            return false;
        }

        _seenOrder.Enqueue(id);
        if (_seenOrder.Count > RememberedIds)
        {
            _seen.Remove(_seenOrder.Dequeue());
        }

        return true;
    }
}
