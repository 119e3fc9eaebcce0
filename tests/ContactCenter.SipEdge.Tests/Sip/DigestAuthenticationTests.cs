using System.Security.Cryptography;
using System.Text;
using ContactCenter.SipEdge.Sip.Messages;
using ContactCenter.SipEdge.Sip.Registration;
using Microsoft.Extensions.Time.Testing;

namespace ContactCenter.SipEdge.Tests.Sip;

public sealed class DigestAuthenticationTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-04T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    private static SipRequest Register(string authorization)
    {
        var request = new SipRequest { Method = "REGISTER", RequestUri = SipUri.Parse("sip:edge") };
        request.Headers.Add("Authorization", authorization);
        return request;
    }

    /// <summary>What a phone computes from the challenge (RFC 7616 section 3.4.1, qop=auth).</summary>
    private static string Answer(string challenge, string user, string password)
    {
        var fields = DigestAuthentication.ParseFields(challenge[7..]);
        var ha1 = Md5($"{user}:{fields["realm"]}:{password}");
        var ha2 = Md5("REGISTER:sip:edge");
        var response = Md5($"{ha1}:{fields["nonce"]}:00000001:c0ffee:auth:{ha2}");
        return $"Digest username=\"{user}\", realm=\"{fields["realm"]}\", nonce=\"{fields["nonce"]}\", uri=\"sip:edge\", qop=auth, nc=00000001, cnonce=\"c0ffee\", response=\"{response}\", algorithm=MD5";
    }

    [Fact]
    public void TheRightPasswordPassesAndAWrongOneDoesNot()
    {
        var digest = new DigestAuthentication("cc", _time);
        var challenge = digest.Challenge(stale: false);

        Assert.Equal(DigestCheck.Valid, digest.Check(Register(Answer(challenge, "1001", "secret")), "1001", "secret"));
        Assert.Equal(DigestCheck.Invalid, digest.Check(Register(Answer(challenge, "1001", "guess")), "1001", "secret"));
        Assert.Equal(DigestCheck.Invalid, digest.Check(Register(Answer(challenge, "1002", "secret")), "1001", "secret"));
        Assert.Equal(DigestCheck.Missing, digest.Check(new SipRequest { Method = "REGISTER", RequestUri = SipUri.Parse("sip:edge") }, "1001", "secret"));
    }

    [Fact]
    public void AnOldNonceIsStaleAndAForgedOneInvalid()
    {
        var digest = new DigestAuthentication("cc", _time);
        var answer = Answer(digest.Challenge(stale: false), "1001", "secret");

        _time.Advance(TimeSpan.FromMinutes(6));
        Assert.Equal(DigestCheck.Stale, digest.Check(Register(answer), "1001", "secret"));

        var forged = answer.Replace("nonce=\"", "nonce=\"9", StringComparison.Ordinal);
        Assert.Equal(DigestCheck.Invalid, digest.Check(Register(forged), "1001", "secret"));
        Assert.Equal(DigestCheck.Invalid, new DigestAuthentication("cc", _time).Check(Register(answer), "1001", "secret"));
    }
}
