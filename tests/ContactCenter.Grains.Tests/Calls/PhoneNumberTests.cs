using ContactCenter.Calls;

namespace ContactCenter.Tests.Calls;

public sealed class PhoneNumberTests
{
    [Theory]
    [InlineData("+8613812345678", true)]
    [InlineData("+12025550123", true)]
    [InlineData("13812345678", false)]
    [InlineData("+0812345678", false)]
    [InlineData("+86138", false)]
    [InlineData("+86138123456789012", false)]
    [InlineData("+86 138 1234 5678", false)]
    public void E164NumbersAreRecognised(string number, bool valid) => Assert.Equal(valid, PhoneNumbers.IsE164(number));

    [Theory]
    [InlineData("10086", true)]
    [InlineData("96296", true)]
    [InlineData("+8625100860000", true)]
    [InlineData("12", false)]
    [InlineData("10086#", false)]
    public void DialledNumbersAreSubscriberNumbersOrShortCodes(string number, bool valid) => Assert.Equal(valid, PhoneNumbers.IsDiallable(number));

    [Theory]
    [InlineData("+8613812345678", "+86138******78")]
    [InlineData("+12025550123", "+12025****23")]
    [InlineData("10086", "10086")]
    [InlineData("anonymous", "anonymous")]
    public void SubscriberNumbersAreMaskedInLogs(string number, string masked) => Assert.Equal(masked, PhoneNumbers.Mask(number));
}
