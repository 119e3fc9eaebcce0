namespace ContactCenter.Ingest;

/// <summary>
/// The times an event's <c>occurredAt</c> may take in one request. A gateway that says when it sent the request
/// (the body's <c>sentAt</c>) has its clock checked once, by that, against the silo's; its events may then be as
/// old as an outage kept them in its outbox (<see cref="IngestOptions.MaxEventAge"/>), so a long outage of both
/// regions loses nothing. Without <c>sentAt</c>, each event is held to the silo's clock, either way.
/// </summary>
public sealed class EventTimeWindow
{
    private readonly DateTimeOffset _earliest;
    private readonly DateTimeOffset _latest;
    private readonly Func<string, DateTimeOffset, string> _describe;

    private EventTimeWindow(DateTimeOffset earliest, DateTimeOffset latest, Func<string, DateTimeOffset, string> describe)
    {
        _earliest = earliest;
        _latest = latest;
        _describe = describe;
    }

    /// <summary>Why <paramref name="time"/>, the value of field <paramref name="name"/>, is out of the window; null when it is in.</summary>
    public string? Problem(string name, DateTimeOffset time) => time >= _earliest && time <= _latest ? null : _describe(name, time);

    /// <summary>The window of a request: by its <paramref name="sentAt"/> when it has one, else by the silo's clock.</summary>
    public static EventTimeWindow For(DateTimeOffset? sentAt, DateTimeOffset now, IngestOptions options)
    {
        var bySiloClock = BySiloClock(now, options.MaxClockSkew);
        if (sentAt is not { } sent)
        {
            return bySiloClock;
        }

        if (bySiloClock.Problem("sentAt", sent) is { } wrongClock)
        {
            // The gateway's clock is wrong, so none of its times can be trusted: every event gets the reason.
            return new EventTimeWindow(DateTimeOffset.MaxValue, DateTimeOffset.MinValue, (_, _) => wrongClock);
        }

        return new EventTimeWindow(sent - options.MaxEventAge, sent + options.MaxClockSkew, (name, time) => time > sent
            ? $"'{name}' is {(time - sent).TotalSeconds:F0} s after the request's 'sentAt', more than the {options.MaxClockSkew.TotalSeconds:F0} s allowed: an event cannot be sent before it happens"
            : $"'{name}' is {(sent - time).TotalHours:F1} h before the request's 'sentAt', older than the {options.MaxEventAge.TotalHours:F0} h an event may wait in a gateway's outbox");
    }

    private static EventTimeWindow BySiloClock(DateTimeOffset now, TimeSpan maxSkew) => new(now - maxSkew, now + maxSkew, (name, time) =>
    {
        var skew = time - now;
        return $"'{name}' is {skew.Duration().TotalSeconds:F0} s {(skew > TimeSpan.Zero ? "ahead of" : "behind")} the silo's clock " +
            $"({now.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}), more than the {maxSkew.TotalSeconds:F0} s allowed: check the gateway's clock";
    });
}
