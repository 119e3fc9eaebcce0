using ContactCenter.Calls;

namespace ContactCenter.Calls;

/// <summary>The result of applying one event to a call: the next state, or why the event is impossible.</summary>
public readonly record struct Transition(CallSnapshot? Next, string? Error)
{
    public bool IsValid => Error is null;

    public static Transition To(CallSnapshot next) => new(next, null);

    public static Transition Invalid(string reason) => new(null, reason);
}
