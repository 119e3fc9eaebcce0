using ContactCenter.Calls;
using ContactCenter.Gateways;
using ContactCenter.Journal;
using ContactCenter.Kpis;
using ContactCenter.Sms;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace ContactCenter.Surveys;

/// <summary>
/// One surveyed call. Its state is its row in the surveys table (<see cref="ISurveyStore"/>), written at every step
/// before the step's effect: a message is recorded as being sent before it is handed to the gateway, so a lost silo
/// never makes it sent twice unknowingly (see <see cref="SurveyLife.Due"/>). The row's wake time is the survey's
/// durable timer; nothing keeps the grain active between steps.
/// </summary>
[CollectionAgeLimit(Minutes = 2)] // a survey acts a few times over a day: no reason to hold hundreds of thousands of them
public sealed partial class SurveyGrain(
    ISurveyStore store,
    ISmsGateway sms,
    ILiveCallIndex liveCalls,
    IOutboundGatewayChooser gateways,
    IGatewayCommands commands,
    IOptions<SurveyPolicyOptions> policy,
    IOptions<WorkOrders.WorkOrderOptions> workOrders,
    CenterCalendar calendar,
    TimeProvider clock,
    ILogger<SurveyGrain> logger) : Grain, ISurveyGrain
{
    /// <summary>How long one send may take before it counts as the gateway being unavailable.</summary>
    private static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(20);

    /// <summary>How long a callback waits for a place in the trunk's share.</summary>
    private static readonly TimeSpan CallbackWaitForRoom = TimeSpan.FromSeconds(15);

    private readonly SurveyLife _life = new(
        policy.Value,
        new QuietHours(policy.Value.QuietFrom, policy.Value.QuietUntil, calendar),
        new QuietHours(policy.Value.Callback.AllowedUntil, policy.Value.Callback.AllowedFrom, calendar));
    private SurveyRecord? _survey;

    private string CallId => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken) =>
        _survey = await store.LoadAsync(CallId, cancellationToken);

    public async Task StartAsync(SurveyRequest request)
    {
        if (_survey is not null || request.CallId != CallId)
        {
            return; // started before: the call's end is told again, however often its effects are repeated
        }

        var now = clock.GetUtcNow();
        await SaveAsync(_life.Schedule(request, calendar.DayOf(request.CallEndedAt), now));
        LogScheduled(CallId, _survey!.WakeAt);
        if (request.Channel == SurveyChannel.Ivr)
        {
            // Asked now, not at the timers' next round: the agent may hang up any moment.
            await WakeAsync();
        }
    }

    public async Task WakeAsync()
    {
        if (_survey is null)
        {
            return;
        }

        var now = clock.GetUtcNow();
        var step = _life.Due(_survey, now);
        if (step.Callback is { } callback)
        {
            await PlaceCallbackAsync(step, callback, now);
            return;
        }

        if (step.CallbackCall is { } inProgress)
        {
            await FollowCallbackAsync(inProgress, now);
            return;
        }

        if (step.AfterCall is { } ask)
        {
            await AskGatewayAsync(step.Record!, ask);
            return;
        }

        if (step.WorkOrder is { } orderId)
        {
            await OpenWorkOrderAsync(orderId, now);
            return;
        }

        if (step.Record is null)
        {
            return;
        }

        var before = _survey;
        await SaveAsync(step.Record);
        await LetCallerGoIfAskedAsync(before);
        if (step.Message is { } message)
        {
            await SendAsync(message, step.Text!);
        }
    }

    /// <summary>
    /// Places the callback's next call, unless the subscriber is on a call with the center, the trunk's share is taken or
    /// no gateway can place it (then it waits). Recorded before it is placed; placing it again under its id (a wake
    /// repeated after a lost answer) places nothing new.
    /// </summary>
    private async Task PlaceCallbackAsync(SurveyStep step, Outbound.OutboundCallRequest request, DateTimeOffset now)
    {
        var survey = _survey!;
        var gateway = gateways.Choose();
        if (gateway is null || await liveCalls.HasLiveCallFromAsync(survey.Request.Subscriber))
        {
            LogCallbackWaits(CallId, gateway is null ? "no gateway places outbound calls" : "the subscriber is on a call with the center");
            await SaveAsync(_life.CallbackPutOff(survey, now + policy.Value.Callback.WaitWhileOnCall, now));
            return;
        }

        if (!await Pacer.TryTakeAsync(CallId, now + _life.CallbackHold))
        {
            await SaveAsync(_life.CallbackPutOff(survey, now + CallbackWaitForRoom, now));
            return;
        }

        await SaveAsync(step.Record!);
        var placed = await GrainFactory.ReferenceTo<Outbound.IOutboundCallGrain>(step.CallbackCall!).PlaceAsync(request, gateway);
        LogCallbackPlaced(CallId, step.CallbackCall!, placed.Call.GatewayId); // a conflict is found when it is looked at
    }

    /// <summary>
    /// Looks at the callback's call: over, the survey takes its result; not yet, it looks again shortly, keeping its
    /// place in the trunk's share (and, while the call waits for the edge, placing it again: that sends its command
    /// should it be missing, and nothing new otherwise). A call never placed is placed again through every check.
    /// </summary>
    private async Task FollowCallbackAsync(string outboundId, DateTimeOffset now)
    {
        var survey = _survey!;
        var outbound = GrainFactory.ReferenceTo<Outbound.IOutboundCallGrain>(outboundId);
        var call = await outbound.GetAsync();
        if (call is null)
        {
            await SaveAsync(_life.CallbackNeverPlaced(survey, now));
            await WakeAsync();
            return;
        }

        if (call.Request.To != survey.Request.Subscriber)
        {
            LogCallbackIdTaken(CallId, outboundId);
            await SaveAsync(_life.CallbackIdTaken(survey, outboundId, now));
            await Pacer.GiveBackAsync(CallId);
            return;
        }

        if (call.Phase != Outbound.OutboundCallPhase.Finished)
        {
            if (call.Phase == Outbound.OutboundCallPhase.Placed)
            {
                await outbound.PlaceAsync(call.Request, call.GatewayId);
            }

            await Pacer.TryTakeAsync(CallId, now + _life.CallbackHold);
            await SaveAsync(_life.CallbackGoingOn(survey, now));
            return;
        }

        await SaveAsync(_life.CallbackFinished(survey, call, now));
        await Pacer.GiveBackAsync(CallId);
        LogCallbackOver(CallId, outboundId, call.Result, _survey!.Status);
    }

    /// <summary>
    /// Asks the call's gateway to put the question after the call. Recorded first (still due again after the retry wait),
    /// then sent, then recorded as sent: a send that fails, or a silo lost in between, is sent again at that wake.
    /// </summary>
    private async Task AskGatewayAsync(SurveyRecord asked, SurveyAfterCall command)
    {
        await SaveAsync(asked);
        try
        {
            await commands.SendAsync(asked.Request.GatewayId!, command);
        }
        catch (Exception ex)
        {
            LogGatewayNotAsked(ex, CallId, asked.WakeAt);
            return;
        }

        await SaveAsync(_life.GatewayAsked(_survey!, clock.GetUtcNow()));
    }

    /// <summary>
    /// The low score's work order, for the department that owns service quality, about the call's queue and agent. Opened
    /// under an id of the survey's, so a wake repeated after a lost answer opens nothing new; the survey records it then.
    /// </summary>
    private async Task OpenWorkOrderAsync(string orderId, DateTimeOffset now)
    {
        var survey = _survey!;
        var request = survey.Request;
        var summary = $"满意度评分 {survey.Score} 分（通话 {request.CallId}，队列 {request.Queue}，坐席 {request.Agent}）：{survey.Reply}";
        var order = new WorkOrders.OpenWorkOrder(
            request.Subscriber, workOrders.Value.LowScoreCategory, summary.Length > WorkOrders.WorkOrderLimits.MaxSummaryLength ? summary[..WorkOrders.WorkOrderLimits.MaxSummaryLength] : summary,
            request.CallId, Owner: null, WorkOrders.WorkOrderSource.LowScore, OpenedBy: "survey");
        var (opened, created) = await GrainFactory.ReferenceTo<WorkOrders.IWorkOrderGrain>(orderId).OpenAsync(order);
        if (!created && (opened.Source != WorkOrders.WorkOrderSource.LowScore || opened.Subscriber != request.Subscriber || opened.CallId != request.CallId))
        {
            // Not this survey's order (the API keeps the prefix for the surveys, so only an order from before that): recorded, not taken for it.
            LogWorkOrderIdTaken(CallId, orderId);
        }

        await SaveAsync(SurveyLife.WorkOrderOpened(survey, orderId, now));
        LogWorkOrderOpened(CallId, orderId, survey.Score);
    }

    /// <summary>The survey closed while the call goes on with its gateway asked to keep the caller: told to let them go.</summary>
    private async Task LetCallerGoIfAskedAsync(SurveyRecord before)
    {
        if (!SurveyLife.ClosedWhileGatewayAsked(before, _survey!))
        {
            return;
        }

        try
        {
            await commands.SendAsync(before.Request.GatewayId!, new CancelSurveyAfterCall(CallId));
        }
        catch (Exception ex)
        {
            // The edge then asks and its report is refused: the answer is not counted either way.
            LogCancelNotSent(ex, CallId);
        }
    }

    public async Task CallEndedAsync(SurveyCallEnd end)
    {
        if (_survey is null)
        {
            return;
        }

        var next = _life.AfterCallEnded(_survey, end, calendar.DayOf(end.EndedAt), clock.GetUtcNow());
        if (next != _survey)
        {
            await SaveAsync(next);
            LogCallEnded(CallId, end.CallerKept, next.Status);
        }
    }

    public async Task<AfterCallAnswerOutcome> AfterCallAnswerAsync(string gatewayId, AfterCallAnswer answer)
    {
        if (_survey is null)
        {
            return AfterCallAnswerOutcome.NoSurvey;
        }

        var (next, outcome) = _life.AfterCallAnswered(_survey, gatewayId, answer, clock.GetUtcNow());
        if (next != _survey)
        {
            await SaveAsync(next);
            LogAfterCallAnswer(CallId, answer.Asked, answer.Cause, next.Status, next.Score);
        }

        return outcome;
    }

    private ICallbackPacerGrain Pacer => GrainFactory.ReferenceTo<ICallbackPacerGrain>(CallbackPacerGrain.Key);

    public async Task<ReplyOutcome> ReplyAsync(IncomingSms reply)
    {
        if (_survey is null)
        {
            return ReplyOutcome.NoSurvey;
        }

        var before = _survey;
        var (next, outcome) = _life.Reply(_survey, reply, clock.GetUtcNow());
        if (next != _survey)
        {
            await SaveAsync(next);
            await LetCallerGoIfAskedAsync(before);
        }

        // A question asked again is due now: the survey timers send it within a second, not this reply's request.
        LogReply(CallId, outcome, _survey.Score);
        return outcome;
    }

    public async Task DeliveryReportAsync(int attempt, bool delivered, bool failed)
    {
        if (_survey is null)
        {
            return;
        }

        var next = _life.Delivery(_survey, attempt, delivered, failed, clock.GetUtcNow());
        if (next != _survey)
        {
            await SaveAsync(next);
        }
    }

    public Task<SurveyView?> GetAsync() => Task.FromResult(_survey?.View());

    public async Task<SurveyView?> CloseFollowUpAsync(string by)
    {
        if (_survey is not { FollowUp: true, FollowUpClosedAt: null })
        {
            return null;
        }

        await SaveAsync(SurveyLife.FollowedUp(_survey, by, clock.GetUtcNow()));
        return _survey.View();
    }

    /// <summary>Hands the message (recorded as pending) to the gateway, and records the answer.</summary>
    private async Task SendAsync(SurveyMessage message, string text)
    {
        var survey = _survey!;
        SurveyRecord next;
        try
        {
            using var timeout = new CancellationTokenSource(SendTimeout);
            var submission = await sms.SendAsync(new OutgoingSms(SmsReference.Of(CallId, message.Number), survey.Request.Subscriber, text), timeout.Token);
            next = submission.Taken
                ? _life.Sent(survey, message, clock.GetUtcNow())
                : _life.Refused(survey, message, submission.Refusal ?? "refused", clock.GetUtcNow());
        }
        catch (SmsGatewayUnavailableException ex)
        {
            LogGatewayDown(CallId, ex.Message);
            next = _life.GatewayDown(survey, message, ex.Message, clock.GetUtcNow());
        }
        catch (Exception ex) when (ex is SmsSubmissionUnknownException or OperationCanceledException)
        {
            // It may have been taken: the record says so already (pending, woken at the grace's end), and a delivery
            // report naming it, or the grace running out, decides.
            LogSendUnknown(CallId, message.Number, ex.Message);
            return;
        }

        await SaveAsync(next);
        LogSent(CallId, message.Kind, message.Number, next.Status, next.WakeAt);
    }

    /// <summary>Writes the next version of the record, then tells the live figures what changed and the subscriber when it closed.</summary>
    private async Task SaveAsync(SurveyRecord next)
    {
        var before = _survey;
        next = next with { Version = (before?.Version ?? 0) + 1 };
        await store.SaveAsync(next);
        _survey = next;
        var change = SurveyTally.Of(next).Minus(SurveyTally.Of(before));
        if (change != SurveyCounters.Zero)
        {
            await GrainFactory.ReferenceTo<ISurveyFiguresGrain>(SurveyFiguresGrain.Key)
                .CountAsync(next.Request.Queue, next.Request.Agent, next.Day, next.UpdatedAt, change);
        }

        if (before is { IsOpen: true } && !next.IsOpen)
        {
            await Subscriber(next.Request.Subscriber).SurveyClosedAsync(CallId, next.UpdatedAt, wasSent: next.SentAt is not null);
        }
    }

    private ISubscriberSurveysGrain Subscriber(string number) => GrainFactory.ReferenceTo<ISubscriberSurveysGrain>(number);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey of call {CallId}: callback waits ({Reason})")]
    private partial void LogCallbackWaits(string callId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey of call {CallId}: callback {OutboundId} placed through {Gateway}")]
    private partial void LogCallbackPlaced(string callId, string outboundId, string gateway);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey of call {CallId}: the callback's id {OutboundId} is another outbound call's; the survey fails")]
    private partial void LogCallbackIdTaken(string callId, string outboundId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey of call {CallId}: callback {OutboundId} over ({Result}); the survey is {Status}")]
    private partial void LogCallbackOver(string callId, string outboundId, Outbound.OutboundCallResult? result, SurveyStatus status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey of call {CallId}: its gateway could not be asked to put the question after the call; asked again at {WakeAt}")]
    private partial void LogGatewayNotAsked(Exception ex, string callId, DateTimeOffset? wakeAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey of call {CallId} closed before the call ended, and its gateway could not be told to let the caller go")]
    private partial void LogCancelNotSent(Exception ex, string callId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey of call {CallId}: the call ended (caller kept for the question: {Kept}); the survey is {Status}")]
    private partial void LogCallEnded(string callId, bool kept, SurveyStatus status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey of call {CallId}: the gateway's report (asked {Asked}, {Cause}); the survey is {Status} (score {Score})")]
    private partial void LogAfterCallAnswer(string callId, bool asked, string cause, SurveyStatus status, int? score);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey of call {CallId}: work order {OrderId} is another complaint's; the low score's order is not opened")]
    private partial void LogWorkOrderIdTaken(string callId, string orderId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey of call {CallId}: its low score {Score} opened work order {OrderId}")]
    private partial void LogWorkOrderOpened(string callId, string orderId, int? score);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey of call {CallId} scheduled for {WakeAt}")]
    private partial void LogScheduled(string callId, DateTimeOffset? wakeAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey of call {CallId}: message {Number} ({Kind}) handed to the SMS gateway; now {Status}, next due {WakeAt}")]
    private partial void LogSent(string callId, SurveyMessageKind kind, int number, SurveyStatus status, DateTimeOffset? wakeAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey of call {CallId}: the SMS gateway is unavailable ({Error}); trying again later")]
    private partial void LogGatewayDown(string callId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Survey of call {CallId}: message {Number} was handed to the SMS gateway and no answer came ({Error}); waiting for its delivery report")]
    private partial void LogSendUnknown(string callId, int number, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Survey of call {CallId}: reply {Outcome} (score {Score})")]
    private partial void LogReply(string callId, ReplyOutcome outcome, int? score);
}
