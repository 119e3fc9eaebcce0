using ContactCenter.Calls;

namespace ContactCenter.Sms;

/// <summary>A sender's number as SMS centers pass it (<c>+8613812345678</c>, <c>008613812345678</c>, <c>8613812345678</c>, <c>13812345678</c>), as E.164.</summary>
public static class SmsNumbers
{
    /// <summary>The number in E.164, or null when it is not a subscriber's number (a short code, letters).</summary>
    public static string? ToE164(string? raw, string countryCode)
    {
        var number = raw?.Trim() ?? "";
        var e164 = number switch
        {
            ['+', ..] => number,
            ['0', '0', ..] => "+" + number[2..],
            // A national mobile number: 11 digits starting with 1 (China's numbering plan).
            _ when countryCode == "86" && number.Length == 11 && number[0] == '1' => "+86" + number,
            _ when number.StartsWith(countryCode, StringComparison.Ordinal) && number.Length > countryCode.Length + 6 => "+" + number,
            _ => "",
        };
        return PhoneNumbers.IsE164(e164) ? e164 : null;
    }
}
