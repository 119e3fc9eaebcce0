using ContactCenter.SipEdge.Sip;

namespace ContactCenter.SipEdge.Media;

/// <summary>
/// The keys a person presses in answer to a question: pressed during the question too, up to <c>maxDigits</c> of
/// them, <c>#</c> ending the input early once there is one, and <c>digitSeconds</c> of waiting after the question (and
/// after each key). It ends once, with <c>completed</c> or <c>no_keys</c>. Runs on the signalling loop.
/// </summary>
/// <param name="keyPressed">A key was taken (the question playing can stop: they have heard enough of it).</param>
/// <param name="done">The input is over, with its cause.</param>
internal sealed class KeyCollector(SignallingLoop loop, int maxDigits, int digitSeconds, Action keyPressed, Action<string> done)
{
    private readonly List<char> _digits = [];
    private ITimer? _wait;
    private bool _over;

    public string Digits => new([.. _digits]);

    /// <summary>The question has been played: the wait for keys begins; with no key wanted, the input is over.</summary>
    public void QuestionPlayed()
    {
        if (maxDigits == 0)
        {
            End("completed");
            return;
        }

        WaitForMore();
    }

    public void Key(char digit)
    {
        if (_over || maxDigits == 0)
        {
            return;
        }

        if (digit == '#' && _digits.Count > 0)
        {
            End("completed");
            return;
        }

        _digits.Add(digit);
        keyPressed();
        if (_digits.Count >= maxDigits)
        {
            End("completed");
        }
        else
        {
            WaitForMore();
        }
    }

    /// <summary>Stops waiting, without an end of its own (the call ended otherwise).</summary>
    public void Stop()
    {
        _over = true;
        _wait?.Dispose();
    }

    private void WaitForMore()
    {
        if (_over)
        {
            return;
        }

        _wait?.Dispose();
        _wait = loop.After(TimeSpan.FromSeconds(digitSeconds), () => End(_digits.Count > 0 ? "completed" : "no_keys"));
    }

    private void End(string cause)
    {
        if (_over)
        {
            return;
        }

        Stop();
        done(cause);
    }
}
