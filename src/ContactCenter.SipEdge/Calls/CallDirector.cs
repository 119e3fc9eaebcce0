using System.Globalization;
using System.Security.Cryptography;
using ContactCenter.GatewayClient;
using ContactCenter.SipEdge.Hosting;
using ContactCenter.SipEdge.Ivr;
using ContactCenter.SipEdge.Media;
using ContactCenter.SipEdge.Outbound;
using ContactCenter.SipEdge.Telephony;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Calls;

/// <summary>
/// The edge's calls: it admits each new inbound leg (a number the edge serves, room for one more call, an RTP
/// port), starts its <see cref="EdgeCall"/>, and carries out the cluster's commands on the call they name, each
/// command id once. Runs on the signalling loop; commands arrive from the gateway client's loop and are posted there.
/// </summary>
public sealed class CallDirector
{
    /// <summary>Command ids remembered as done, so a redelivered command is not carried out twice.</summary>
    private const int RememberedCommands = 50_000;

    private readonly CallServices _services;
    private readonly SipEdgeOptions _options;
    private readonly OutboundDialer _outbound;
    private readonly Dictionary<string, EdgeCall> _calls = new(StringComparer.Ordinal);
    private readonly HashSet<long> _done = [];
    private readonly Queue<long> _doneOrder = new();
    private readonly Dictionary<string, IvrMenu> _menus;
    private readonly string _idPrefix;
    private long _next;

    public CallDirector(CallServices services, SipEdgeOptions options, OutboundDialer outbound)
    {
        _services = services;
        _options = options;
        _outbound = outbound;
        services.Forget = call => _calls.Remove(call.Id);
        // Every menu is read and checked at start: a broken menu file stops the edge, it does not fail a caller.
        _menus = options.Numbers.Values.Where(r => r.Menu is not null).Select(r => r.Menu!).Distinct()
            .ToDictionary(path => path, IvrMenu.Load, StringComparer.Ordinal);
        // Unique across restarts of the edge as well: a call id is never reused, even with the counter back at 1.
        _idPrefix = $"{options.Name}-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}";
    }

    public int Calls => _calls.Count;

    public long Refused { get; private set; }

    public EdgeCall? Find(string callId) => _calls.GetValueOrDefault(callId);

    public IReadOnlyList<EdgeCall> Snapshot() => [.. _calls.Values];

    /// <summary>A new call from a trunk.</summary>
    public void OnIncoming(IInboundLeg leg)
    {
        if (_calls.Count >= _options.MaxCalls)
        {
            Refused++;
            leg.Reject(503, TimeSpan.FromSeconds(5));
            return;
        }

        if (!_options.Numbers.TryGetValue(leg.Dialled, out var route))
        {
            leg.Reject(404);
            return;
        }

        var socket = _services.Ports.Bind();
        if (socket is null)
        {
            Refused++;
            _services.Log.LogWarning("no RTP port free: call from {Source} refused", leg.Source);
            leg.Reject(503, TimeSpan.FromSeconds(5));
            return;
        }

        var id = $"{_idPrefix}-{(++_next).ToString(CultureInfo.InvariantCulture)}";
        var media = new RtpLeg(socket, _services.Log);
        var call = new EdgeCall(_services, id, leg, media, route.Queue, route.Menu is null ? null : _menus[route.Menu]);
        if (!call.Start())
        {
            _ = media.DisposeAsync();
            return;
        }

        _calls[id] = call;
    }

    /// <summary>The gateway client's command handler: runs the command on the loop and returns once it is carried out.</summary>
    public Task HandleAsync(GatewayCommand command, CancellationToken cancellationToken) =>
        _services.Loop.InvokeAsync(() =>
        {
            Carry(command);
            return true;
        }).WaitAsync(cancellationToken);

