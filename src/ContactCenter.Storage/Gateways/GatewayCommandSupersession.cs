namespace ContactCenter.Gateways;

/// <summary>
/// Which earlier, still open commands about a call a new command makes stale: they are marked superseded in the
/// new command's transaction and never delivered again. The one source of these rules for both stores, which
/// match on the <see cref="Topic"/> and <see cref="Subject"/> columns.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A <c>connect</c> makes every earlier connect of the call stale: that offer is over (its
/// <c>cancel_connect</c> went first), and ringing its agent later would ring them for a call someone else has.</item>
/// <item>A <c>cancel_connect</c> makes its agent's connect stale; when that connect was never delivered, the
/// gateway never rang the agent, so the cancel itself is pointless and is not delivered either.</item>
/// <item><c>play_busy</c> and <c>play_announcement</c> make every connect of the call stale: the caller is told
/// the call goes no further, and no agent should ring for it afterwards.</item>
/// <item>A <c>join_as_supervisor</c> or <c>leave_as_supervisor</c> makes the same supervisor's earlier join or
/// leave stale: only the latest says where the supervisor should be, and an old join redelivered after a leave
/// would put them back on the call. A leave is delivered even when the join it supersedes never was: an earlier
/// join may have been carried out, and a leave for a supervisor not on the call costs the gateway nothing.</item>
/// <item>A <c>pause_recording</c> or <c>resume_recording</c> makes the call's earlier pause or resume stale: only
/// the latest says whether the call is being recorded, and an old pause redelivered after a resume would cut
/// out what the caller says next.</item>
/// <item><c>overflowed</c> and <c>moved</c> make nothing stale and are never stale: they are the call's history,
/// each a fact of its own, and the gateway records them in order.</item>
/// <item>A <c>transfer</c> makes nothing stale and is never stale: it names the agent it takes the call from, so
/// delivered again once the call is with someone else, it does nothing.</item>
/// </list>
/// A <c>cancel_connect</c> is never stale: whatever came after, the gateway must stop ringing that agent.
/// </remarks>
internal sealed record GatewayCommandSupersession(string? Topic, string? Subject, string? SupersedesTopic, string? SupersedesSubject, bool PointlessWhenUndoneUndelivered)
{
    public const string OfferTopic = "offer";
    public const string SupervisionTopic = "supervision";
    public const string RecordingTopic = "recording";

    public static GatewayCommandSupersession Of(GatewayCommand command) => command switch
    {
        ConnectToAgent connect => new(OfferTopic, connect.AgentId, OfferTopic, null, false),
        CancelConnect cancel => new(null, null, OfferTopic, cancel.AgentId, true),
        PlayBusy or PlayAnnouncement => new(null, null, OfferTopic, null, false),
        JoinAsSupervisor join => new(SupervisionTopic, join.Supervisor, SupervisionTopic, join.Supervisor, false),
        LeaveAsSupervisor leave => new(SupervisionTopic, leave.Supervisor, SupervisionTopic, leave.Supervisor, false),
        PauseRecording or ResumeRecording => new(RecordingTopic, null, RecordingTopic, null, false),
        _ => new(null, null, null, null, false),
    };

    /// <summary>Whether this (new) command makes <paramref name="earlier"/>, about the same call, stale.</summary>
    public bool Supersedes(GatewayCommandSupersession earlier) =>
        SupersedesTopic is not null && earlier.Topic == SupersedesTopic && (SupersedesSubject is null || earlier.Subject == SupersedesSubject);

    /// <summary>
    /// What a batch decides among its own commands before it meets the database: which are stale on arrival (a
    /// later command of the batch supersedes them), and which cancel a connect of the same batch, which is
    /// therefore never delivered.
    /// </summary>
    public static IReadOnlyList<BatchDecision> Decide(IReadOnlyList<OutgoingCommand> commands)
    {
        var rules = commands.Select(c => Of(c.Command)).ToList();
        var decisions = new BatchDecision[commands.Count];
        for (var i = 0; i < commands.Count; i++)
        {
            var staleOnArrival = false;
            for (var later = i + 1; later < commands.Count && !staleOnArrival; later++)
            {
                staleOnArrival = SameCall(commands[i], commands[later]) && rules[later].Supersedes(rules[i]);
            }

            var undoesInBatch = false;
            for (var earlier = 0; earlier < i && !undoesInBatch; earlier++)
            {
                undoesInBatch = rules[i].PointlessWhenUndoneUndelivered && SameCall(commands[earlier], commands[i]) && rules[i].Supersedes(rules[earlier]);
            }

            decisions[i] = new BatchDecision(rules[i], staleOnArrival, undoesInBatch);
        }

        return decisions;
    }

    private static bool SameCall(OutgoingCommand a, OutgoingCommand b) =>
        a.GatewayId == b.GatewayId && a.Command.CallId == b.Command.CallId;
}

/// <param name="StaleOnArrival">A later command of the same batch supersedes it: stored superseded, never delivered.</param>
/// <param name="UndoesInBatch">It undoes a command of the same batch (never delivered): pointless unless it also undoes a delivered one.</param>
internal sealed record BatchDecision(GatewayCommandSupersession Rule, bool StaleOnArrival, bool UndoesInBatch);
