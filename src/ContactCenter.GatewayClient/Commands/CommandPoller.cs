namespace ContactCenter.GatewayClient;

/// <summary>
/// The gateway's side of the command channel: one long poll at a time to the current region, each delivered
/// command handed to the gateway's handler in order, then the handled ones acknowledged together. Failures
/// count towards failover like the event sender's, and a region change cuts a poll in progress short.
/// </summary>
internal sealed class CommandPoller(RegionSelector regions, RegionHttp http, GatewayClientOptions options, ClientTally tally)
{
    public async Task RunAsync(Func<GatewayCommand, CancellationToken, Task> handler, CancellationToken stopping)
    {
        while (true)
        {
            stopping.ThrowIfCancellationRequested();
            var (region, tenure) = regions.Lease();
            var commands = await PollAsync(region, tenure, stopping);
            if (commands is null)
            {
                await PauseUnlessMovedAsync(tenure, stopping);
                continue;
            }

            var handled = new List<long>(commands.Count);
            foreach (var command in commands)
            {
                if (await HandleAsync(handler, command, stopping))
                {
                    handled.Add(command.Id);
                }
            }

            if (handled.Count > 0)
            {
                await AcknowledgeAsync(region, handled, stopping);
            }
        }
    }

    /// <summary>The delivered commands; null when the poll failed or the client moved to another region meanwhile.</summary>
    private async Task<List<GatewayCommand>?> PollAsync(Region region, CancellationToken tenure, CancellationToken stopping)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(tenure, stopping);
        var poll = region.Resolve(CommandWire.PollPath(options.CommandWaitSeconds, options.CommandsPerPoll));
        Exchange exchange;
        try
        {
            // The silo holds the poll open up to the wait; the request timeout is for the answer after that.
            exchange = await http.SendAsync(() => new HttpRequestMessage(HttpMethod.Get, poll), TimeSpan.FromSeconds(options.CommandWaitSeconds) + options.RequestTimeout, either.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            // The client left this region while the poll waited there (or waited out a 429 there): poll the new one.
            return null;
        }

        using var response = exchange.Response;
        var commands = response is { IsSuccessStatusCode: true } ? await CommandWire.ReadPageAsync(response.Content, region) : null;
        if (commands is null)
        {
            Failed(region, exchange.Failure ?? new RegionFailure(FailureKind.Failed, response is null ? "no answer" : $"HTTP {(int)response.StatusCode} is not a page of commands"));
            return null;
        }

        regions.Succeeded(region);
        return commands;
    }

    /// <summary>
    /// Runs the handler; false when it threw, which leaves the command unacknowledged: the region delivers it
    /// again after its redelivery time, so a passing fault in the gateway does not lose the command.
    /// </summary>
    private async Task<bool> HandleAsync(Func<GatewayCommand, CancellationToken, Task> handler, GatewayCommand command, CancellationToken stopping)
    {
        try
        {
            await handler(command, stopping);
            ClientTally.Add(ref tally.CommandsHandled);
            return true;
        }
        catch (Exception) when (!stopping.IsCancellationRequested)
        {
            ClientTally.Add(ref tally.CommandsFailed);
            return false;
        }
    }

    /// <summary>
    /// Acknowledges to the region that delivered the commands: their ids mean nothing elsewhere. A lost
    /// acknowledgement is not retried (one the region answered 429 is, after the wait it asked for): the region
    /// delivers those commands again, and the handler, which must be idempotent anyway, sees them twice.
    /// </summary>
    private async Task AcknowledgeAsync(Region region, List<long> ids, CancellationToken stopping)
    {
        var exchange = await http.SendAsync(
            () => new HttpRequestMessage(HttpMethod.Post, region.Resolve(CommandWire.AcknowledgePath)) { Content = CommandWire.Acknowledgement(ids) },
            options.RequestTimeout,
            stopping);
        using var response = exchange.Response;
        if (response is { IsSuccessStatusCode: true })
        {
            regions.Succeeded(region);
        }
        else
        {
            Failed(region, exchange.Failure ?? new RegionFailure(FailureKind.Failed, $"HTTP {(int)response!.StatusCode} to an acknowledgement"));
        }
    }

    private void Failed(Region region, RegionFailure failure)
    {
        ClientTally.Add(ref tally.FailedRequests);
        regions.Failed(region, failure);
    }

    private async Task PauseUnlessMovedAsync(CancellationToken tenure, CancellationToken stopping)
    {
        if (tenure.IsCancellationRequested)
        {
            return;
        }

        using var either = CancellationTokenSource.CreateLinkedTokenSource(tenure, stopping);
        try
        {
            await Task.Delay(options.RetryDelay, either.Token);
        }
        catch (OperationCanceledException) when (!stopping.IsCancellationRequested)
        {
            // Moved to another region during the pause: go there now.
        }
    }
}
