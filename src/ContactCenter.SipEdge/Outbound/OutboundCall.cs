using ContactCenter.GatewayClient;
using ContactCenter.SipEdge.Calls;
using ContactCenter.SipEdge.Media;
using ContactCenter.SipEdge.Sdp;
using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Telephony;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Outbound;

/// <summary>
/// One claimed outbound call: dials the subscriber, gives up after the ring time, and once answered plays the
/// prompt and collects keys (pressed during the prompt too; <c>#</c> ends the input early) until it has
/// <see cref="PlaceRequest.MaxDigits"/> of them or the wait after the prompt is over, then hangs up. Every step is
/// reported, and exactly one <c>finished</c> with the result. Runs on the signalling loop.
/// </summary>
internal sealed class OutboundCall(CallServices services, PlaceRequest request, string attempt, Action<string, OutboundReport> report, Action<OutboundCall> finished)
{
    private readonly DtmfReceiver _dtmf = new();
    private KeyCollector? _keys;
    private IOutboundLeg? _leg;
    private RtpLeg? _media;
    private PromptPlayer? _player;
    private ITimer? _timer;
    private bool _ringing;
    private bool _answered;
    private bool _rangOut;
    private bool _done;

    public string Id => request.Id;

    public static OutboundReport Failure(string attempt, string cause, TimeProvider time) =>
        new(OutboundSteps.Finished, attempt, time.GetUtcNow()) { Result = OutboundResults.Failed, Cause = cause };

    /// <summary>Not dialled at all, for the edge's own reason.</summary>
    public void Fail(string cause)
    {
        services.Log.LogWarning("outbound call {OutboundId} not dialled: {Cause}", Id, cause);
        Finish(OutboundResults.Failed, cause, null);
    }

    /// <summary>Dials; false (and reported failed) when no RTP port is free.</summary>
    public bool Dial(SipUri target, string callerId, short[] prompt)
    {
        var socket = services.Ports.Bind();
        if (socket is null)
        {
            Fail("no_rtp_port");
            return false;
        }

        _media = new RtpLeg(socket, services.Log);
        var offer = SdpNegotiation.Offer(services.MediaAddress, _media.LocalEndPoint.Port, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), 1);
        _leg = services.Signalling.Dial(target, callerId, offer);
        _leg.Ringing += OnRinging;
        _leg.Answered += answer => OnAnswered(answer, prompt);
        _leg.Ended += OnEnded;
        _timer = services.Loop.After(TimeSpan.FromSeconds(request.RingSeconds), () =>
        {
            if (!_answered && !_done)
            {
                _rangOut = true;
                _leg.Hangup("no_answer");
            }
        });
        services.Log.LogInformation("outbound call {OutboundId} to {To} dialled (attempt {Attempt})", Id, EdgeCall.Mask(request.To), attempt);
        return true;
    }

    /// <summary>The edge is stopping.</summary>
    public void Abort(string cause)
    {
        // Finished first: the hang-up ends the leg, and its ending must not report the call a second time.
        Finish(_answered ? OutboundResults.Answered : OutboundResults.Failed, cause, null);
        _leg?.Hangup(cause);
    }

    private void OnRinging()
    {
        if (_ringing || _done)
        {
            return;
        }

        _ringing = true;
        Report(new OutboundReport(OutboundSteps.Ringing, attempt, services.Time.GetUtcNow()));
    }

    private void OnAnswered(SessionDescription? answer, short[] prompt)
    {
        if (_done)
        {
            _leg!.Hangup("cancelled");
            return;
        }

        _timer?.Dispose();
        if ((answer is null ? null : SdpNegotiation.ReadAnswer(answer)) is not { } audio)
        {
            _leg!.Hangup("incompatible_media");
            Finish(OutboundResults.Failed, "incompatible_media", null);
            return;
        }

        _answered = true;
        _media!.Audio = audio;
        _media.PacketReceived = OnPacket;
        Report(new OutboundReport(OutboundSteps.Answered, attempt, services.Time.GetUtcNow()));
        _player = new PromptPlayer(_media);
        _keys = new KeyCollector(services.Loop, request.MaxDigits, request.DigitSeconds, keyPressed: () => _player.Silence(), done: HangUp);
        services.Clock.Add(_player);
        _player.Play(prompt, loop: false, finished: () => services.Loop.Post(() => _keys.QuestionPlayed()));
    }

    private void OnPacket(RtpLeg from, in RtpHeader header, ReadOnlySpan<byte> packet)
    {
        // Packets arrive off the loop; a key is handed to it.
        if (header.PayloadType == from.Audio?.TelephoneEventPayloadType
            && _dtmf.Receive(header.Timestamp, packet.Slice(header.PayloadOffset, header.PayloadLength)) is { } digit)
        {
            services.Loop.Post(() => OnDigit(digit));
        }
    }

    private void OnDigit(char digit)
    {
        if (!_done)
        {
            _keys?.Key(digit);
        }
    }

    private void HangUp(string cause)
    {
        if (_done)
        {
            return;
        }

        Finish(OutboundResults.Answered, cause, null);
        _leg!.Hangup(cause);
    }

    private void OnEnded(LegEnding ending)
    {
        if (_done)
        {
            return;
        }

        if (_answered)
        {
            Finish(OutboundResults.Answered, "hung_up", null);
            return;
        }

        var (result, cause) = _rangOut ? (OutboundResults.NoAnswer, "no_answer") : NotAnswered(ending);
        Finish(result, cause, ending.StatusCode);
    }

    /// <summary>What a final response to the INVITE says about the subscriber (RFC 3261 section 21).</summary>
    private static (string Result, string Cause) NotAnswered(LegEnding ending) => ending.StatusCode switch
    {
        486 or 600 => (OutboundResults.Busy, "busy"),
        408 or 480 or 487 => (OutboundResults.NoAnswer, "no_answer"),
        403 or 603 => (OutboundResults.Declined, "declined"),
        404 or 410 or 484 or 604 or >= 500 => (OutboundResults.Unreachable, "unreachable"),
        null => (OutboundResults.Unreachable, ending.Cause),
        _ => (OutboundResults.Failed, ending.Cause),
    };

    private void Finish(string result, string cause, int? sipStatus)
    {
        if (_done)
        {
            return;
        }

        _done = true;
        _timer?.Dispose();
        _keys?.Stop();
        _player?.Stop();
        if (_media is { } media)
        {
            _ = media.DisposeAsync();
        }

        Report(new OutboundReport(OutboundSteps.Finished, attempt, services.Time.GetUtcNow())
        {
            Result = result,
            Cause = cause,
            Digits = _answered ? _keys?.Digits ?? "" : null,
            SipStatus = _answered ? null : sipStatus is >= 300 ? sipStatus : null,
        });
        services.Log.LogInformation("outbound call {OutboundId} finished: {Result} ({Cause})", Id, result, cause);
        finished(this);
    }

    private void Report(OutboundReport r) => report(Id, r);
}
