using ContactCenter.SipEdge.Media;
using ContactCenter.SipEdge.Sip;

namespace ContactCenter.SipEdge.Ivr;

/// <summary>
/// One caller in a voice menu: the prompt plays, a digit cuts it short (barge-in) and leads to a queue or a
/// further menu, silence or a wrong digit asks again up to the menu's retries, and a caller who never chooses
/// goes where the menu says otherwise. The path of digits is what <c>ivr_exited</c> reports. Runs on the
/// signalling loop; the prompt's end comes from the media clock and is posted there.
/// </summary>
public sealed class IvrSession(SignallingLoop loop, PromptPlayer player, IvrCallbacks callbacks)
{
    private IvrMenu _menu = null!;
    private string _path = "";
    private int _attempts;
    private ITimer? _waiting;
    private int _generation;
    private bool _done;

    public void Start(IvrMenu menu)
    {
        _path = menu.Name;
        callbacks.Entered(menu.Name);
        Enter(menu);
    }

    public void OnDigit(char digit)
    {
        if (_done)
        {
            return;
        }

        Stop();
        if (!_menu.Choices.TryGetValue(digit, out var choice))
        {
            Retry(_menu.Invalid);
            return;
        }

        _path += $"/{digit}";
        Follow(choice);
    }

    /// <summary>The call ended or left the menu another way: no more prompts or timers.</summary>
    public void Cancel()
    {
        _done = true;
        Stop();
    }

    private void Enter(IvrMenu menu)
    {
        _menu = menu;
        _attempts = 0;
        Prompt(menu.Prompt);
    }

    private void Follow(IvrChoice choice)
    {
        if (choice.Menu is { } next)
        {
            callbacks.Entered(next.Name);
            Enter(next);
            return;
        }

        _done = true;
        callbacks.Chose(_path, choice.Queue!);
    }

    private void Retry(short[]? first)
    {
        if (++_attempts > _menu.Retries)
        {
            if (_menu.Otherwise is { } otherwise)
            {
                _path += "/otherwise";
                Follow(otherwise);
            }
            else
            {
                _done = true;
                callbacks.NoChoice(_path);
            }

            return;
        }

        if (first is null)
        {
            Prompt(_menu.Prompt);
            return;
        }

        // The "not a choice" prompt, then the menu again.
        var generation = ++_generation;
        player.Play(first, loop: false, finished: () => loop.Post(() =>
        {
            if (generation == _generation && !_done)
            {
                Prompt(_menu.Prompt);
            }
        }));
    }

    private void Prompt(short[] prompt)
    {
        var generation = ++_generation;
        player.Play(prompt, loop: false, finished: () => loop.Post(() =>
        {
            if (generation == _generation && !_done)
            {
                _waiting = loop.After(_menu.Timeout, () =>
                {
                    if (generation == _generation && !_done)
                    {
                        Stop();
                        Retry(null);
                    }
                });
            }
        }));
    }

    private void Stop()
    {
        _generation++;
        _waiting?.Dispose();
        player.Silence();
    }
}

/// <summary>What a menu tells its call: a menu entered, the caller's choice of queue with the path that led there, or no choice at all.</summary>
public sealed record IvrCallbacks(Action<string> Entered, Action<string, string> Chose, Action<string> NoChoice);
