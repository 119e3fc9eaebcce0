using ContactCenter.Calls;
using ContactCenter.Gateways;
using Microsoft.Extensions.Logging;

namespace ContactCenter.Outbound;

[GenerateSerializer, Alias("cc.OutboundCallState")]
public sealed class OutboundCallState
{
    [Id(0)] public OutboundCallSnapshot? Call { get; set; }
    /// <summary>The <c>place_call</c> command's id; 0 until it is durable in the outbox.</summary>
    [Id(1)] public long CommandId { get; set; }
    /// <summary>The gateway's attempt whose claim was granted: the only one that dials and reports.</summary>
    [Id(2)] public string? Attempt { get; set; }
}

/// <summary>
/// One outbound call: placed through a gateway by a durable <c>place_call</c> command, claimed by one attempt of
/// that gateway before it dials (so a command delivered twice rings the subscriber once), and followed to its
/// result. A call that gets no result in time is given up (<see cref="OutboundCallLife.GiveUpAt"/>): checked while
/// the grain is active, and again whenever it is asked after a restart.
/// </summary>
public sealed partial class OutboundCallGrain(
    [PersistentState("outbound", StorageNames.GroupCommit)] IPersistentState<OutboundCallState> state,
    IGatewayCommands commands,
    IGrainFactory grains,
    TimeProvider clock,
    ILogger<OutboundCallGrain> logger) : Grain, IOutboundCallGrain
{
    private IGrainTimer? _giveUp;

    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await GiveUpIfDueAsync();
        WatchForResult();
    }

    public async Task<OutboundPlacement> PlaceAsync(OutboundCallRequest request, string gatewayId)
    {
        if (state.State.Call is { } existing)
        {
            if (existing.Request != request)
            {
                return new OutboundPlacement(existing, false, $"outbound call '{Id}' was placed with a different request; choose a new id for a new call");
            }

            // Placed before, but the command may not have become durable (a failure between the two writes).
            await SendCommandIfMissingAsync();
            return new OutboundPlacement(existing, false, null);
        }

        var call = new OutboundCallSnapshot(Id, request, gatewayId, OutboundCallPhase.Placed, null, null, null, null, clock.GetUtcNow(), null, null, null);
        state.State.Call = call;
        await state.WriteStateAsync();
        await SendCommandIfMissingAsync();
        LogPlaced(Id, PhoneNumbers.Mask(request.To), gatewayId);
        WatchForResult();
        return new OutboundPlacement(call, true, null);
    }

    public async Task<OutboundReportOutcome> ReportAsync(string gatewayId, OutboundProgress progress)
    {
        await GiveUpIfDueAsync();
        if (state.State.Call is not { } call)
        {
            return new OutboundReportOutcome(null, $"no outbound call '{Id}' was placed");
        }

        if (call.GatewayId != gatewayId)
        {
            return new OutboundReportOutcome(call, $"outbound call '{Id}' was placed through gateway '{call.GatewayId}'");
        }

        var (next, refusal) = OutboundCallLife.Apply(call, state.State.Attempt, progress, clock.GetUtcNow());
        if (next != call)
        {
            var claims = progress.Step == OutboundCallPhase.Dialing && refusal is null;
            if (claims)
            {
                // Listed before the claim is durable: a listed call that was never claimed costs nothing at a
                // restart, while a claimed call missing from the list would wait for its deadline.
                await GatewayCalls(call.GatewayId).ClaimingAsync(Id);
                state.State.Attempt = progress.Attempt;
            }

            await SaveAsync(next);
        }

        return new OutboundReportOutcome(next, refusal);
    }

    public async Task<GatewayRestartEffect> GatewayRestartedAsync(string gatewayId, DateTimeOffset startedAt)
    {
        if (state.State.Call is not { Phase: not OutboundCallPhase.Finished } call || call.GatewayId != gatewayId)
        {
            return GatewayRestartEffect.AlreadyOver;
        }

        var next = OutboundCallLife.AfterGatewayRestart(call, startedAt, clock.GetUtcNow());
        if (next == call)
        {
            return GatewayRestartEffect.StillGoing;
        }

        await SaveAsync(next);
        return GatewayRestartEffect.Finished;
    }

    public async Task<OutboundCallSnapshot?> GetAsync()
    {
        await GiveUpIfDueAsync();
        return state.State.Call;
    }

    private async Task SendCommandIfMissingAsync()
    {
        if (state.State is { CommandId: 0, Call: { } call })
        {
            var r = call.Request;
            state.State.CommandId = await commands.SendAsync(call.GatewayId, new PlaceCall(Id, r.To, r.Prompt, r.MaxDigits, r.DigitSeconds, r.RingSeconds, r.CallerId));
            await state.WriteStateAsync();
        }
    }

    private void WatchForResult()
    {
        if (_giveUp is not null || state.State.Call is not { Phase: not OutboundCallPhase.Finished } call)
        {
            return;
        }

        // Kept active until the result: the timer is what gives the call up when its gateway never reports one.
        var due = OutboundCallLife.GiveUpAt(call) - clock.GetUtcNow();
        _giveUp = this.RegisterGrainTimer(GiveUpIfDueAsync, new GrainTimerCreationOptions(due > TimeSpan.Zero ? due : TimeSpan.Zero, TimeSpan.FromMinutes(1)) { KeepAlive = true });
    }

    private async Task GiveUpIfDueAsync()
    {
        if (state.State.Call is { Phase: not OutboundCallPhase.Finished } call && clock.GetUtcNow() >= OutboundCallLife.GiveUpAt(call))
        {
            LogGivenUp(Id, call.GatewayId, call.Phase);
            await SaveAsync(OutboundCallLife.GiveUp(call, clock.GetUtcNow()));
        }

        if (state.State.Call is { Phase: OutboundCallPhase.Finished })
        {
            _giveUp?.Dispose();
            _giveUp = null;
        }
    }

    /// <summary>Makes the call's new state durable; a finished call is then taken off its gateway's list.</summary>
    private async Task SaveAsync(OutboundCallSnapshot next)
    {
        state.State.Call = next;
        await state.WriteStateAsync();
        if (next.Phase == OutboundCallPhase.Finished)
        {
            LogFinished(Id, next.Result, next.Cause);
            await GatewayCalls(next.GatewayId).FinishedAsync(Id);
        }
    }

    private IGatewayOutboundCallsGrain GatewayCalls(string gatewayId) => grains.GetGrain<IGatewayOutboundCallsGrain>(gatewayId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound call {OutboundId} to {To} placed through {GatewayId}")]
    private partial void LogPlaced(string outboundId, string to, string gatewayId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbound call {OutboundId} finished: {Result} ({Cause})")]
    private partial void LogFinished(string outboundId, OutboundCallResult? result, string? cause);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbound call {OutboundId} through {GatewayId} had no result in time (it was {Phase}): given up")]
    private partial void LogGivenUp(string outboundId, string gatewayId, OutboundCallPhase phase);
}
