namespace ContactCenter.GatewayClient;

/// <summary>What became of one request of events: how many got a final outcome, or why it got no answer.</summary>
internal readonly record struct Delivery(int Settled, RegionFailure? Failure)
{
    public bool Answered => Failure is null;
}

/// <summary>
/// Finds the event that breaks a request. A region that is up (its readiness says so) and still fails a batch
/// with a 5xx or an answer that cannot be read may be failing on something in the batch, as a silo with a bug
/// fails on one malformed event: the batch is sent again in halves, and a half that fails in halves again, until
/// the events that fail alone are known. Only a region that answered some other part of the batch convicts an
/// event: when nothing got through it is the region that is failing, not the events, and nothing is given up.
/// </summary>
/// <param name="post">Sends one part of the batch to the region that failed it and applies the answer.</param>
internal sealed class BatchBisection(Func<List<PendingEvent>, Task<Delivery>> post, int batchSize)
{
    /// <summary>
    /// Failed requests in a row after which the region, not the batch, is taken to be failing. The way down to
    /// one bad event takes one failure per halving; two more leave room for a second bad event next to it.
    /// </summary>
    private readonly int _maxMisses = (int)Math.Ceiling(Math.Log2(Math.Max(batchSize, 2))) + 2;
    private int _misses;

    /// <summary>True when the region answered at least one part: what failed alone failed for what it carried.</summary>
    public bool Answered { get; private set; }

    /// <summary>Events that failed in a request of their own.</summary>
    public List<PendingEvent> FailedAlone { get; } = [];

    public RegionFailure? LastFailure { get; private set; }

    public int Settled { get; private set; }

    /// <summary>Sends the two halves of a batch that failed whole, splitting further what fails.</summary>
    public async Task SplitAsync(List<PendingEvent> batch)
    {
        var half = batch.Count / 2;
        // In order, one request at a time: a call's earlier events (first half) go ahead of its later ones.
        await TryAsync(batch[..half]);
        await TryAsync(batch[half..]);
    }

    private async Task TryAsync(List<PendingEvent> part)
    {
        // An event may have been given up meanwhile: blocked behind an earlier event of its call that was refused.
        part.RemoveAll(e => e.IsSettled);
        if (part.Count == 0 || _misses > _maxMisses)
        {
            return;
        }

        var delivery = await post(part);
        if (delivery.Answered)
        {
            (Answered, _misses, Settled) = (true, 0, Settled + delivery.Settled);
            return;
        }

        LastFailure = delivery.Failure;
        if (delivery.Failure!.Kind != FailureKind.Failed)
        {
            // A timeout or a refused connection is the region's trouble, whatever the batch holds: stop here.
            _misses = int.MaxValue;
            return;
        }

        if (++_misses > _maxMisses)
        {
            return;
        }

        if (part.Count == 1)
        {
            FailedAlone.Add(part[0]);
            return;
        }

        await SplitAsync(part);
    }
}
