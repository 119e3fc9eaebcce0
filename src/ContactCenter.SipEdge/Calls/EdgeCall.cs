using ContactCenter.GatewayClient;
using ContactCenter.SipEdge.Ivr;
using ContactCenter.SipEdge.Media;
using ContactCenter.SipEdge.Sdp;
using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Telephony;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Calls;

/// <summary>
/// One caller's call through the edge, as a back-to-back user agent: the caller's leg is answered at once (the
/// center plays to it while it waits) and reported <c>offered</c> and <c>queued</c>; a <c>connect</c> rings the
/// agent's phone on a second leg, and its answer bridges the two legs' media, starts the recording and is
/// reported; either side's hang-up ends both. Everything but the media relay runs on the signalling loop.
/// </summary>
public sealed partial class EdgeCall
{
    private readonly CallServices _services;
    private readonly IInboundLeg _caller;
    private readonly RtpLeg _callerMedia;
    private readonly PromptPlayer _callerPlayer;
    private readonly IvrMenu? _menu;
    private readonly DtmfReceiver _dtmf = new();
    private IvrSession? _ivr;
    private string? _queue;
    private AgentAttempt? _attempt;
    private AgentAttempt? _connected;
    private CallRecording? _recording;
    private string? _mediaRef;
    private bool _ended;

    /// <param name="queue">Where the call waits, or null when <paramref name="menu"/> decides.</param>
    public EdgeCall(CallServices services, string id, IInboundLeg caller, RtpLeg callerMedia, string? queue, IvrMenu? menu)
    {
        _menu = menu;
        _services = services;
        Id = id;
        _caller = caller;
        _callerMedia = callerMedia;
        _queue = queue;
        Events = new CallEvents(id, services.Reporter, services.Time);
        _callerPlayer = new PromptPlayer(callerMedia);
    }

    public string Id { get; }

    public CallEvents Events { get; }

    public string SipCallId => _caller.CallId;

    public bool IsConnected => _connected is not null;

    public string? RecordingPath => _recording?.Path;

    /// <summary>Answers the caller and reports the call; false when the caller's offer has no audio the edge can take (answered 488).</summary>
    public bool Start()
    {
        SessionDescription sdp;
        var address = _services.MediaAddress;
        if (_caller.Offer is { } offer)
        {
            if (SdpNegotiation.Answer(offer, address, _callerMedia.LocalEndPoint.Port, SessionId(), 1) is not { } answer)
            {
                _caller.Reject(488);
                return false;
            }

            sdp = answer.Answer;
            _callerMedia.Audio = answer.Audio;
        }
        else
        {
            // No offer in the INVITE: ours goes in the 2xx, the caller's answer comes in the ACK.
            sdp = SdpNegotiation.Offer(address, _callerMedia.LocalEndPoint.Port, SessionId(), 1);
            _caller.AnswerReceived += answer => _callerMedia.Audio = SdpNegotiation.ReadAnswer(answer);
        }

        _caller.Ended += OnCallerEnded;
        _caller.AnswerReoffer = OnCallerReoffer;
        _caller.Ring();
        _caller.Answer(sdp);
        _services.Clock.Add(_callerPlayer);
        _callerMedia.PacketReceived = OnCallerPacket;

        Events.Offered(_caller.Caller, _caller.Dialled, _services.Region);
        _services.Log.LogInformation("call {CallId} (SIP {SipCallId}) from {Caller} to {Dialled}", Id, SipCallId, Mask(_caller.Caller), _caller.Dialled);
        if (_menu is not null)
        {
            _ivr = new IvrSession(_services.Loop, _callerPlayer, new IvrCallbacks(
                Entered: menu => Events.Report((id, call, seq, at) => GatewayEvent.IvrEntered(id, call, seq, at, menu)),
                Chose: (path, queue) =>
                {
                    Events.Report((id, call, seq, at) => GatewayEvent.IvrExited(id, call, seq, at, path));
                    EnterQueue(queue);
                },
                NoChoice: path =>
                {
                    Events.Report((id, call, seq, at) => GatewayEvent.IvrExited(id, call, seq, at, path));
                    Finish("ivr_no_choice", HangupSide.System);
                }));
            _ivr.Start(_menu);
        }
        else
        {
            EnterQueue(_queue!);
        }

        return true;
    }

    private void EnterQueue(string queue)
    {
        _queue = queue;
        _ivr = null;
        _callerPlayer.Play(_services.Prompts.Music, loop: true);
        Events.Report((id, call, seq, at) => GatewayEvent.Queued(id, call, seq, at, queue));
        _services.Log.LogInformation("call {CallId} queued in {Queue}", Id, queue);
    }

