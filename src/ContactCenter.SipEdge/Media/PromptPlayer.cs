namespace ContactCenter.SipEdge.Media;

/// <summary>
/// Plays prompts to one leg as G.711 RTP, a 20 ms frame per media tick: a prompt once (then <see cref="Finished"/>
/// is raised on the clock's thread) or music in a loop, until stopped. Replacing what plays is safe at any time.
/// </summary>
public sealed class PromptPlayer(RtpLeg leg) : IMediaTicker
{
    private readonly object _gate = new();
    private short[]? _samples;
    private int _position;
    private bool _loop;
    private bool _stopped;
    private Action? _finished;

    /// <summary>Plays the samples from the start; <paramref name="finished"/> runs once when a non-looping prompt has played out.</summary>
    public void Play(short[] samples, bool loop, Action? finished = null)
    {
        lock (_gate)
        {
            _samples = samples;
            _position = 0;
            _loop = loop;
            _finished = finished;
        }
    }

    /// <summary>Stops what plays; the leg is silent until the next <see cref="Play"/>.</summary>
    public void Silence()
    {
        lock (_gate)
        {
            _samples = null;
            _finished = null;
        }
    }

    /// <summary>Ends the player for good; the clock drops it.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            _samples = null;
        }
    }

    public bool Tick()
    {
        Action? finished = null;
        Span<byte> frame = stackalloc byte[160];
        lock (_gate)
        {
            if (_stopped)
            {
                return false;
            }

            if (_samples is not { Length: > 0 } samples)
            {
                return true;
            }

            var law = leg.Law;
            for (var i = 0; i < frame.Length; i++)
            {
                if (_position >= samples.Length)
                {
                    if (!_loop)
                    {
                        frame[i..].Fill(G711.Silence(law));
                        break;
                    }

                    _position = 0;
                }

                frame[i] = G711.Encode(law, samples[_position++]);
            }

            leg.SendFrame(frame, marker: _position <= 160);
            if (!_loop && _position >= samples.Length)
            {
                finished = _finished;
                _samples = null;
                _finished = null;
            }
        }

        finished?.Invoke();
        return true;
    }
}
