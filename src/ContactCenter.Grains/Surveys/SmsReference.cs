namespace ContactCenter.Surveys;

/// <summary>The reference a survey's message carries to its delivery reports: the call id and the message's number.</summary>
public static class SmsReference
{
    public static string Of(string callId, int number) => $"{number}.{callId}";

    public static bool TryRead(string reference, out string callId, out int number)
    {
        var dot = reference.IndexOf('.');
        callId = dot > 0 ? reference[(dot + 1)..] : "";
        return int.TryParse(reference.AsSpan(0, Math.Max(dot, 0)), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out number)
            && number > 0 && callId.Length > 0;
    }
}
