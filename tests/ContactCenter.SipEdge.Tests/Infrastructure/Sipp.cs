using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ContactCenter.SipEdge.Tests.Infrastructure;

/// <summary>What one sipp run ended with: its exit code (0 when every call succeeded) and its own call counts.</summary>
public sealed partial record SippResult(int ExitCode, string Output, string Errors)
{
    public int SuccessfulCalls => Count("Successful call");

    public int FailedCalls => Count("Failed call");

    public string Describe() => $"sipp exit {ExitCode}\n{Output[Math.Max(0, Output.Length - 3000)..]}\n{Errors[Math.Max(0, Errors.Length - 3000)..]}";

    // The final statistics screen: "Successful call   |   0   |   1" (periodic, then cumulative).
    private int Count(string label)
    {
        var match = Regex.Matches(Output, $@"{label}\s*\|\s*\d+\s*\|\s*(\d+)").LastOrDefault();
        return match is null ? -1 : int.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}

/// <summary>
/// One sipp process (Debian's sip-tester) running a scenario of <c>Scenarios/</c>: a caller on a trunk, an agent's
/// phone, a supervisor's phone. Runs without a terminal (-nostdin), and is killed if the test ends first.
/// </summary>
public sealed class Sipp : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _output;
    private readonly Task<string> _errors;

    private Sipp(Process process)
    {
        _process = process;
        _output = process.StandardOutput.ReadToEndAsync();
        _errors = process.StandardError.ReadToEndAsync();
    }

    public static string ScenarioPath(string name) => Path.Combine(AppContext.BaseDirectory, "Scenarios", name);

    /// <param name="scenario">A file of <c>Scenarios/</c>.</param>
    /// <param name="arguments">sipp's own: the remote host for a caller, -p, -mp, -m, -d, -key ...</param>
    public static Sipp Start(string scenario, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("sipp")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in (string[])["-sf", ScenarioPath(scenario), "-nostdin", "-i", "127.0.0.1", "-timeout", "60s", "-timeout_error", .. arguments])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("sipp did not start (is sip-tester installed?)");
        process.StandardInput.Close();
        return new Sipp(process);
    }

    public async Task<SippResult> WaitAsync(TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        return new SippResult(_process.ExitCode, await _output, await _errors);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
