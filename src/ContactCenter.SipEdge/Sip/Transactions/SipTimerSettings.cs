namespace ContactCenter.SipEdge.Sip.Transactions;

/// <summary>The timer values of RFC 3261 section 17 (table 4); every other timer is derived from these three.</summary>
public sealed record SipTimerSettings(TimeSpan T1, TimeSpan T2, TimeSpan T4)
{
    public static SipTimerSettings Rfc3261 { get; } = new(TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(5));

    /// <summary>Timers B, F, H, J (and RFC 6026's L and M): how long a transaction waits at most.</summary>
    public TimeSpan TransactionTimeout => T1 * 64;

    /// <summary>The next retransmission interval: doubled, and capped at T2 where the RFC caps it.</summary>
    public TimeSpan Next(TimeSpan interval, bool capped) => capped ? TimeSpan.FromTicks(Math.Min((interval * 2).Ticks, T2.Ticks)) : interval * 2;
}