    /// <summary><c>connect</c>: ring the agent's phone. Again for the agent already ringing or talking, nothing.</summary>
    public void Connect(string agentId, string endpoint)
    {
        if (_ended || _connected is not null || _attempt?.AgentId == agentId)
        {
            return;
        }

        StopRinging("superseded");
        if (!SipUri.TryParse(endpoint, out var target))
        {
            _services.Log.LogWarning("call {CallId}: agent {Agent}'s endpoint '{Endpoint}' is not a SIP URI; not rung", Id, agentId, endpoint);
            return;
        }

        var socket = _services.Ports.Bind();
        if (socket is null)
        {
            _services.Log.LogWarning("call {CallId}: no RTP port free for agent {Agent}'s leg", Id, agentId);
            return;
        }

        var media = new RtpLeg(socket, _services.Log);
        var offer = SdpNegotiation.Offer(_services.MediaAddress, media.LocalEndPoint.Port, SessionId(), 1);
        var leg = _services.Signalling.Dial(target, _caller.Caller, offer);
        var attempt = new AgentAttempt(agentId, leg, media);
        _attempt = attempt;
        leg.Ringing += () => OnAgentRinging(attempt);
        leg.Answered += answer => OnAgentAnswered(attempt, answer);
        leg.Ended += ending => OnAgentEnded(attempt, ending);
        leg.AnswerReoffer = offer => OnAgentReoffer(attempt, offer);
        leg.AnswerTransfer = target => OnAgentTransfers(attempt, target);
        attempt.RingTimeout = _services.Loop.After(TimeSpan.FromSeconds(_services.AgentRingSeconds), () =>
        {
            if (_attempt == attempt && _connected is null)
            {
                // Rung out here: told to the cluster as no answer, however the phone then answers the CANCEL (487).
                attempt.RangOut = true;
                leg.Hangup("no_answer");
            }
        });
    }

    /// <summary><c>cancel_connect</c>: stop ringing that agent; the call keeps waiting.</summary>
    public void CancelConnect(string agentId)
    {
        if (_attempt is { } attempt && attempt.AgentId == agentId && _connected is null)
        {
            StopRinging("cancelled");
        }
    }

    /// <summary><c>play_busy</c> and <c>play_announcement</c>: the caller hears it, then the edge hangs up.</summary>
    public void PlayAndHangUp(short[] prompt, string cause)
    {
        if (_ended || _connected is not null)
        {
            return;
        }

        StopRinging("cancelled");
        _attempt = null;
        _callerPlayer.Play(prompt, loop: false, finished: () => _services.Loop.Post(() =>
        {
            Finish(cause, HangupSide.System);
        }));
    }

    /// <summary>
    /// <c>pause_recording</c> and <c>resume_recording</c>: silence is recorded while paused, so the timeline stays
    /// whole, and each change is reported. Asking for the state the recording is already in does nothing.
    /// </summary>
    public void PauseRecording(bool pause, string by)
    {
        if (_ended || _recording is not { } recording || recording.Paused == pause)
        {
            return;
        }

        recording.Paused = pause;
        Events.Report(pause ? (id, call, seq, at) => GatewayEvent.RecordingPaused(id, call, seq, at) : (id, call, seq, at) => GatewayEvent.RecordingResumed(id, call, seq, at));
        _services.Log.LogInformation("call {CallId}: recording {Change} for {By}", Id, pause ? "paused" : "resumed", by);
    }

    /// <summary>The edge is stopping: the caller is hung up (its call ends with cause <c>edge_stopping</c>, or a survey's question with it).</summary>
    public void Abort(string cause)
    {
        EndQuestion(cause, hangUp: true);
        Finish(cause, HangupSide.System);
    }

    private void OnAgentRinging(AgentAttempt attempt)
    {
        if (_attempt != attempt || attempt.RingingReported || _ended)
        {
            return;
        }

        attempt.RingingReported = true;
        Events.Report((id, call, seq, at) => GatewayEvent.AgentRinging(id, call, seq, at, attempt.AgentId));
    }

