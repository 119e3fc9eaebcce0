namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// For every call of the run, by its index: the highest sequence acknowledged (every event up to it was, since a
/// call's receipts settle in order) and the sequence of its final <c>ended</c> event once reported. What the loss
/// check compares with the journal and the CDRs. Two integers a call, in chunks, so a month's worth of a busy hour
/// fits in a few megabytes.
/// </summary>
public sealed class CallLedger
{
    private const int ChunkSize = 1 << 20;
    private readonly Lock _growing = new();
    private int[][] _acknowledged = [];
    private int[][] _final = [];
    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    /// <summary>Makes room for call <paramref name="index"/> (from 0, in order).</summary>
    public void Add(long index)
    {
        var chunk = (int)(index / ChunkSize);
        if (chunk >= Volatile.Read(ref _acknowledged).Length)
        {
            lock (_growing)
            {
                while (chunk >= _acknowledged.Length)
                {
                    _final = [.. _final, new int[ChunkSize]];
                    Volatile.Write(ref _acknowledged, [.. _acknowledged, new int[ChunkSize]]);
                }
            }
        }

        Interlocked.Exchange(ref _calls, Math.Max(Calls, index + 1));
    }

    public void Acknowledged(long index, int sequence)
    {
        ref var slot = ref Volatile.Read(ref _acknowledged)[index / ChunkSize][index % ChunkSize];
        int seen;
        while (sequence > (seen = Volatile.Read(ref slot)) && Interlocked.CompareExchange(ref slot, sequence, seen) != seen)
        {
        }
    }

    public void Ended(long index, int sequence) => Volatile.Write(ref _final[index / ChunkSize][index % ChunkSize], sequence);

    public int AcknowledgedThrough(long index) => Volatile.Read(ref Volatile.Read(ref _acknowledged)[index / ChunkSize][index % ChunkSize]);

    public int FinalSequence(long index) => Volatile.Read(ref _final[index / ChunkSize][index % ChunkSize]);

    /// <summary>The call's end was reported and acknowledged: the journal must hold a CDR for it.</summary>
    public bool Finished(long index) => FinalSequence(index) is > 0 and var final && AcknowledgedThrough(index) >= final;
}
