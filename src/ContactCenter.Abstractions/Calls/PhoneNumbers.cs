namespace ContactCenter.Calls;

/// <summary>Phone number rules: what the gateway API accepts, and how numbers appear in logs.</summary>
public static class PhoneNumbers
{
    /// <summary>What gateways send when the caller withheld the number; such a call is still served.</summary>
    public const string Withheld = "anonymous";

    /// <summary>An E.164 subscriber number: '+', then 8 to 15 digits, the first not zero.</summary>
    public static bool IsE164(string number) =>
        number.Length is >= 9 and <= 16 && number[0] == '+' && number[1] is >= '1' and <= '9' && number.AsSpan(2).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>A dialled number: an E.164 number or a service short code such as 10086 (3 to 15 digits).</summary>
    public static bool IsDiallable(string number) =>
        IsE164(number) || (number.Length is >= 3 and <= 15 && number.AsSpan().IndexOfAnyExceptInRange('0', '9') < 0);

    /// <summary>
    /// The form a number takes in logs: subscriber numbers keep the country and operator prefix and the last
    /// two digits ("+86138******78"), enough to follow a case, not enough to identify a person. Short codes
    /// are not personal and stay as they are.
    /// </summary>
    public static string Mask(string? number)
    {
        if (string.IsNullOrEmpty(number) || !number.StartsWith('+'))
        {
            return number ?? "";
        }

        const int kept = 6;
        return number.Length <= kept + 2
            ? new string('*', number.Length)
            : string.Concat(number.AsSpan(0, kept), new string('*', number.Length - kept - 2), number.AsSpan(number.Length - 2));
    }
}