    private void OnAgentAnswered(AgentAttempt attempt, SessionDescription? answer)
    {
        if (_attempt != attempt || _ended)
        {
            attempt.Leg.Hangup("cancelled");
            return;
        }

        var audio = answer is null ? null : SdpNegotiation.ReadAnswer(answer);
        if (audio is null)
        {
            _services.Log.LogWarning("call {CallId}: agent {Agent}'s phone answered without G.711 audio; hung up", Id, attempt.AgentId);
            attempt.Leg.Hangup("incompatible_media");
            return;
        }

        attempt.RingTimeout?.Dispose();
        attempt.Media.Audio = audio;
        attempt.Media.Counters = _services.Media;
        _callerMedia.Counters = _services.Media;
        _attempt = null;
        _connected = attempt;
        OnAgentRinging(attempt);
        _callerPlayer.Silence();
        // One recording per call: an agent who answers a transferred call joins the one that is running.
        var startsRecording = _services.RecordCalls && _recording is null;
        if (startsRecording)
        {
            _mediaRef = RecordingFiles.MediaRef(_services.Time.GetUtcNow(), Id);
            _recording = new CallRecording(Path.Combine(_services.RecordingsPath, _mediaRef));
            _services.Clock.Add(_recording);
        }

        attempt.Media.PacketReceived = OnAgentPacket;
        Events.Report((id, call, seq, at) => GatewayEvent.Answered(id, call, seq, at, attempt.AgentId));
        if (startsRecording)
        {
            var mediaRef = _mediaRef!;
            Events.Report((id, call, seq, at) => GatewayEvent.RecordingStarted(id, call, seq, at, mediaRef));
        }
    }

    private void OnAgentEnded(AgentAttempt attempt, LegEnding ending)
    {
        attempt.RingTimeout?.Dispose();
        _ = attempt.Media.DisposeAsync();
        if (_attempt == attempt)
        {
            // Not answered: the call keeps waiting, and the cluster offers it again. Unless the cluster itself
            // stopped the ring, it is told now (busy, declined, unreachable, rung out here), so the next agent's
            // phone rings at once instead of after the offer's timeout.
            _attempt = null;
            _services.Log.LogInformation("call {CallId}: agent {Agent}'s phone did not take the call ({Cause})", Id, attempt.AgentId, ending.Cause);
            if (!_ended && !attempt.StoppedByCluster)
            {
                var reason = attempt.RangOut ? "no_answer" : ending.Cause;
                Events.Report((id, call, seq, at) => GatewayEvent.AgentRingFailed(id, call, seq, at, attempt.AgentId, reason));
            }

            return;
        }

        if (_connected == attempt && !(ending.ByFarEnd && KeepCallerForQuestion()))
        {
            Finish(ending.ByFarEnd ? "normal_clearing" : ending.Cause, ending.ByFarEnd ? HangupSide.Agent : HangupSide.System);
        }
    }

    private void OnCallerEnded(LegEnding ending)
    {
        EndQuestion(ending.ByFarEnd ? "hung_up" : ending.Cause, hangUp: false);
        if (_ended)
        {
            return;
        }

        Finish(ending.ByFarEnd ? (ending.Cause == "cancelled" ? "caller_cancelled" : ending.Cause) : ending.Cause, ending.ByFarEnd ? HangupSide.Caller : HangupSide.System);
    }

    private void Finish(string cause, HangupSide side)
    {
        if (_ended)
        {
            return;
        }

        EndForCluster(cause, side);
        ReportNotAsked(cause);
        _caller.Hangup(cause);
        ReleaseCaller();
    }

    /// <summary>The call is over for the cluster: every leg but the caller's hung up, the recording stopped, the end reported.</summary>
    private void EndForCluster(string cause, HangupSide side)
    {
        // Marked first: hanging up the legs below ends them, and their endings must not end the call again.
        _ended = true;
        _ivr?.Cancel();
        EndSupervision(cause);
        _attempt?.Leg.Hangup(cause);
        _connected?.Leg.Hangup(cause);
        _callerPlayer.Silence();
        if (_recording is { } recording)
        {
            recording.Stop();
            Events.Report((id, call, seq, at) => GatewayEvent.RecordingStopped(id, call, seq, at, _mediaRef!));
        }

        Events.Report((id, call, seq, at) => GatewayEvent.Ended(id, call, seq, at, cause, side));
        _services.Log.LogInformation("call {CallId} ended: {Cause} by {Side}", Id, cause, side);
    }

    /// <summary>The caller's leg is done with (hung up already): its media freed and the call dropped from the edge's table.</summary>
    private void ReleaseCaller()
    {
        _callerPlayer.Stop();
        _ = _callerMedia.DisposeAsync();
        _services.Forget(this);
    }

    private SessionDescription? OnCallerReoffer(SessionDescription offer)
    {
        var answer = SdpNegotiation.Answer(offer, _services.MediaAddress, _callerMedia.LocalEndPoint.Port, SessionId(), 2);
        if (answer is null)
        {
            return null;
        }

        _callerMedia.Audio = answer.Value.Audio;
        return answer.Value.Answer;
    }

