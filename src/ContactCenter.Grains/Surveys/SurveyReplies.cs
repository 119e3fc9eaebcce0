using System.Text;

namespace ContactCenter.Surveys;

/// <summary>What a subscriber's reply to a satisfaction SMS says.</summary>
public enum SurveyReplyKind
{
    /// <summary>A score from 1 (very dissatisfied) to 5 (very satisfied).</summary>
    Score,
    /// <summary>The subscriber wants no more surveys (<c>TD</c>, <c>STOP</c>, 退订).</summary>
    OptOut,
    /// <summary>Neither: the survey asks once more.</summary>
    Unreadable,
}

/// <summary>A reply as read: its kind, and the score when it is one.</summary>
public readonly record struct SurveyReply(SurveyReplyKind Kind, int? Score = null)
{
    public static readonly SurveyReply OptOut = new(SurveyReplyKind.OptOut);
    public static readonly SurveyReply Unreadable = new(SurveyReplyKind.Unreadable);

    public static SurveyReply Scored(int score) => new(SurveyReplyKind.Score, score);
}

/// <summary>
/// Reads the replies subscribers actually send to "reply 1-5": a digit alone or inside a sentence ("我给5分",
/// "5 thanks"), full-width digits and letters as Chinese phones type them (５, ＴＤ), the words for very satisfied
/// .. very dissatisfied, and the unsubscribe words, which win over anything else in the message. A reply whose
/// number and words disagree, or that holds no score or more than one, is unreadable: asking once more is better
/// than counting a score the subscriber did not give.
/// </summary>
public static class SurveyReplies
{
    /// <summary>Latin words that opt out when they stand alone as a word (carriers' conventions: TD is 退订).</summary>
    private static readonly string[] OptOutWords = ["TD", "STOP", "UNSUBSCRIBE", "QXDY"];

    private static readonly string[] OptOutPhrases = ["退订", "取消订阅"];

    /// <summary>
    /// The satisfaction words and scores given in Chinese numerals (五分), tried longest first, so 非常不满意 is not
    /// read as 不满意 or 满意, nor 十分满意 as a score of ten.
    /// </summary>
    private static readonly (string Words, int Score)[] ScoreWords = new (string Words, int Score)[]
    {
        ("非常不满意", 1), ("很不满意", 1), ("极不满意", 1), ("比较不满意", 2), ("不太满意", 2), ("不满意", 2),
        ("基本满意", 3), ("一般", 3), ("比较满意", 4), ("满意", 4), ("非常满意", 5), ("很满意", 5), ("十分满意", 5),
        ("一分", 1), ("二分", 2), ("两分", 2), ("三分", 3), ("四分", 4), ("五分", 5),
    }.OrderByDescending(w => w.Words.Length).ToArray();

    /// <summary>The longest reply read; anything longer is not an answer to a 1-5 question.</summary>
    public const int MaxLength = 500;

    public static SurveyReply Read(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxLength)
        {
            return SurveyReply.Unreadable;
        }

        // NFKC folds full-width digits and letters (５, ＴＤ) to their ASCII forms.
        var folded = text.Normalize(NormalizationForm.FormKC).ToUpperInvariant();
        if (OptOutPhrases.Any(p => folded.Contains(p, StringComparison.Ordinal)) || Words(folded).Any(w => OptOutWords.Contains(w)))
        {
            return SurveyReply.OptOut;
        }

        var (kind, number) = NumberIn(folded);
        var worded = WordedScore(folded);
        return kind switch
        {
            NumberKind.NotAScore => SurveyReply.Unreadable,
            NumberKind.Score => worded is null || worded == number ? SurveyReply.Scored(number) : SurveyReply.Unreadable,
            _ => worded is { } score ? SurveyReply.Scored(score) : SurveyReply.Unreadable,
        };
    }

    private enum NumberKind
    {
        None,
        Score,
        /// <summary>Several numbers, or one that is no score (10086, 0, 7).</summary>
        NotAScore,
    }

    private static (NumberKind Kind, int Score) NumberIn(string text)
    {
        var runs = new List<string>();
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                continue;
            }

            var start = i;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            runs.Add(text[start..i]);
        }

        return runs switch
        {
            [] => (NumberKind.None, 0),
            [[var digit]] when digit is >= '1' and <= '5' => (NumberKind.Score, digit - '0'),
            _ => (NumberKind.NotAScore, 0),
        };
    }

    private static int? WordedScore(string text)
    {
        foreach (var (words, score) in ScoreWords)
        {
            if (text.Contains(words, StringComparison.Ordinal))
            {
                return score;
            }
        }

        return null;
    }

    private static IEnumerable<string> Words(string text)
    {
        var word = new StringBuilder();
        foreach (var c in text.Append(' '))
        {
            if (char.IsAsciiLetter(c))
            {
                word.Append(c);
            }
            else if (word.Length > 0)
            {
                yield return word.ToString();
                word.Clear();
            }
        }
    }
}
