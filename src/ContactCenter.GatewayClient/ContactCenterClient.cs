namespace ContactCenter.GatewayClient;

/// <summary>
/// A telephony gateway's connection to the contact-center cluster, over several regions in order of
/// preference. Events go through a bounded outbox and are resent until each has a final outcome; the
/// command channel delivers the cluster's decisions to a handler. Both fail over together to the next region
/// when the current one fails, and come back when the home region is ready again.
/// </summary>
/// <remarks>
/// Delivery is at least once in both directions. Events: resending is safe because the silo deduplicates by
/// event id (a resend of a committed event is answered <see cref="EventOutcome.Duplicate"/>). Commands: a
/// command whose acknowledgement was lost is delivered again, so the handler must be idempotent by
/// <see cref="GatewayCommand.Id"/> or by what it does (ringing an agent already ringing changes nothing).
/// Thread-safe: any number of threads may append events.
/// </remarks>
public sealed class ContactCenterClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly HttpClient _http;
    private readonly RegionSelector _regions;
    private readonly ClientTally _tally = new();
    private readonly EventOutbox _outbox;
    private readonly CommandPoller _commands;
    private readonly RestartReporter _restart;
    private readonly ReportPoster _reports;
    private readonly Task _sending;
    private readonly Task _probing;

    /// <param name="handler">
    /// The HTTP stack to use; by default one whose connections are recycled every two minutes, so a region
    /// behind DNS is found again after its address changes. A caller's handler is not disposed with the client.
    /// </param>
    public ContactCenterClient(GatewayClientOptions options, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _http = handler is null
            ? new HttpClient(new SocketsHttpHandler { ConnectTimeout = options.RequestTimeout, PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
            : new HttpClient(handler, disposeHandler: false);
        // Each request has its own deadline (RegionHttp); a long poll needs longer than HttpClient's default allows.
        _http.Timeout = Timeout.InfiniteTimeSpan;

        var http = new RegionHttp(_http, options, _tally);
        _regions = new RegionSelector(options.Regions, options.FailoverAfterUnreachable, options.FailoverAfterFailures);
        _outbox = new EventOutbox(options.OutboxCapacity, options.GapTimeout, _tally, _stopping.Token);
        _commands = new CommandPoller(_regions, http, options, _tally);
        var answered = new AnsweredPost(_regions, http, options, _tally);
        _restart = new RestartReporter(answered);
        _reports = new ReportPoster(answered);
        _sending = new EventSender(_outbox, _regions, http, options, _tally).RunAsync(_stopping.Token);
        _probing = new HomeProbe(_regions, http, options.HomeProbeInterval, options.RequestTimeout).RunAsync(_stopping.Token);
    }

    /// <summary>Raised on every failover and failback, on the thread of the loop that caused it; a handler that throws is ignored.</summary>
    public event Action<RegionChange>? RegionChanged
    {
        add => _regions.Changed += value;
        remove => _regions.Changed -= value;
    }

    /// <summary>The region requests go to now.</summary>
    public Region CurrentRegion => _regions.Current;

    /// <summary>The figures so far, read at once.</summary>
    public GatewayClientCounters Counters => _tally.Snapshot(_regions, _outbox.Count);

    /// <summary>
    /// Puts the event in the outbox, waiting while the outbox is full (backpressure; an event is never dropped).
    /// The returned task completes once the event is in; the task inside it completes with its final outcome.
    /// Cancelling <paramref name="cancellationToken"/> gives up waiting for room; an event already in the outbox is sent regardless.
    /// </summary>
    public ValueTask<Task<EventReceipt>> AppendAsync(GatewayEvent e, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(e);
        return _outbox.AppendAsync(e, cancellationToken);
    }

    /// <summary>
    /// Appends the event and waits for its final outcome: acknowledged (accepted or duplicate), or refused with
    /// the reason. Held and unavailable answers and failed requests are resent, in another region if need be.
    /// Cancelling stops the waiting, not the sending.
    /// </summary>
    public async Task<EventReceipt> SendAsync(GatewayEvent e, CancellationToken cancellationToken = default)
    {
        var receipt = await AppendAsync(e, cancellationToken);
        return await receipt.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Appends the events in order (waiting for room as needed: the list may be larger than the outbox) and
    /// waits for every final outcome; the receipts are in the order of <paramref name="events"/>.
    /// </summary>
    public async Task<IReadOnlyList<EventReceipt>> SendBatchAsync(IEnumerable<GatewayEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        var receipts = new List<Task<EventReceipt>>();
        foreach (var e in events)
        {
            receipts.Add(await AppendAsync(e, cancellationToken));
        }

        return await Task.WhenAll(receipts).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Long-polls the command channel until <paramref name="cancellationToken"/> is cancelled (then throws
    /// <see cref="OperationCanceledException"/>), passing each command to <paramref name="handler"/> in the order
    /// delivered and acknowledging it once the handler returns. A handler that throws leaves its command
    /// unacknowledged, and the region delivers it again later. The handler must be idempotent: a command can
    /// arrive twice (an acknowledgement lost, or a failover between delivery and acknowledgement).
    /// Run one loop per client.
    /// </summary>
    public Task RunCommandsAsync(Func<GatewayCommand, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return _commands.RunAsync(handler, cancellationToken);
    }

    /// <summary>
    /// Tells the cluster this gateway started again at <paramref name="startedAt"/> (by the clock its events carry),
    /// so it ends the calls the gateway had before (cause <c>gateway_restarted</c>) instead of waiting for them to
    /// time out; returns how many it ended. Sent to the current region, and again (elsewhere if need be) until one
    /// answers; throws <see cref="InvalidOperationException"/> when the cluster refuses it (a clock far ahead of
    /// the cluster's). Call it once as the gateway starts, with a time from before its first call.
    /// </summary>
    public Task<int> ReportRestartAsync(DateTimeOffset startedAt, CancellationToken cancellationToken = default) =>
        _restart.ReportAsync(startedAt, cancellationToken);

    /// <summary>
    /// Reports a step of the outbound call <paramref name="callId"/> (a <c>place_call</c> command's call id) to the
    /// current region, and again (elsewhere if need be) until one answers. Before dialling, report
    /// <see cref="OutboundSteps.Dialing"/> and dial only if the answer is <see cref="OutboundAnswer.Taken"/>: the
    /// cluster grants one attempt per call, so a command delivered twice rings the subscriber once.
    /// </summary>
    public Task<OutboundAnswer> ReportOutboundAsync(string callId, OutboundReport report, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentNullException.ThrowIfNull(report);
        return _reports.ReportOutboundAsync(callId, report, cancellationToken);
    }

    /// <summary>
    /// Reports what became of a <see cref="CommandKinds.SurveyAfterCall"/> on the call <paramref name="callId"/>: the keys
    /// the caller pressed after the agent hung up, or why they were not asked. Sent to the current region, and again
    /// (elsewhere if need be) until one answers.
    /// </summary>
    public Task<SurveyAnswerReceipt> ReportSurveyAnswerAsync(string callId, SurveyAnswerReport report, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(callId);
        ArgumentNullException.ThrowIfNull(report);
        return _reports.ReportSurveyAnswerAsync(callId, report, cancellationToken);
    }

    /// <summary>Stops sending and probing; events still without a final outcome fail with <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        foreach (var loop in new[] { _sending, _probing })
        {
            try
            {
                await loop;
            }
            catch (OperationCanceledException)
            {
                // How the loops end.
            }
        }

        _outbox.Close();
        _http.Dispose();
        _stopping.Dispose();
    }
}
