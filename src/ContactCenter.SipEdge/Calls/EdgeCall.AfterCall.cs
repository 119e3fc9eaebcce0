using ContactCenter.GatewayClient;
using ContactCenter.SipEdge.Media;
using Microsoft.Extensions.Logging;

namespace ContactCenter.SipEdge.Calls;

/// <summary>
/// The IVR survey after the call (<c>survey_after_call</c>): when the agent hangs up on the caller, the call ends for
/// the cluster as any other (the agent goes to wrap-up, the recording stops, <c>ended</c> by the agent is reported),
/// but the caller's leg stays up: they hear the question, key a score, and the edge hangs up and reports the keys.
/// A call that ends otherwise (the caller hangs up first, the edge stops) is reported not asked, as is a caller whose
/// phone cannot send keys (no <c>telephone-event</c>) and one who hangs up before the question is over unkeyed.
/// </summary>
public sealed partial class EdgeCall
{
    private AfterCallQuestion? _question;
    private KeyCollector? _afterCallKeys;
    private bool _questionHeard;

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

    /// <summary><c>cancel_survey_after_call</c>: the survey closed; the caller goes as usual. Nothing once the question has begun.</summary>
    public void ForgetQuestion()
    {
        if (!_ended)
        {
            _question = null;
        }
    }

    /// <summary>The agent hung up on the caller, and the call has a question for after: the call ends for the cluster, the caller stays.</summary>
    private bool KeepCallerForQuestion()
    {
        if (_question is not { } question)
        {
            return false;
        }

        if (_callerMedia.Audio?.TelephoneEventPayloadType is null)
        {
            // Keys could not reach the question: the caller goes as any other, and the survey hears why.
            ReportNotAsked("no_dtmf");
            return false;
        }

        EndForCluster("normal_clearing", HangupSide.Agent);
        _connected = null; // the caller's packets are the question's now: keys to collect, nothing to forward
        _afterCallKeys = new KeyCollector(_services.Loop, question.MaxDigits, question.DigitSeconds, keyPressed: KeyDuringQuestion, done: cause => EndQuestion(cause, hangUp: true));
        _callerPlayer.Play(question.Prompt, loop: false, finished: () => _services.Loop.Post(() =>
        {
            _questionHeard = true;
            _afterCallKeys?.QuestionPlayed();
        }));
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
        _question = null;
        keys.Stop();
        var digits = keys.Digits;
        if (_questionHeard)
        {
            _services.Reporter.ReportSurveyAnswer(Id, new SurveyAnswerReport(Asked: true, cause, _services.Time.GetUtcNow()) { Digits = digits });
        }
        else
        {
            // Gone before the question was over, and no key: they may have heard nothing of it (hung up with their goodbye).
            ReportNotAsked($"{cause}_during_question");
        }

        _services.Log.LogInformation("call {CallId}: the survey's question is over ({Cause}, {Count} keys)", Id, cause, digits.Length);
        if (hangUp)
        {
            _caller.Hangup(cause);
        }

        ReleaseCaller();
    }

    /// <summary>A key during the question: they have heard enough of it (it stops) to answer it.</summary>
    private void KeyDuringQuestion()
    {
        _questionHeard = true;
        _callerPlayer.Silence();
    }

    /// <summary>The call has a question and ended without it being put (or cannot put it): the survey is told, once.</summary>
    private void ReportNotAsked(string cause)
    {
        if (_question is null)
        {
            return;
        }

        _question = null;
        _services.Reporter.ReportSurveyAnswer(Id, new SurveyAnswerReport(Asked: false, cause, _services.Time.GetUtcNow()));
    }
}
