using System.Net;

namespace ContactCenter.GatewayClient;

/// <summary>
/// Sends the outbox to the current region, one request at a time, until the client is disposed. One request
/// in flight keeps each call's events in order across batches without any further bookkeeping: a batch is
/// built only after the previous answer was applied. (A load generator that needs more parallelism runs
/// several clients, one per simulated gateway, as real gateways are separate processes too.)
/// </summary>
internal sealed class EventSender(EventOutbox outbox, RegionSelector regions, RegionHttp http, GatewayClientOptions options, ClientTally tally)
{
    public async Task RunAsync(CancellationToken stopping)
    {
        while (true)
        {
            await outbox.WaitForEventsAsync(stopping);
            var batch = outbox.TakeBatch(options.MaxBatchSize);
            if (!await SendAsync(batch, stopping))
            {
                // Nothing moved on (a failed request, or only held and unavailable answers): sending again at
                // once would only load a struggling region. On a failover the next region is tried after the same pause.
                await Task.Delay(options.RetryDelay, stopping);
            }
        }
    }

    /// <summary>Sends one batch and applies the answer; false when no event got a final outcome.</summary>
    private async Task<bool> SendAsync(List<PendingEvent> batch, CancellationToken stopping)
    {
        var region = regions.Current;
        using var request = new HttpRequestMessage(HttpMethod.Post, region.Resolve(EventBatchWire.Path)) { Content = EventBatchWire.Body(batch) };
        var exchange = await http.SendAsync(request, options.RequestTimeout, stopping);
        using var response = exchange.Response;
        if (response is null)
        {
            return Failed(region, exchange.Failure!);
        }

        if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge)
        {
            regions.Succeeded(region);
            return outbox.RefuseAll(batch, await EventBatchWire.ProblemAsync(response), region) > 0;
        }

        // 200, or 403 when every event was another gateway's: both carry one result per event.
        var answers = await EventBatchWire.ReadAnswersAsync(response.Content, batch.Count);
        if (answers is null)
        {
            return Failed(region, new RegionFailure(FailureKind.Failed, $"HTTP {(int)response.StatusCode} without a result for each of the {batch.Count} events"));
        }

        regions.Succeeded(region);
        return outbox.Apply(batch, answers, region) > 0;
    }

    private bool Failed(Region region, RegionFailure failure)
    {
        ClientTally.Add(ref tally.FailedRequests);
        regions.Failed(region, failure);
        return false;
    }
}
