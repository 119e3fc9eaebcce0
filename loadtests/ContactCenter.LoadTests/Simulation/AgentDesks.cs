using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using ContactCenter.LoadTests.Measurement;

namespace ContactCenter.LoadTests.Simulation;

/// <summary>
/// The agents' side that is not the phone: logging in and becoming ready before the run, breaks during it (each
/// agent about every two simulated hours, for about ten minutes, so some 8% of seats are on a break at any time),
/// and coming back after a missed ring (the cluster puts an agent who lets an offer time out not ready, reason
/// <c>no_answer</c>; back at the desk a simulated minute or so later, they make themselves ready). Agents answer, talk
/// and hang up through their phone, which is the gateway's, so the simulation loop plays that part. Everything goes
/// through the agent API with an operator's token (the API audits each change); an agent who is on a call or
/// wrapping up when their break is due takes it a little later, as people do.
/// </summary>
public sealed class AgentDesks : IDisposable
{
    private const double BreakEverySeconds = 2 * 3600;
    private const double BreakSecondsMean = 600;
    private const double AwayAfterMissedRingSecondsMean = 60;
    // How long logging in waits for agents still busy with a call from before the run (its end is being applied).
    private static readonly TimeSpan BusyAtLoginPatience = TimeSpan.FromSeconds(15);

    private readonly HttpClient _http;
    private readonly IReadOnlyList<string> _agents;
    private readonly HashSet<string> _onBreak = new(StringComparer.Ordinal);
    private readonly ConcurrentBag<Task> _returns = [];
    private readonly double _speed;
    private readonly Random _random;
    private readonly Lock _randomLock = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _errorsLock = new();
    private readonly ErrorTally _errors = new();
    private long _breaksTaken;

