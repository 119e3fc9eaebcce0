using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// The agents' side that is not the phone: logging in and becoming ready before the run, and breaks during it
/// (each agent about every two simulated hours, for about ten minutes, so some 8% of seats are on a break at any
/// time). Agents answer, talk and hang up through their phone, which is the gateway's, so the simulation loop plays
/// that part. Breaks go through the agent API with an operator's token (the API audits each change); an agent who
/// is on a call or wrapping up when their break is due takes it a little later, as people do.
/// </summary>
public sealed class AgentDesks : IDisposable
{
    private const double BreakEverySeconds = 2 * 3600;
    private const double BreakSecondsMean = 600;

    private readonly HttpClient _http;
    private readonly IReadOnlyList<string> _agents;
    private readonly double _speed;
    private readonly Random _random;
    private long _breaksTaken;
    private long _refusals;

    public AgentDesks(Uri silo, string operatorToken, IReadOnlyList<string> agents, double speed, int seed)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = silo, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken);
        _agents = agents;
        _speed = speed;
        _random = new Random(seed);
    }

    public long BreaksTaken => Interlocked.Read(ref _breaksTaken);

    /// <summary>Agent API calls refused for a reason other than the agent's state (which is retried).</summary>
    public long Refusals => Interlocked.Read(ref _refusals);

    /// <summary>Logs every agent in and makes them ready; an agent already logged in (a second run) is made ready.</summary>
    public async Task LogInAllAsync(CancellationToken cancellationToken)
    {
        await Parallel.ForEachAsync(_agents, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (agent, ct) =>
        {
            await PostAsync(agent, "login", $$"""{"endpoint":"sip:{{agent}}@sim.invalid"}""", ct);
            if (!await PostAsync(agent, "ready", null, ct))
            {
                throw new InvalidOperationException($"agent {agent} could not be made ready");
            }
        });
    }

    /// <summary>Sends agents on breaks and back until <paramref name="stopping"/>.</summary>
    public async Task RunBreaksAsync(CancellationToken stopping)
    {
        var onBreak = new HashSet<string>();
        var running = new List<Task>();
        var last = Stopwatch.GetTimestamp();
        var owed = 0.0;
        using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        try
        {
            while (await tick.WaitForNextTickAsync(stopping))
            {
                var seconds = Stopwatch.GetElapsedTime(last).TotalSeconds;
                last = Stopwatch.GetTimestamp();
                int working;
                lock (onBreak)
                {
                    working = _agents.Count - onBreak.Count;
                }

                owed += working * seconds * _speed / BreakEverySeconds;
                for (; owed >= 1; owed--)
                {
                    var agent = _agents[_random.Next(_agents.Count)];
                    bool added;
                    lock (onBreak)
                    {
                        added = onBreak.Add(agent);
                    }

                    if (added)
                    {
                        var breakSeconds = _random.LogNormal(BreakSecondsMean, 0.5);
                        running.Add(TakeBreakAsync(agent, breakSeconds, stopping).ContinueWith(_ =>
                        {
                            lock (onBreak)
                            {
                                onBreak.Remove(agent);
                            }
                        }, TaskScheduler.Default));
                    }
                }

                running.RemoveAll(t => t.IsCompleted);
            }
        }
        catch (OperationCanceledException)
        {
        }

        await Task.WhenAll(running);
    }

    private async Task TakeBreakAsync(string agent, double breakSeconds, CancellationToken stopping)
    {
        try
        {
            // On a call or wrapping up: try again a simulated minute later, up to ten times.
            for (var attempt = 0; attempt < 10; attempt++)
            {
                if (await PostAsync(agent, "not-ready", """{"reason":"break"}""", stopping))
                {
                    Interlocked.Increment(ref _breaksTaken);
                    await Task.Delay(TimeSpan.FromSeconds(breakSeconds / _speed), stopping);
                    await PostAsync(agent, "ready", null, CancellationToken.None);
                    return;
                }

                await Task.Delay(TimeSpan.FromSeconds(60 / _speed), stopping);
            }
        }
        catch (OperationCanceledException)
        {
            // The run is over; the agent comes back from a break cut short.
            await PostAsync(agent, "ready", null, CancellationToken.None);
        }
    }

    /// <summary>True when the change was made; false when the agent's state does not allow it now (409).</summary>
    private async Task<bool> PostAsync(string agent, string action, string? json, CancellationToken cancellationToken)
    {
        using var content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
        using var response = await _http.PostAsync($"api/agents/{Uri.EscapeDataString(agent)}/{action}", content, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return true;
        }

        if (response.StatusCode != HttpStatusCode.Conflict)
        {
            Interlocked.Increment(ref _refusals);
        }

        return false;
    }

    public void Dispose() => _http.Dispose();
}
