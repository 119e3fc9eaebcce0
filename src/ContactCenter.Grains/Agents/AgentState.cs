using ContactCenter.Kpis;

namespace ContactCenter.Agents;

/// <summary>
/// The agent presence state machine and the agent's KPI counters. Every change goes through <see cref="MoveTo"/>,
/// which books the time spent in the state being left, so the counters always add up to the time logged in.
/// </summary>
[GenerateSerializer, Alias("cc.AgentState")]
public sealed class AgentState
{
    [Id(0)] public AgentProfile? Profile { get; set; }
    [Id(1)] public AgentPresence Presence { get; set; } = AgentPresence.LoggedOut;
    [Id(2)] public string? Reason { get; set; }
    [Id(3)] public DateTimeOffset Since { get; set; }
    [Id(4)] public string? Endpoint { get; set; }
    /// <summary>The call the agent is reserved for, talking on, or wrapping up.</summary>
    [Id(5)] public string? CallId { get; set; }
    [Id(6)] public AgentOffer? Offer { get; set; }
    [Id(7)] public DateTimeOffset? WrapUpUntil { get; set; }
    [Id(8)] public DateTimeOffset? HoldSince { get; set; }
    /// <summary>Increases with every presence change, so queues can ignore a notification older than one they hold.</summary>
    [Id(10)] public long Version { get; set; }
    /// <summary>Hold time on the current call, for its handle time.</summary>
    [Id(11)] public TimeSpan CallHold { get; set; }
    /// <summary>The call being wrapped up: its talk and hold, until wrap-up ends and its handle time is known.</summary>
    [Id(12)] public HandledCall? Handling { get; set; }
    [Id(13)] public KpiWindows Kpis { get; set; } = new();

    /// <summary>The center's calendar, for "today"; set by the grain on activation (not saved: it is configuration).</summary>
    [field: NonSerialized]
    public CenterCalendar Calendar { get; set; } = CenterCalendar.Default;

    /// <summary>A call whose handling finished in the last change, for the grain to tell the call's queue; not saved.</summary>
    [field: NonSerialized]
    public HandledCall? JustHandled { get; set; }

    public AgentStatus ToStatus(string agentId, DateTimeOffset now) =>
        new(agentId, Profile, Presence, Reason, Since, Endpoint, CallId, Offer, AgentFigures.Of(KpisAt(now).Today), Version);

    /// <summary>
    /// The agent's counters as of <paramref name="now"/>. The state the agent is in has not been booked yet (time
    /// is booked when a state ends): it is added, so an agent idle for an hour does not look unoccupied. Within
    /// the rolling window, only the part of it inside the window counts.
    /// </summary>
    public KpiSnapshot KpisAt(DateTimeOffset now)
    {
        var counters = Kpis.Snapshot(now, Calendar);
        var inState = now > Since ? now - Since : TimeSpan.Zero;
        var windowStart = DateTimeOffset.FromUnixTimeSeconds((now.ToUnixTimeSeconds() / 60 - KpiWindows.RollingMinutes + 1) * 60);
        var inWindow = now - windowStart;
        var sinceMidnight = now - Calendar.StartOfDay(now);
        return new KpiSnapshot(
            WithTimeIn(Presence, counters.Last15Minutes, inState < inWindow ? inState : inWindow),
            WithTimeIn(Presence, counters.Today, inState < sinceMidnight ? inState : sinceMidnight));
    }

    public void Login(string endpoint, DateTimeOffset now)
    {
        if (Endpoint != endpoint)
        {
            Version++; // a new desk is saved even when the presence stays the same
        }

        Endpoint = endpoint;
        if (Presence == AgentPresence.LoggedOut)
        {
            Kpis.Record(now, Calendar, k => k with { Logins = k.Logins + 1 });
            MoveTo(AgentPresence.NotReady, "login", now);
        }
    }

    public void Logout(DateTimeOffset now)
    {
        Require(Presence is not AgentPresence.OnCall, "an agent on a call cannot log out; finish the call first");
        ClearCall();
        MoveTo(AgentPresence.LoggedOut, null, now);
        Endpoint = null;
    }