    private SessionDescription? OnAgentReoffer(AgentAttempt attempt, SessionDescription offer)
    {
        var answer = SdpNegotiation.Answer(offer, _services.MediaAddress, attempt.Media.LocalEndPoint.Port, SessionId(), 2);
        if (answer is null)
        {
            return null;
        }

        var wasHeld = attempt.Media.Audio is { FarEndReceives: false };
        attempt.Media.Audio = answer.Value.Audio;
        var held = !answer.Value.Audio.FarEndReceives;
        if (_connected == attempt && held != wasHeld)
        {
            // The agent's phone put the caller on hold (sendonly or inactive) or took them off it.
            _callerPlayer.Play(held ? _services.Prompts.Music : [], loop: true);
            Events.Report(held ? (id, call, seq, at) => GatewayEvent.Held(id, call, seq, at) : (id, call, seq, at) => GatewayEvent.Resumed(id, call, seq, at));
        }

        return answer.Value.Answer;
    }

    private void OnCallerPacket(RtpLeg from, in RtpHeader header, ReadOnlySpan<byte> packet)
    {
        if (_connected is not { } agent)
        {
            // Before an agent answers, a key the caller presses is the menu's; after the agent hung up, the survey's
            // (on the loop, like everything the menu and the survey do).
            if (header.PayloadType == from.Audio?.TelephoneEventPayloadType && (_ivr is not null || _question is not null)
                && _dtmf.Receive(header.Timestamp, packet.Slice(header.PayloadOffset, header.PayloadLength)) is { } digit)
            {
                _services.Loop.Post(() => OnCallerKey(digit));
            }

            // Waiting for the next agent after a transfer: the caller's side of the call's recording goes on.
            if (!_ended && _recording is { } waiting && header.PayloadType == from.Audio?.PayloadType)
            {
                waiting.Caller(from.Law, packet.Slice(header.PayloadOffset, header.PayloadLength));
            }

            return;
        }

        var mixer = _mixer;
        var isAudio = header.PayloadType == from.Audio?.PayloadType;
        if (isAudio)
        {
            var codes = packet.Slice(header.PayloadOffset, header.PayloadLength);
            _recording?.Caller(from.Law, codes);
            mixer?.FromCaller(from.Law, codes);
        }

        // While a supervisor whispers or barges, the agent hears a mix made on the clock instead of this packet
        // (key presses are still passed on as they came).
        if (!isAudio || mixer is not { MixesToAgent: true })
        {
            agent.Media.Forward(from, header, packet);
        }
    }

    private void OnCallerKey(char digit)
    {
        if (_afterCallKeys is { } keys)
        {
            keys.Key(digit);
        }
        else if (!_ended)
        {
            _ivr?.OnDigit(digit);
        }
    }

    private void OnAgentPacket(RtpLeg from, in RtpHeader header, ReadOnlySpan<byte> packet)
    {
        var mixer = _mixer;
        var isAudio = header.PayloadType == from.Audio?.PayloadType;
        if (isAudio)
        {
            var codes = packet.Slice(header.PayloadOffset, header.PayloadLength);
            _recording?.Agent(from.Law, codes);
            mixer?.FromAgent(from.Law, codes);
        }

        if (!isAudio || mixer is not { MixesToCaller: true })
        {
            _callerMedia.Forward(from, header, packet);
        }
    }

    /// <summary>The cluster's word ends the ring (a newer <c>connect</c>, <c>cancel_connect</c>, a prompt that ends the call): not reported back, whatever the phone answers.</summary>
    private void StopRinging(string cause)
    {
        if (_attempt is { } attempt)
        {
            attempt.StoppedByCluster = true;
            attempt.Leg.Hangup(cause);
        }
    }

    private static long SessionId() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>Phone numbers are masked in logs: the last four digits only.</summary>
    internal static string Mask(string number) => number.Length <= 4 ? "****" : new string('*', number.Length - 4) + number[^4..];

    private sealed class AgentAttempt(string agentId, IOutboundLeg leg, RtpLeg media)
    {
        public string AgentId { get; } = agentId;

        public IOutboundLeg Leg { get; } = leg;

        public RtpLeg Media { get; } = media;

        public bool RingingReported { get; set; }

        /// <summary>The cluster stopped this ring: its end is not reported back.</summary>
        public bool StoppedByCluster { get; set; }

        /// <summary>The edge stopped this ring after <c>AgentRingSeconds</c>: reported as no answer.</summary>
        public bool RangOut { get; set; }

        public ITimer? RingTimeout { get; set; }
    }
}
