namespace ContactCenter.ActiveCalls;

internal static class ActiveCallPages
{
    /// <summary>Stores read one row more than asked: its presence is what says another page exists.</summary>
    public static ActiveCallPage From(List<ActiveCall> rows, int limit) => rows.Count > limit
        ? new ActiveCallPage(rows[..limit], rows[limit - 1].CallId)
        : new ActiveCallPage(rows, null);
}