    public void Ready(DateTimeOffset now)
    {
        Require(Presence is AgentPresence.NotReady or AgentPresence.WrapUp or AgentPresence.Available, $"an agent who is {Presence} cannot become ready");
        if (Presence != AgentPresence.Available)
        {
            WrapUpUntil = null;
            if (Presence == AgentPresence.WrapUp)
            {
                ClearCall();
            }

            MoveTo(AgentPresence.Available, null, now);
        }
    }

    /// <summary>Not ready with a reason. From Reserved it declines the offered call, which goes back to its queue.</summary>
    public void NotReady(string reason, DateTimeOffset now)
    {
        Require(Presence is not (AgentPresence.LoggedOut or AgentPresence.OnCall), $"an agent who is {Presence} cannot go not ready");
        WrapUpUntil = null;
        ClearCall();
        MoveTo(AgentPresence.NotReady, reason, now);
    }

    public bool TryReserve(AgentOffer offer, DateTimeOffset now)
    {
        if (Presence == AgentPresence.Reserved && Offer?.CallId == offer.CallId)
        {
            return true;
        }

        if (Presence != AgentPresence.Available || Profile?.Skills.Any(s => s.Queue == offer.Queue) != true)
        {
            return false; // busy, or a queue whose picture of the agent's skills is out of date
        }

        Offer = offer;
        CallId = offer.CallId;
        Kpis.Record(now, Calendar, k => k with { Offered = k.Offered + 1 });
        MoveTo(AgentPresence.Reserved, null, now);
        return true;
    }

    /// <summary>The offer is over without an answer. Returns whether anything changed.</summary>
    public bool ReleaseOffer(string callId, bool agentMissedIt, DateTimeOffset now)
    {
        if (Presence != AgentPresence.Reserved || Offer?.CallId != callId)
        {
            return false;
        }

        ClearCall();
        if (agentMissedIt)
        {
            Kpis.Record(now, Calendar, k => k with { Missed = k.Missed + 1 });
            MoveTo(AgentPresence.NotReady, NotReadyReasons.NoAnswer, now);
        }
        else
        {
            MoveTo(AgentPresence.Available, null, now);
        }

        return true;
    }

    public bool Answer(string callId, DateTimeOffset now)
    {
        if (Presence == AgentPresence.OnCall && CallId == callId)
        {
            return false;
        }

        Require(Presence is AgentPresence.Reserved or AgentPresence.Available or AgentPresence.NotReady or AgentPresence.WrapUp,
            $"agent is {Presence} and cannot answer call {callId}");
        // The gateway's report is the fact: an agent may pick up a direct call during wrap-up (which ends it),
        // or another call than the one offered (that offer times out at its queue and the call goes back).
        WrapUpUntil = null;
        if (Offer?.CallId != callId)
        {
            Offer = null;
        }

        CallId = callId;
        CallHold = TimeSpan.Zero;
        MoveTo(AgentPresence.OnCall, null, now);
        return true;
    }

    public bool ChangeHold(string callId, bool onHold, DateTimeOffset now)
    {
        if (Presence != AgentPresence.OnCall || CallId != callId || (HoldSince is not null) == onHold)
        {
            return false;
        }

        if (onHold)
        {
            HoldSince = now;
        }
        else
        {
            EndHold(now);
        }

        return true;
    }

    /// <summary>The agent's call ended: wrap-up for the offering queue's time, or free at once if the caller left while it rang.</summary>
    public bool EndCall(string callId, DateTimeOffset now)
    {
        if (CallId != callId)
        {
            return false;
        }

        if (Presence == AgentPresence.Reserved)
        {
            return ReleaseOffer(callId, agentMissedIt: false, now);
        }

        if (Presence != AgentPresence.OnCall)
        {
            return false;
        }

        EndHold(now);
        var wrapUp = Offer?.WrapUp ?? TimeSpan.Zero;
        var talk = now - Since - CallHold;
        Handling = new HandledCall(callId, Offer?.Queue, talk > TimeSpan.Zero ? talk : TimeSpan.Zero, CallHold, TimeSpan.Zero, now);
        if (wrapUp <= TimeSpan.Zero)
        {
            FinishHandling(TimeSpan.Zero, now);
            ClearCall();
            MoveTo(AgentPresence.Available, null, now);
        }
        else
        {
            WrapUpUntil = now + wrapUp;
            MoveTo(AgentPresence.WrapUp, null, now);
        }

        return true;
    }

