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
        var delivery = await PostAsync(batch, region, stopping);
        if (delivery.Answered)
        {
            regions.Succeeded(region);
            return delivery.Settled > 0;
        }

        var failure = delivery.Failure!;
        if (failure.Kind == FailureKind.Failed && (batch.Count > 1 || batch[0].LoneFailures > 0) && await IsReadyAsync(region, stopping))
        {
            // The region says it is fine and yet could not answer this batch: what in it breaks the request? An
            // event alone that failed alone before, beside answered parts of its batch, has failed alone once more.
            return batch.Count > 1
                ? await IsolateAsync(batch, region, failure, stopping)
                : outbox.FailedAlone(batch, failure, region) > 0;
        }

        regions.Failed(region, failure);
        return false;
    }

    /// <summary>
    /// Sends a batch the ready region failed in parts (<see cref="BatchBisection"/>), and gives up an event that
    /// failed alone for the <see cref="EventOutbox.LoneFailuresToGiveUp"/>th time while the region answered other parts.
    /// </summary>
    private async Task<bool> IsolateAsync(List<PendingEvent> batch, Region region, RegionFailure failure, CancellationToken stopping)
    {
        var bisection = new BatchBisection(
            part =>
            {
                outbox.CountTransmission(part);
                return PostAsync(part, region, stopping);
            },
            batch.Count);
        await bisection.SplitAsync(batch);
        if (!bisection.Answered)
        {
            // Nothing got through: it is the region that fails (the count moves the client on), and no event is blamed.
            regions.Failed(region, bisection.LastFailure ?? failure);
            return false;
        }

        regions.Succeeded(region);
        return bisection.Settled + outbox.FailedAlone(bisection.FailedAlone, bisection.LastFailure ?? failure, region) > 0;
    }

    /// <summary>Sends events to the region and applies its answer; any failure to get a usable answer is a <see cref="RegionFailure"/>.</summary>
    private async Task<Delivery> PostAsync(List<PendingEvent> batch, Region region, CancellationToken stopping)
    {
        try
        {
            var composed = 0;
            var exchange = await http.SendAsync(
                () =>
                {
                    // The first transmission was counted by whoever made the batch; one after a 429 is a resend.
                    if (composed++ > 0)
                    {
                        outbox.CountTransmission(batch);
                    }

                    return new HttpRequestMessage(HttpMethod.Post, region.Resolve(EventBatchWire.Path)) { Content = EventBatchWire.Body(batch) };
                },
                options.RequestTimeout,
                stopping);
            using var response = exchange.Response;
            if (response is null)
            {
                return Failed(exchange.Failure!);
            }

            if (response.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge)
            {
                return new Delivery(outbox.RefuseAll(batch, await EventBatchWire.ProblemAsync(response), region), null);
            }

            // 200, or 403 when every event was another gateway's: both carry one result per event.
            var answers = await EventBatchWire.ReadAnswersAsync(response.Content, batch.Count);
            return answers is null
                ? Failed(new RegionFailure(FailureKind.Failed, $"HTTP {(int)response.StatusCode} without a result for each of the {batch.Count} events"))
                : new Delivery(outbox.Apply(batch, answers, region), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !stopping.IsCancellationRequested)
        {
            // Whatever else goes wrong with this request (its body, an answer no reader expected) is treated like a
            // 5xx: resent, and split when it keeps failing, rather than ending the sending loop.
            return Failed(new RegionFailure(FailureKind.Failed, $"{ex.GetType().Name}: {ex.Message}"));
        }
    }

    private async Task<bool> IsReadyAsync(Region region, CancellationToken stopping)
    {
        var exchange = await http.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, region.Resolve(HomeProbe.ReadinessPath)), options.RequestTimeout, stopping);
        using var response = exchange.Response;
        return response?.StatusCode == HttpStatusCode.OK;
    }

    private Delivery Failed(RegionFailure failure)
    {
        ClientTally.Add(ref tally.FailedRequests);
        return new Delivery(0, failure);
    }
}
