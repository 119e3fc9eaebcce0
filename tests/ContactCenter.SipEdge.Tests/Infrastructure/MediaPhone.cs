using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using ContactCenter.SipEdge.Media;

namespace ContactCenter.SipEdge.Tests.Infrastructure;

/// <summary>
/// A phone's media, owned by the test so it can say what a participant heard: an RTP socket (its port goes into a
/// sipp scenario's SDP with <c>-key rtpport</c>) that speaks a tone as PCMU, a 20 ms packet at a time, back to
/// wherever the edge sends from (symmetric RTP), and keeps every G.711 sample it receives with the time it came.
/// </summary>
public sealed class MediaPhone : IAsyncDisposable
{
    private readonly UdpClient _socket;
    private readonly double _toneHz;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<(TimeSpan At, short[] Samples)> _heard = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receiving;
    private readonly Task _speaking;
    private IPEndPoint? _edge;

    private MediaPhone(double toneHz)
    {
        _toneHz = toneHz;
        _socket = new UdpClient(new IPEndPoint(IPAddress.Loopback, TestEdge.PhonePorts().Media));
        _receiving = ReceiveAsync();
        _speaking = SpeakAsync();
    }

    /// <summary>A phone whose speaker says <paramref name="toneHz"/> at about a quarter of full scale.</summary>
    public static MediaPhone Start(double toneHz) => new(toneHz);

    public int Port => ((IPEndPoint)_socket.Client.LocalEndPoint!).Port;

    /// <summary>Time since the phone started, on the clock <see cref="Heard"/> uses.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>The samples that arrived in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public short[] Heard(TimeSpan from, TimeSpan to)
    {
        lock (_heard)
        {
            return [.. _heard.Where(h => h.At >= from && h.At < to).SelectMany(h => h.Samples)];
        }
    }

    private async Task ReceiveAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _socket.ReceiveAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            var packet = received.Buffer;
            if (packet.Length <= 12 || (packet[1] & 0x7F) is not (0 or 8))
            {
                continue;
            }

            var law = (packet[1] & 0x7F) == 0 ? G711Law.MuLaw : G711Law.ALaw;
            var samples = new short[packet.Length - 12];
            G711.Decode(law, packet.AsSpan(12), samples);
            _edge = received.RemoteEndPoint;
            lock (_heard)
            {
                _heard.Add((_clock.Elapsed, samples));
            }
        }
    }

    private async Task SpeakAsync()
    {
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        var packet = new byte[12 + 160];
        var ssrc = (uint)Random.Shared.Next();
        ushort sequence = 0;
        uint timestamp = 0;
        try
        {
            while (await ticks.WaitForNextTickAsync(_stop.Token))
            {
                if (_edge is not { } edge)
                {
                    continue;
                }

                packet[0] = 0x80;
                packet[1] = 0;
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence++);
                BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
                BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
                for (var i = 0; i < 160; i++)
                {
                    packet[12 + i] = G711.Encode(G711Law.MuLaw, (short)(8000 * Math.Sin(2 * Math.PI * _toneHz * (timestamp + i) / 8000)));
                }

                timestamp += 160;
                await _socket.SendAsync(packet, edge, _stop.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // stopped
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await Task.WhenAll(_receiving, _speaking);
        _stop.Dispose();
    }
}

/// <summary>How much of a stretch of audio is one tone: the Goertzel power at the frequency over the whole energy.</summary>
public static class Tones
{
    /// <summary>1 for a pure tone at <paramref name="hz"/>, about 1/n for one of n equal tones, near 0 for a tone absent.</summary>
    public static double Share(ReadOnlySpan<short> samples, double hz)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * hz / 8000);
        double previous = 0, beforePrevious = 0, energy = 0;
        foreach (var sample in samples)
        {
            var current = sample + (coefficient * previous) - beforePrevious;
            beforePrevious = previous;
            previous = current;
            energy += (double)sample * sample;
        }

        var power = (previous * previous) + (beforePrevious * beforePrevious) - (coefficient * previous * beforePrevious);
        return energy == 0 ? 0 : 2 * power / (samples.Length * energy);
    }

    /// <summary>Which of the candidate tones make up at least a tenth of the audio, for assertions that read well.</summary>
    public static string Heard(ReadOnlySpan<short> samples, params double[] candidates)
    {
        var found = new List<string>();
        foreach (var hz in candidates)
        {
            if (Share(samples, hz) > 0.1)
            {
                found.Add($"{hz:0}");
            }
        }

        return found.Count == 0 ? "nothing" : string.Join('+', found);
    }
}