    /// <summary>
    /// How long past an offer's deadline the agent waits for its queue to withdraw it. The queue normally does
    /// so at the deadline; an offer still standing after this was lost by its queue (a crash between the
    /// agent's write and the queue's), and the agent frees itself rather than stay reserved for ever.
    /// </summary>
    public static readonly TimeSpan StaleOfferGrace = TimeSpan.FromSeconds(30);

    /// <summary>When <see cref="Evaluate"/> next has something to do: the end of wrap-up, or of a stale offer.</summary>
    public DateTimeOffset? NextDue => Presence switch
    {
        AgentPresence.WrapUp => WrapUpUntil,
        AgentPresence.Reserved => Offer?.Deadline + StaleOfferGrace,
        _ => null,
    };

    /// <summary>Ends wrap-up once its time is up, and an offer its queue has forgotten. Returns whether anything changed.</summary>
    public bool Evaluate(DateTimeOffset now)
    {
        if (Presence == AgentPresence.Reserved && NextDue <= now)
        {
            // Not the agent's fault: they go back to available, and a queue that still knew the offer
            // hears it and puts the call back at the head.
            return ReleaseOffer(CallId!, agentMissedIt: false, now);
        }

        if (Presence != AgentPresence.WrapUp || WrapUpUntil is not { } until || now < until)
        {
            return false;
        }

        WrapUpUntil = null;
        ClearCall();
        MoveTo(AgentPresence.Available, null, now);
        return true;
    }

    private void MoveTo(AgentPresence presence, string? reason, DateTimeOffset now)
    {
        var spent = now > Since ? now - Since : TimeSpan.Zero;
        var left = Presence;
        Kpis.RecordTime(Since, now, Calendar, (k, time) => WithTimeIn(left, k, time));
        if (left == AgentPresence.WrapUp && presence != AgentPresence.WrapUp)
        {
            FinishHandling(spent, now); // however wrap-up ends: its time, the agent's ready, a new call, log-out
        }

        Presence = presence;
        Reason = reason;
        Since = now;
        Version++;
    }

    /// <summary>Books time spent in a presence: ready (available or ringing) is idle, a call or wrap-up is busy.</summary>
    public static KpiCounters WithTimeIn(AgentPresence presence, KpiCounters counters, TimeSpan time) => presence switch
    {
        AgentPresence.Available or AgentPresence.Reserved => counters with { Idle = counters.Idle + time },
        AgentPresence.OnCall or AgentPresence.WrapUp => counters with { Busy = counters.Busy + time },
        AgentPresence.NotReady => counters with { NotReady = counters.NotReady + time },
        _ => counters,
    };

    /// <summary>Hold time is carved out of talk time, so the handled call's times keep adding up.</summary>
    private void EndHold(DateTimeOffset now)
    {
        if (HoldSince is { } since)
        {
            var held = now > since ? now - since : TimeSpan.Zero;
            CallHold += held;
            HoldSince = null;
        }
    }

    /// <summary>The call's handling is over: its talk, hold and wrap-up count toward handle time, here and at its queue.</summary>
    private void FinishHandling(TimeSpan wrapUp, DateTimeOffset now)
    {
        if (Handling is not { } handled)
        {
            return;
        }

        JustHandled = handled with { WrapUp = wrapUp, At = now };
        Kpis.Record(now, Calendar, k => k with
        {
            Handled = k.Handled + 1,
            Talk = k.Talk + handled.Talk,
            Hold = k.Hold + handled.Hold,
            WrapUp = k.WrapUp + wrapUp,
        });
        Handling = null;
    }

    private void ClearCall()
    {
        Offer = null;
        CallId = null;
        HoldSince = null;
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new AgentStateException(message);
        }
    }
}
