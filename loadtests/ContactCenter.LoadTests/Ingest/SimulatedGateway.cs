using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using ContactCenter.LoadTests.Measurement;

namespace ContactCenter.LoadTests.Ingest;

/// <summary>
/// One telephony gateway: keeps a set of live calls going and reports them in batches, one request in flight
/// at a time (a closed loop: the silo's speed sets the pace). Each batch takes the next unacknowledged events
/// of many calls, never more than <see cref="IngestOptions.EventsPerCall"/> per call and always in sequence
/// order, so every event is valid for the silo. Events not acknowledged are resent in the next batch, as the
/// gateway contract requires.
/// </summary>
public sealed class SimulatedGateway
{
    // A failing silo should be probed, not hammered: a failed request costs nothing to repeat at full speed.
    private static readonly TimeSpan BackoffAfterFailure = TimeSpan.FromMilliseconds(200);
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly Uri _endpoint;
    private readonly AuthenticationHeaderValue _authorization;
    private readonly IngestOptions _options;
    private readonly HttpClient _http;
    private readonly RunClock _clock;
    private readonly CallSource _source;
    private readonly SimulatedCall[] _calls;
    private readonly List<BatchEntry> _batch;
    private readonly EventBatchWriter _writer = new();
    private readonly PhaseTally[] _tallies = [new(), new(), new()];
    private int _nextSlot;

    public SimulatedGateway(string token, Uri endpoint, IngestOptions options, HttpClient http, RunClock clock, CallSource source)
    {
        _endpoint = endpoint;
        _authorization = new AuthenticationHeaderValue("Bearer", token);
        _options = options;
        _http = http;
        _clock = clock;
        _source = source;
        _calls = [.. Enumerable.Range(0, options.CallsPerGateway).Select(_ => source.NextCall())];
        _batch = new List<BatchEntry>(options.Batch);
    }

    public PhaseTally Tally(RunPhase phase) => _tallies[(int)phase];

    public async Task RunAsync()
    {
        while (!_clock.IsOver)
        {
            FillBatch();
            if (!await PostBatchAsync())
            {
                await Task.Delay(BackoffAfterFailure);
            }
        }
    }

    /// <summary>Takes the next events of the live calls in turn, replacing finished calls with new ones.</summary>
    private void FillBatch()
    {
        _batch.Clear();
        var visited = 0;
        for (; visited < _calls.Length && _batch.Count < _options.Batch; visited++)
        {
            var slot = (_nextSlot + visited) % _calls.Length;
            if (_calls[slot].IsOver)
            {
                _calls[slot] = _source.NextCall();
            }

            var (first, count) = _calls[slot].Next(Math.Min(_options.EventsPerCall, _options.Batch - _batch.Count));
            for (var sequence = first; sequence < first + count; sequence++)
            {
                _batch.Add(new BatchEntry(_calls[slot], sequence));
            }
        }

        // With more calls than fit in one batch, the next batch starts where this one stopped.
        _nextSlot = (_nextSlot + visited) % _calls.Length;
    }

    /// <summary>Posts the batch and applies the outcomes; false when nothing could be acknowledged.</summary>
    private async Task<bool> PostBatchAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint);
        request.Content = new ReadOnlyMemoryContent(_writer.Write(_batch, DateTime.UtcNow));
        request.Content.Headers.ContentType = Json;
        request.Headers.Authorization = _authorization;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
            var (answer, problem) = await ReadAnswerAsync(response);
            // Acknowledgement latency: from sending the batch to holding the silo's complete answer.
            var latency = Stopwatch.GetElapsedTime(started);
            var tally = CountRequest();
            if (answer is null)
            {
                tally.Errors.Add(ErrorKind.Http, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}{problem}");
                return false;
            }

            // 403 and 503 carry per-event results too: their events are counted (forbidden, unavailable) below.
            tally.Latency.Record(latency);
            return Apply(answer, tally) > 0;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or JsonException)
        {
            CountRequest().Errors.Add(ErrorKind.Exception, $"{ex.GetType().Name}: {ex.Message}");
            return false;
        }
    }

    private static async Task<(BatchResponse? Answer, string Problem)> ReadAnswerAsync(HttpResponseMessage response)
    {
        // 200, and 403/503 when every event was forbidden/unavailable, carry per-event results; anything else
        // (400 malformed batch, 401 unknown token, 413 too large) carries at most a problem description.
        if (response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Forbidden or HttpStatusCode.ServiceUnavailable
            && response.Content.Headers.ContentType?.MediaType == "application/json")
        {
            await using var body = await response.Content.ReadAsStreamAsync();
            return (await JsonSerializer.DeserializeAsync(body, LoadTestJson.Default.BatchResponse), "");
        }

        var text = await response.Content.ReadAsStringAsync();
        return (null, text.Length == 0 ? "" : ": " + text[..Math.Min(text.Length, 300)]);
    }

    private PhaseTally CountRequest()
    {
        var tally = Tally(_clock.PhaseNow());
        tally.Requests++;
        tally.EventsSent += _batch.Count;
        return tally;
    }

    /// <summary>Moves each call on by its acknowledged events; returns how many were acknowledged.</summary>
    private long Apply(BatchResponse answer, PhaseTally tally)
    {
        if (answer.Results.Count != _batch.Count)
        {
            tally.Errors.Add(ErrorKind.Protocol, $"{answer.Results.Count} results for a batch of {_batch.Count} events");
            return 0;
        }

        var acknowledged = 0L;
        foreach (var result in answer.Results)
        {
            if (result.Index < 0 || result.Index >= _batch.Count)
            {
                tally.Errors.Add(ErrorKind.Protocol, $"result index {result.Index} outside a batch of {_batch.Count}");
                continue;
            }

            var (call, sequence) = _batch[result.Index];
            switch (result.Outcome)
            {
                case "accepted" or "duplicate":
                    acknowledged++;
                    if (result.Outcome == "accepted")
                    {
                        tally.Accepted++;
                    }
                    else
                    {
                        tally.Duplicates++;
                    }

                    call.Acknowledge(sequence);
                    if (sequence == call.EventCount)
                    {
                        tally.CallsCompleted++;
                    }

                    break;
                case "rejected" or "forbidden":
                    // The call cannot go on validly; a new one takes its place.
                    tally.Errors.Add(result.Outcome == "rejected" ? ErrorKind.Rejected : ErrorKind.Forbidden, $"{call[sequence].Type}: {result.Reason}");
                    call.Abandon();
                    break;
                case "held" or "unavailable":
                    // Not durable: resent with the next batch.
                    tally.Errors.Add(result.Outcome == "held" ? ErrorKind.Held : ErrorKind.Unavailable, $"{call[sequence].Type}: {result.Reason}");
                    break;
                default:
                    tally.Errors.Add(ErrorKind.Protocol, $"unknown outcome '{result.Outcome}'");
                    break;
            }
        }

        _clock.CountAcknowledged(acknowledged);
        return acknowledged;
    }
}
