using ContactCenter.Surveys;

namespace ContactCenter.Tests.Surveys;

/// <summary>The replies subscribers send to "reply 1-5", read as a score, an opt-out, or asked again.</summary>
public sealed class SurveyRepliesTests
{
    [Theory]
    [InlineData("5", 5)]
    [InlineData(" 1 ", 1)]
    [InlineData("５", 5)]
    [InlineData("３分", 3)]
    [InlineData("我给5分", 5)]
    [InlineData("4 thanks", 4)]
    [InlineData("Score: 2.", 2)]
    [InlineData("非常满意", 5)]
    [InlineData("很满意！", 5)]
    [InlineData("十分满意", 5)]
    [InlineData("满意，谢谢", 4)]
    [InlineData("比较满意", 4)]
    [InlineData("一般吧", 3)]
    [InlineData("不满意", 2)]
    [InlineData("不太满意", 2)]
    [InlineData("非常不满意", 1)]
    [InlineData("很不满意，等了半小时", 1)]
    [InlineData("五分", 5)]
    [InlineData("5 非常满意", 5)]
    [InlineData("STOPWATCH 3", 3)] // STOP opts out only as a word of its own
    public void AScoreIsReadFromDigitsAndWords(string reply, int score) =>
        Assert.Equal(SurveyReply.Scored(score), SurveyReplies.Read(reply));

    [Theory]
    [InlineData("TD")]
    [InlineData("td")]
    [InlineData("ＴＤ")]
    [InlineData("STOP")]
    [InlineData("Stop please")]
    [InlineData("退订")]
    [InlineData("5 退订")]
    [InlineData("请取消订阅")]
    public void UnsubscribeWordsOptOutWhateverElseTheReplySays(string reply) =>
        Assert.Equal(SurveyReply.OptOut, SurveyReplies.Read(reply));

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    [InlineData("0")]
    [InlineData("7")]
    [InlineData("10")]
    [InlineData("10086")]
    [InlineData("1 or 5")]
    [InlineData("45")]
    [InlineData("1 非常满意")]
    [InlineData("谢谢")]
    [InlineData("ok")]
    public void AnythingElseIsUnreadableAndAskedAgain(string? reply) =>
        Assert.Equal(SurveyReply.Unreadable, SurveyReplies.Read(reply));

    [Fact]
    public void AReplyLongerThanAnAnswerIsNotRead() =>
        Assert.Equal(SurveyReply.Unreadable, SurveyReplies.Read("5" + new string('x', SurveyReplies.MaxLength)));
}