    private void Carry(GatewayCommand command)
    {
        if (!_done.Add(command.Id))
        {
            return;
        }

        _doneOrder.Enqueue(command.Id);
        if (_doneOrder.Count > RememberedCommands)
        {
            _done.Remove(_doneOrder.Dequeue());
        }

        if (command.Kind == CommandKinds.PlaceCall)
        {
            if (PlaceRequest.From(command) is { } request)
            {
                _outbound.Place(request);
            }
            else
            {
                _services.Log.LogError("command {Id} (place_call) lacks a field or has one that is not a number; not placed", command.Id);
            }

            return;
        }

        if (!_calls.TryGetValue(command.CallId, out var call))
        {
            if (command.Kind == CommandKinds.SurveyAfterCall)
            {
                // The survey waits for a word of its question: it has none to wait for.
                _services.Reporter.ReportSurveyAnswer(command.CallId, new SurveyAnswerReport(Asked: false, "no_such_call", _services.Time.GetUtcNow()));
            }

            // A call that ended here before the command came (the caller hung up), or one a restart of the edge lost.
            _services.Log.LogInformation("command {Id} ({Kind}) for call {CallId}, which this edge does not have", command.Id, command.Kind, command.CallId);
            return;
        }

        switch (command.Kind)
        {
            case CommandKinds.Connect when command.Field("agentId") is { } agent && command.Field("endpoint") is { } endpoint:
                call.Connect(agent, endpoint);
                break;
            case CommandKinds.CancelConnect when command.Field("agentId") is { } agent:
                call.CancelConnect(agent);
                break;
            case CommandKinds.PlayBusy:
                call.PlayAndHangUp(_services.Prompts.Busy, command.Field("reason") ?? "busy");
                break;
            case CommandKinds.PlayAnnouncement:
                var kind = command.Field("announcement") ?? "no_agents";
                call.PlayAndHangUp(_services.Prompts.Announcement(kind), kind);
                break;
            case CommandKinds.JoinAsSupervisor when command.Field("supervisor") is { } supervisor && command.Field("endpoint") is { } endpoint
                && Enum.TryParse<ListenMode>(command.Field("mode"), ignoreCase: true, out var mode):
                call.JoinSupervisor(supervisor, mode, endpoint);
                break;
            case CommandKinds.LeaveAsSupervisor when command.Field("supervisor") is { } supervisor:
                call.LeaveSupervisor(supervisor);
                break;
            case CommandKinds.PauseRecording or CommandKinds.ResumeRecording:
                call.PauseRecording(command.Kind == CommandKinds.PauseRecording, command.Field("by") ?? "cluster");
                break;
            case CommandKinds.Transfer when command.Field("toQueue") is { } queue && command.Field("fromAgent") is { } from:
                call.TransferToQueue(from, queue, command.Field("by") ?? "cluster");
                break;
            case CommandKinds.SurveyAfterCall:
                AskAfterCall(call, command);
                break;
            case CommandKinds.CancelSurveyAfterCall:
                call.ForgetQuestion();
                break;
            case CommandKinds.Overflowed or CommandKinds.Moved:
                // The call waits on in another queue: nothing changes for the caller, who keeps hearing the music.
                break;
            default:
                _services.Log.LogWarning("command {Id} of kind {Kind} is not carried out by this edge yet", command.Id, command.Kind);
                break;
        }
    }

    private void AskAfterCall(EdgeCall call, GatewayCommand command)
    {
        var prompt = command.Field("prompt") is { } name ? _services.Prompts.Named(name) : null;
        if (prompt is null || !int.TryParse(command.Field("maxDigits"), out var maxDigits) || !int.TryParse(command.Field("digitSeconds"), out var digitSeconds)
            || maxDigits < 0 || digitSeconds < 1)
        {
            _services.Log.LogError("command {Id} (survey_after_call) names no prompt of this edge ('{Prompt}') or lacks a number; the caller is not asked", command.Id, command.Field("prompt"));
            _services.Reporter.ReportSurveyAnswer(call.Id, new SurveyAnswerReport(Asked: false, prompt is null ? "unknown_prompt" : "bad_command", _services.Time.GetUtcNow()));
            return;
        }

        call.AskAfterCall(new EdgeCall.AfterCallQuestion(prompt, maxDigits, digitSeconds));
    }

    /// <summary>The edge is stopping: every call is ended now, so the cluster learns of it instead of waiting for the gateway to be lost.</summary>
    public void AbortAll()
    {
        foreach (var call in _calls.Values.ToList())
        {
            call.Abort("edge_stopping");
        }

        _outbound.AbortAll();
    }
}
