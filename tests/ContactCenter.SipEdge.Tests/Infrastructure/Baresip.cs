using System.Diagnostics;
using System.Globalization;
using ContactCenter.Testing;

namespace ContactCenter.SipEdge.Tests.Infrastructure;

/// <summary>
/// baresip (Debian's baresip-core), a real softphone, as an agent's phone: it registers with the edge's registrar
/// with its digest password, answers every call at once, speaks a WAV file (its aufile source) and saves what it
/// hears (the sndfile filter: a WAV per call of the decoded audio). Without a sound card, its player is an
/// aubridge device nothing reads. Its console output is kept for the failure message.
/// </summary>
public sealed class Baresip : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private Baresip(Process process, string folder)
    {
        _process = process;
        Folder = folder;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Folder { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The WAV files of what the phone heard, one per call (sndfile's "-dec" files).</summary>
    public string[] Heard => Directory.GetFiles(Folder, "*-dec.wav");

    /// <param name="user">The registration's user (the edge's phone account), with <paramref name="password"/>.</param>
    /// <param name="registrar">The edge's SIP address, host:port.</param>
    /// <param name="voice">The WAV file the phone speaks (8 kHz, 16-bit mono).</param>
    public static Baresip Start(string user, string password, string registrar, string voice)
    {
        DebianPackages.Require(("baresip", "baresip-core"));
        var folder = Directory.CreateTempSubdirectory("baresip-").FullName;
        var modules = "/usr/lib/baresip/modules";
        File.WriteAllLines(Path.Combine(folder, "config"),
        [
            $"sip_listen 127.0.0.1:{FreePorts.Next().ToString(CultureInfo.InvariantCulture)}",
            $"audio_source aufile,{voice}",
            "audio_player aubridge,nowhere",
            "audio_alert aubridge,nowhere",
            $"module_path {modules}",
            "module g711.so",
            "module aufile.so",
            "module aubridge.so",
            "module sndfile.so",
            "module_app account.so",
            $"snd_path {folder}",
            "answermode auto",
        ]);
        File.WriteAllText(Path.Combine(folder, "accounts"), $"<sip:{user}@{registrar}>;auth_pass={password};answermode=auto;regint=600;audio_codecs=PCMU,PCMA\n");
        var start = new ProcessStartInfo("baresip", ["-f", folder])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = folder,
        };
        var process = Process.Start(start) ?? throw new InvalidOperationException("baresip did not start");
        return new Baresip(process, folder);
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        _process.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // the system's temp folder to clean
        }
    }
}
