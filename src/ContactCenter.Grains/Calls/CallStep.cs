namespace ContactCenter.Calls;

/// <summary>One accepted event with the call's state before (null for the first event) and after it.</summary>
public sealed record CallStep(CallEvent Event, CallSnapshot? Before, CallSnapshot After);
