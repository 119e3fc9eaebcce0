using System.Net;
using ContactCenter.SipEdge.Hosting;
using ContactCenter.SipEdge.Media;
using ContactCenter.SipEdge.Sip;
using ContactCenter.SipEdge.Telephony;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Calls;

/// <summary>What every call of the edge uses: the signalling seam, the media clock and ports, the prompts, the event reporter and the settings.</summary>
public sealed class CallServices
{
    public required ICallSignalling Signalling { get; init; }

    public required SignallingLoop Loop { get; init; }

    public required MediaClock Clock { get; init; }

    public required RtpPortPool Ports { get; init; }

    public required Prompts Prompts { get; init; }

    public required CallEventReporter Reporter { get; init; }

    public required IPAddress MediaAddress { get; init; }

    public required string Region { get; init; }

    public required string RecordingsPath { get; init; }

    public required bool RecordCalls { get; init; }

    public required int AgentRingSeconds { get; init; }

    /// <summary>The edge's numbers: where a call goes that an agent's phone transfers to one of them.</summary>
    public required IReadOnlyDictionary<string, NumberRoute> Numbers { get; init; }

    public required TimeProvider Time { get; init; }

    public MediaCounters Media { get; } = new();

    public required ILogger Log { get; init; }

    /// <summary>Set by the director: a call that ended is dropped from its table.</summary>
    public Action<EdgeCall> Forget { get; set; } = _ => { };
}
