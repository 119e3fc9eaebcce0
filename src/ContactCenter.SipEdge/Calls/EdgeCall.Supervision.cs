using ContactCenter.GatewayClient;
using ContactCenter.SipEdge.Media;
using ContactCenter.SipEdge.Sdp;
using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Telephony;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Calls;

/// <summary>
/// Supervisors on a bridged call: <c>join_as_supervisor</c> rings the supervisor's phone on a leg of its own and,
/// once answered, hands it to the call's <see cref="SupervisionMixer"/> in the mode asked (monitor, whisper,
/// barge) and reports <c>participant_joined</c>; joining again changes the mode; <c>leave_as_supervisor</c> or the
/// supervisor hanging up takes them off and reports <c>participant_left</c>.
/// </summary>
public sealed partial class EdgeCall
{
    private readonly Dictionary<string, SupervisorLeg> _supervisors = new(StringComparer.Ordinal);
    private SupervisionMixer? _mixer;

    /// <summary>The mode of a supervisor whose phone answered, or null.</summary>
    public ListenMode? SupervisorMode(string supervisor) => _supervisors.GetValueOrDefault(supervisor) is { Joined: true } leg ? leg.Mode : null;

    /// <summary><c>join_as_supervisor</c>. Only a call bridged to an agent can be supervised (the cluster asks only then).</summary>
    public void JoinSupervisor(string supervisor, ListenMode mode, string endpoint)
    {
        if (_ended || _connected is null)
        {
            _services.Log.LogWarning("call {CallId}: supervisor {Supervisor} cannot join a call that is not with an agent", Id, supervisor);
            return;
        }

        if (_supervisors.TryGetValue(supervisor, out var on))
        {
            on.Mode = mode;
            if (on.Joined)
            {
                _mixer!.Set(supervisor, on.Media, mode);
            }

            _services.Log.LogInformation("call {CallId}: supervisor {Supervisor} now in {Mode}", Id, supervisor, mode);
            return;
        }

        if (!SipUri.TryParse(endpoint, out var target))
        {
            _services.Log.LogWarning("call {CallId}: supervisor {Supervisor}'s endpoint '{Endpoint}' is not a SIP URI; not rung", Id, supervisor, endpoint);
            return;
        }

        if (_services.Ports.Bind() is not { } socket)
        {
            _services.Log.LogWarning("call {CallId}: no RTP port free for supervisor {Supervisor}'s leg", Id, supervisor);
            return;
        }

        var media = new RtpLeg(socket, _services.Log);
        var offer = SdpNegotiation.Offer(_services.MediaAddress, media.LocalEndPoint.Port, SessionId(), 1);
        var leg = new SupervisorLeg(supervisor, mode, _services.Signalling.Dial(target, _caller.Caller, offer), media);
        _supervisors[supervisor] = leg;
        leg.Leg.Answered += answer => OnSupervisorAnswered(leg, answer);
        leg.Leg.Ended += _ => OnSupervisorEnded(leg);
        leg.RingTimeout = _services.Loop.After(TimeSpan.FromSeconds(_services.AgentRingSeconds), () =>
        {
            if (!leg.Joined)
            {
                leg.Leg.Hangup("no_answer");
            }
        });
    }

    /// <summary><c>leave_as_supervisor</c>.</summary>
    public void LeaveSupervisor(string supervisor)
    {
        if (_supervisors.TryGetValue(supervisor, out var on))
        {
            on.Leg.Hangup("supervisor_left");
        }
    }

    private void OnSupervisorAnswered(SupervisorLeg leg, SessionDescription? answer)
    {
        if (_ended || _connected is not { } agent || _supervisors.GetValueOrDefault(leg.Id) != leg)
        {
            leg.Leg.Hangup("cancelled");
            return;
        }

        if ((answer is null ? null : SdpNegotiation.ReadAnswer(answer)) is not { } audio)
        {
            _services.Log.LogWarning("call {CallId}: supervisor {Supervisor}'s phone answered without G.711 audio; hung up", Id, leg.Id);
            leg.Leg.Hangup("incompatible_media");
            return;
        }

        leg.RingTimeout?.Dispose();
        leg.Media.Audio = audio;
        if (_mixer is null)
        {
            _mixer = new SupervisionMixer(_callerMedia, agent.Media, _recording);
            _services.Clock.Add(_mixer);
        }

        var mixer = _mixer;
        leg.Media.PacketReceived = (RtpLeg from, in RtpHeader header, ReadOnlySpan<byte> packet) =>
        {
            if (header.PayloadType == from.Audio?.PayloadType)
            {
                mixer.FromSupervisor(leg.Id, from.Law, packet.Slice(header.PayloadOffset, header.PayloadLength));
            }
        };
        mixer.Set(leg.Id, leg.Media, leg.Mode);
        leg.Joined = true;
        Events.Report((id, call, seq, at) => GatewayEvent.ParticipantJoined(id, call, seq, at, leg.Id, ParticipantRole.Supervisor));
        _services.Log.LogInformation("call {CallId}: supervisor {Supervisor} joined in {Mode}", Id, leg.Id, leg.Mode);
    }

    private void OnSupervisorEnded(SupervisorLeg leg)
    {
        leg.RingTimeout?.Dispose();
        _ = leg.Media.DisposeAsync();
        if (_supervisors.GetValueOrDefault(leg.Id) != leg)
        {
            return;
        }

        _supervisors.Remove(leg.Id);
        if (!leg.Joined)
        {
            _services.Log.LogInformation("call {CallId}: supervisor {Supervisor}'s phone did not answer", Id, leg.Id);
            return;
        }

        _mixer?.Remove(leg.Id);
        if (_mixer is { Count: 0 })
        {
            // The last one left: the legs go back to a plain relay.
            _mixer.Stop();
            _mixer = null;
        }

        // A call that ended reported its supervisors as left before its end (see EndSupervision).
        if (!_ended)
        {
            Events.Report((id, call, seq, at) => GatewayEvent.ParticipantLeft(id, call, seq, at, leg.Id));
        }
    }

    /// <summary>The call is ending: its supervisors are reported as left before its end, and their phones hung up.</summary>
    private void EndSupervision(string cause)
    {
        foreach (var leg in _supervisors.Values.ToList())
        {
            if (leg.Joined)
            {
                Events.Report((id, call, seq, at) => GatewayEvent.ParticipantLeft(id, call, seq, at, leg.Id));
            }

            leg.Leg.Hangup(cause);
        }

        _mixer?.Stop();
        _mixer = null;
    }

    private sealed class SupervisorLeg(string id, ListenMode mode, IOutboundLeg leg, RtpLeg media)
    {
        public string Id { get; } = id;

        public ListenMode Mode { get; set; } = mode;

        public IOutboundLeg Leg { get; } = leg;

        public RtpLeg Media { get; } = media;

        public bool Joined { get; set; }

        public ITimer? RingTimeout { get; set; }
    }
}
