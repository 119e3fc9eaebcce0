namespace ContactCenter.Calls;

/// <summary>
/// Puts a gateway's time stamps on the silo's clock. Queues decide on time (the maximum wait, who has waited
/// longest, service levels) by their own clock, so a gateway whose clock lags must not have every call reach its
/// maximum wait at once, nor one that runs ahead (or backdates) jump the queue. What a gateway's stamps do say
/// reliably is how long before its latest event something happened: that interval is kept, laid back from the
/// silo's now. An effect applied late (retried after a failure) thus dates its events a little late: the waits it
/// reports are short by the delay, never skewed by the gateway's clock.
/// </summary>
public readonly record struct GatewayClock(DateTimeOffset GatewayNow, DateTimeOffset SiloNow)
{
    /// <summary>The clocks of a call whose latest accepted event is the one <paramref name="latest"/> ends with.</summary>
    public static GatewayClock Of(CallSnapshot latest, TimeProvider silo) => new(latest.LastEventAt, silo.GetUtcNow());

    public DateTimeOffset ToSilo(DateTimeOffset gatewayTime) =>
        SiloNow - (GatewayNow > gatewayTime ? GatewayNow - gatewayTime : TimeSpan.Zero);
}