    public AgentDesks(Uri silo, string operatorToken, IReadOnlyList<string> agents, double speed, int seed)
    {
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = silo, Timeout = TimeSpan.FromSeconds(30) };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", operatorToken);
        _agents = agents;
        _speed = speed;
        _random = new Random(seed);
    }

    public long BreaksTaken => Interlocked.Read(ref _breaksTaken);

    /// <summary>
    /// Agent API calls refused for a reason other than the agent's state (which is waited out), with the silo's
    /// reason, and those that got no answer (the silo did not answer in time, or the connection failed).
    /// </summary>
    public ErrorTally Errors()
    {
        var copy = new ErrorTally();
        lock (_errorsLock)
        {
            copy.AddFrom(_errors);
        }

        return copy;
    }

    /// <summary>
    /// Logs every agent in and makes them ready. An agent already logged in (a second run) is made ready; one still
    /// busy with a call from before the run (on it, or holding its offer) is waited for a little, then left to join
    /// by itself: the cluster makes them available when that call is over.
    /// </summary>
    public async Task<DeskStart> LogInAllAsync(CancellationToken cancellationToken)
    {
        var ready = 0;
        var busy = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(_agents, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken }, async (agent, ct) =>
        {
            if ((await PostAsync(agent, "login", $$"""{"endpoint":"sip:{{agent}}@sim.invalid"}""", ct)).Status is not (AgentApiStatus.Done or AgentApiStatus.NotNow))
            {
                return;
            }

            var deadline = Stopwatch.GetTimestamp() + (long)(BusyAtLoginPatience.TotalSeconds * Stopwatch.Frequency);
            while (true)
            {
                var answer = await PostAsync(agent, "ready", null, ct);
                if (answer.Status == AgentApiStatus.Done)
                {
                    Interlocked.Increment(ref ready);
                    busy.TryRemove(agent, out _);
                    return;
                }

                if (answer.Status != AgentApiStatus.NotNow || Stopwatch.GetTimestamp() > deadline)
                {
                    if (answer.Status == AgentApiStatus.NotNow)
                    {
                        busy[agent] = answer.Detail;
                    }

                    return;
                }

                await Task.Delay(500, ct);
            }
        });
        return new DeskStart(ready, busy.Count, busy.Values.FirstOrDefault());
    }

    /// <summary>
    /// Logs out the agents of the cluster's center who are not seats of this run (an earlier run's larger center),
    /// so the run has the seats it was asked for. Returns how many were logged in and are now logged out.
    /// </summary>
    public async Task<int> LogOutOthersAsync(IEnumerable<string> clusterAgents, CancellationToken cancellationToken)
    {
        var ours = _agents.ToHashSet(StringComparer.Ordinal);
        var loggedOut = 0;
        await Parallel.ForEachAsync(clusterAgents.Where(a => !ours.Contains(a)), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = cancellationToken },
            async (agent, ct) =>
            {
                if (await PresenceAsync(agent, ct) is { } presence && presence != "loggedOut"
                    && (await PostAsync(agent, "logout", null, ct)).Status == AgentApiStatus.Done)
                {
                    Interlocked.Increment(ref loggedOut);
                }
            });
        return loggedOut;
    }

    /// <summary>
    /// An agent's phone rang and they were not there to pick up; the cluster has given up on the offer. They come
    /// back some time later and make themselves ready (nothing changes if the cluster had them available anyway).
    /// Called from the simulation loop; returns at once.
    /// </summary>
    public void ComeBackAfterMissedRing(string agent)
    {
        lock (_onBreak)
        {
            if (_onBreak.Contains(agent))
            {
                return; // their break ends with their own ready
            }
        }

        double away;
        lock (_randomLock)
        {
            away = _random.LogNormal(AwayAfterMissedRingSecondsMean, 0.5);
        }

        _returns.Add(ComeBackAsync(agent, away));
    }

    /// <summary>Sends agents on breaks and back until <paramref name="stopping"/>; then brings back everyone still away.</summary>
    public async Task RunAsync(bool breaks, CancellationToken stopping)
    {
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
                if (!breaks)
                {
                    continue;
                }

                int working;
                lock (_onBreak)
                {
                    working = _agents.Count - _onBreak.Count;
                }

                owed += working * seconds * _speed / BreakEverySeconds;
                for (; owed >= 1; owed--)
                {
                    string agent;
                    double breakSeconds;
                    lock (_randomLock)
                    {
                        agent = _agents[_random.Next(_agents.Count)];
                        breakSeconds = _random.LogNormal(BreakSecondsMean, 0.5);
                    }

                    bool added;
                    lock (_onBreak)
                    {
                        added = _onBreak.Add(agent);
                    }

                    if (added)
                    {
                        running.Add(TakeBreakAsync(agent, breakSeconds, stopping).ContinueWith(_ =>
                        {
                            lock (_onBreak)
                            {
                                _onBreak.Remove(agent);
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

        await _stopping.CancelAsync();
        await Task.WhenAll(running);
        await Task.WhenAll(_returns);
    }

    private async Task TakeBreakAsync(string agent, double breakSeconds, CancellationToken stopping)
    {
        try
        {
            // On a call or wrapping up: try again a simulated minute later, up to ten times.
            for (var attempt = 0; attempt < 10; attempt++)
            {
                if ((await PostAsync(agent, "not-ready", """{"reason":"break"}""", stopping)).Status == AgentApiStatus.Done)
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

    private async Task ComeBackAsync(string agent, double awaySeconds)
    {
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(awaySeconds / _speed), _stopping.Token);
        }
        catch (OperationCanceledException)
        {
            // The run is over: back at once, so the next run finds them ready.
        }

        // Not now (409) means the cluster has given them work again meanwhile: nothing to do.
        await PostAsync(agent, "ready", null, CancellationToken.None);
    }

    private async Task<string?> PresenceAsync(string agent, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await _http.GetAsync($"api/v1/agents/{Uri.EscapeDataString(agent)}", cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                CountError(ErrorKind.Rejected, $"agent API refused status: {(int)response.StatusCode} {await ProblemDetailAsync(response, cancellationToken)}");
                return null;
            }

            using var status = await response.Content.ReadFromJsonAsync<JsonDocument>(cancellationToken);
            return status?.RootElement.TryGetProperty("presence", out var presence) == true ? presence.GetString() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            CountError(ErrorKind.FailedRequest, $"agent API status got no answer: {ex.Message}");
            return null;
        }
    }

    /// <summary>Done, not now (409: the agent's state does not allow it, with the silo's reason), refused, or no answer.</summary>
    private async Task<AgentApiAnswer> PostAsync(string agent, string action, string? json, CancellationToken cancellationToken)
    {
        try
        {
            using var content = json is null ? null : new StringContent(json, Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync($"api/v1/agents/{Uri.EscapeDataString(agent)}/{action}", content, cancellationToken);
            if (response.IsSuccessStatusCode)
            {
                return new(AgentApiStatus.Done, "");
            }

            var detail = await ProblemDetailAsync(response, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Conflict)
            {
                return new(AgentApiStatus.NotNow, detail);
            }

            if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
            {
                // The silo could not reach the agent's (a region lost a moment ago): no answer yet, as a desk sees it.
                CountError(ErrorKind.FailedRequest, $"agent API {action} unavailable: {detail}");
                return new(AgentApiStatus.Unanswered, detail);
            }

            CountError(ErrorKind.Rejected, $"agent API refused {action}: {(int)response.StatusCode} {detail}");
            return new(AgentApiStatus.Refused, detail);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // A silo that does not answer is the run's finding (the gateways' errors show it too), not its end.
            CountError(ErrorKind.FailedRequest, $"agent API {action} got no answer: {ex.Message}");
            return new(AgentApiStatus.Unanswered, ex.Message);
        }
    }

    private void CountError(ErrorKind kind, string message)
    {
        lock (_errorsLock)
        {
            _errors.Add(kind, message);
        }
    }

    private static async Task<string> ProblemDetailAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var problem = JsonDocument.Parse(body);
            return problem.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() ?? body : body;
        }
        catch (JsonException)
        {
            return $"{(int)response.StatusCode} {body}".Trim();
        }
    }

    public void Dispose()
    {
        _http.Dispose();
        _stopping.Dispose();
    }

    private enum AgentApiStatus { Done, NotNow, Refused, Unanswered }

    private readonly record struct AgentApiAnswer(AgentApiStatus Status, string Detail);
}

/// <summary>How logging the agents in went: ready, and still busy with a call from before the run (with one reason).</summary>
public sealed record DeskStart(int Ready, int Busy, string? BusyReason);
