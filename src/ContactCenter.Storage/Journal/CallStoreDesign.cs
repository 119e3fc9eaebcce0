namespace ContactCenter.Journal;

/// <summary>How Call grains persist their events (setting <c>ContactCenter:CallStore</c>).</summary>
public enum CallStoreDesign
{
    /// <summary>The production design: <see cref="GroupCommitJournal"/>, many calls' events per transaction.</summary>
    Journal,

    /// <summary>
    /// The naive design, kept only as the load test's baseline: one Orleans ADO.NET grain-state write per event
    /// (<see cref="PerEventGrainStateJournal"/>).
    /// </summary>
    GrainStatePerEvent,
}
