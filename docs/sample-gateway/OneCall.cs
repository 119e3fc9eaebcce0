using ContactCenter.GatewayClient;

namespace SampleGateway;

/// <summary>What the sample gateway saw: its events' outcomes and the commands the cluster sent it.</summary>
public sealed record CallReport(IReadOnlyList<EventReceipt> Receipts, IReadOnlyList<GatewayCommand> Commands)
{
    public bool AllAcknowledged => Receipts.All(r => r.IsAcknowledged);
}

/// <summary>
/// One caller's call as a gateway reports it: offered, a voice menu, queued; meanwhile the gateway carries out
/// the cluster's commands for it (a real gateway would ring the agent's phone on <c>connect</c>, play the
/// announcement on <c>play_announcement</c>); then the caller hangs up.
/// </summary>
public static class OneCall
{
    public static async Task<CallReport> RunAsync(Uri silo, string token, string queue, TextWriter log, CancellationToken cancellationToken)
    {
        await using var client = new ContactCenterClient(new GatewayClientOptions
        {
            Regions = [new Region(silo.Authority, silo)],
            Token = token,
        });
        var commands = new List<GatewayCommand>();
        using var stopCommands = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var commandLoop = client.RunCommandsAsync((command, _) =>
        {
            // Idempotent by command id: a command may be delivered again after a lost acknowledgement.
            lock (commands)
            {
                if (commands.All(c => c.Id != command.Id))
                {
                    commands.Add(command);
                    log.WriteLine($"command {command.Id}: {command.Kind} for {command.CallId}");
                }
            }

            return Task.CompletedTask;
        }, stopCommands.Token);

        var call = $"sample-{Guid.NewGuid():N}";
        var at = DateTimeOffset.UtcNow;
        var receipts = new List<EventReceipt>
        {
            await client.SendAsync(GatewayEvent.Offered($"{call}-1", call, at, "+8613812345678", "10086", "nanjing"), cancellationToken),
            await client.SendAsync(GatewayEvent.IvrEntered($"{call}-2", call, 2, at, "main"), cancellationToken),
            await client.SendAsync(GatewayEvent.Queued($"{call}-3", call, 3, DateTimeOffset.UtcNow, queue), cancellationToken),
        };

        // The queue answers the queued call with a command (connect to an agent, or an announcement when
        // nobody is logged in); wait for it, then the caller hangs up.
        while (!cancellationToken.IsCancellationRequested && Count(commands) == 0)
        {
            await Task.Delay(100, cancellationToken);
        }

        receipts.Add(await client.SendAsync(GatewayEvent.Ended($"{call}-4", call, 4, DateTimeOffset.UtcNow, "normal_clearing", HangupSide.Caller), cancellationToken));
        foreach (var receipt in receipts)
        {
            log.WriteLine($"{receipt.Event.Type} #{receipt.Event.Sequence}: {receipt.Outcome}{(receipt.Reason is null ? "" : $" ({receipt.Reason})")}");
        }

        await stopCommands.CancelAsync();
        try
        {
            await commandLoop;
        }
        catch (OperationCanceledException)
        {
            // stopped, as asked
        }

        lock (commands)
        {
            return new CallReport(receipts, [.. commands]);
        }
    }

    private static int Count(List<GatewayCommand> commands)
    {
        lock (commands)
        {
            return commands.Count;
        }
    }
}
