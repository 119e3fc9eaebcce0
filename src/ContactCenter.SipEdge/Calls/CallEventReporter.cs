using System.Collections.Concurrent;
using System.Threading.Channels;
using ContactCenter.GatewayClient;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Calls;

/// <summary>
/// Hands the edge's call events to the gateway client in the order they happened, from one task: the signalling
/// loop only queues an event and never waits for the cluster, and a full outbox (a region failing over) holds
/// the queue, not the calls. A refused event is logged with the silo's reason: it is a defect of the edge.
/// </summary>
public sealed class CallEventReporter : IAsyncDisposable
{
    private readonly Channel<GatewayEvent> _events = Channel.CreateUnbounded<GatewayEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<Task, byte> _answers = new();
    private readonly ContactCenterClient _client;
    private readonly ILogger _log;
    private readonly Task _pumping;
    private long _refused;

    public CallEventReporter(ContactCenterClient client, ILogger log)
    {
        _client = client;
        _log = log;
        _pumping = Task.Run(PumpAsync);
    }

    /// <summary>Events the cluster refused (rejected, forbidden or blocked): each is logged.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    /// <summary>Events waiting to enter the client's outbox.</summary>
    public int Waiting => _events.Reader.Count;

    public void Report(GatewayEvent e) => _events.Writer.TryWrite(e);

    /// <summary>
    /// What a call's survey question after the call came to: sent from a task of its own, until a region answers (a
    /// stopping edge waits a few seconds for them, as for the calls' last events).
    /// </summary>
    public void ReportSurveyAnswer(string callId, SurveyAnswerReport report)
    {
        var sending = SendSurveyAnswerAsync(callId, report);
        _answers.TryAdd(sending, 0);
        _ = sending.ContinueWith(done => _answers.TryRemove(done, out _), TaskScheduler.Default);
    }

    private async Task SendSurveyAnswerAsync(string callId, SurveyAnswerReport report)
    {
        try
        {
            var receipt = await _client.ReportSurveyAnswerAsync(callId, report);
            if (!receipt.Taken)
            {
                // A question not put, for a survey that already closed (the call's end told it first), is no news.
                _log.Log(report.Asked ? LogLevel.Warning : LogLevel.Information, "the cluster did not take the survey answer of call {CallId} ({Cause}): {Refusal}", callId, report.Cause, receipt.Refusal);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
        {
            // the edge is stopping
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var e in _events.Reader.ReadAllAsync())
        {
            Task<EventReceipt> receipt;
            try
            {
                receipt = await _client.AppendAsync(e);
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            _ = receipt.ContinueWith(done =>
            {
                if (done.IsCompletedSuccessfully && !done.Result.IsAcknowledged)
                {
                    Interlocked.Increment(ref _refused);
                    _log.LogError("the cluster refused {Type} #{Sequence} of call {CallId}: {Outcome} {Reason}", e.Type, e.Sequence, e.CallId, done.Result.Outcome, done.Result.Reason);
                }
            }, TaskScheduler.Default);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        await _pumping.WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        await Task.WhenAll(_answers.Keys).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}

/// <summary>One call's events: its id, and the sequence numbers and event ids that make each event unique and in order.</summary>
public sealed class CallEvents(string callId, CallEventReporter reporter, TimeProvider time)
{
    private int _sequence;

    public string CallId => callId;

    public int LastSequence => _sequence;

    public void Offered(string caller, string dialled, string region)
    {
        _sequence = 1;
        reporter.Report(GatewayEvent.Offered(EventId(1), callId, time.GetUtcNow(), caller, dialled, region));
    }

    public void Report(Func<string, string, int, DateTimeOffset, GatewayEvent> make)
    {
        var sequence = ++_sequence;
        reporter.Report(make(EventId(sequence), callId, sequence, time.GetUtcNow()));
    }

    private string EventId(int sequence) => $"{callId}-{sequence}";
}
