using ContactCenter.GatewayClient;
using ContactCenter.SipEdge.Media;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Calls;

/// <summary>
/// The IVR survey after the call (<c>survey_after_call</c>): when the agent hangs up on the caller, the call ends for
/// the cluster as any other (the agent goes to wrap-up, the recording stops, <c>ended</c> by the agent is reported),
/// but the caller's leg stays up: they hear the question, key a score, and the edge hangs up and reports the keys.
/// A caller who hangs up first, or a call the edge or the caller ends, is not asked.
/// </summary>
public sealed partial class EdgeCall
{
    private AfterCallQuestion? _question;
    private KeyCollector? _afterCallKeys;

    /// <summary>The question and how the keys are collected.</summary>
    public sealed record AfterCallQuestion(short[] Prompt, int MaxDigits, int DigitSeconds);

    /// <summary><c>survey_after_call</c>: should the agent hang up on the caller, keep the caller for the question. Again, the same.</summary>
    public void AskAfterCall(AfterCallQuestion question)
    {
        if (!_ended)
        {
            _question = question;
        }
    }

    /// <summary>The agent hung up on the caller, and the call has a question for after: the call ends for the cluster, the caller stays.</summary>
    private bool KeepCallerForQuestion()
    {
        if (_question is not { } question)
        {
            return false;
        }

        EndForCluster("normal_clearing", HangupSide.Agent);
        _connected = null; // the caller's packets are the question's now: keys to collect, nothing to forward
        _afterCallKeys = new KeyCollector(_services.Loop, question.MaxDigits, question.DigitSeconds, keyPressed: _callerPlayer.Silence, done: cause => EndQuestion(cause, hangUp: true));
        _callerPlayer.Play(question.Prompt, loop: false, finished: () => _services.Loop.Post(() => _afterCallKeys?.QuestionPlayed()));
        _services.Log.LogInformation("call {CallId}: the agent hung up; the caller stays for the survey's question", Id);
        return true;
    }

    /// <summary>The question is over (keyed, waited out, the caller hung up, the edge stopping): reported, and the caller's leg let go.</summary>
    private void EndQuestion(string cause, bool hangUp)
    {
        if (_afterCallKeys is not { } keys)
        {
            return;
        }

        _afterCallKeys = null;
        keys.Stop();
        var digits = keys.Digits;
        _services.Reporter.ReportSurveyAnswer(Id, new SurveyAnswerReport(Asked: true, cause, _services.Time.GetUtcNow()) { Digits = digits });
        _services.Log.LogInformation("call {CallId}: the survey's question is over ({Cause}, {Count} keys)", Id, cause, digits.Length);
        if (hangUp)
        {
            _caller.Hangup(cause);
        }

        ReleaseCaller();
    }
}
