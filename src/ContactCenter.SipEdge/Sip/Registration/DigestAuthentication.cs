using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ContactCenter.SipEdge.Sip.Messages;

namespace ContactCenter.SipEdge.Sip.Registration;

public enum DigestCheck
{
    Missing,
    Invalid,
    Stale,
    Valid,
}

/// <summary>
/// HTTP digest authentication as SIP uses it (RFC 3261 section 22.4, RFC 7616 with MD5 and qop=auth). Nonces
/// are stateless: a timestamp signed with a key of this process, good for five minutes, so nothing is stored per
/// challenge and a replayed nonce past its age is answered stale (the phone retries with a fresh one at once).
/// </summary>
public sealed class DigestAuthentication(string realm, TimeProvider time)
{
    private static readonly TimeSpan NonceLifetime = TimeSpan.FromMinutes(5);
    private readonly byte[] _key = RandomNumberGenerator.GetBytes(32);

    public string Realm => realm;

    public string Challenge(bool stale) =>
        $"Digest realm=\"{realm}\", nonce=\"{NewNonce()}\", algorithm=MD5, qop=\"auth\"{(stale ? ", stale=true" : "")}";

    public DigestCheck Check(SipRequest request, string user, string password)
    {
        var header = request.Headers["Authorization"];
        if (header is null || !header.StartsWith("Digest ", StringComparison.OrdinalIgnoreCase))
        {
            return DigestCheck.Missing;
        }

        var fields = ParseFields(header[7..]);
        if (fields.GetValueOrDefault("username") != user || fields.GetValueOrDefault("realm") != realm
            || fields.GetValueOrDefault("nonce") is not { } nonce || fields.GetValueOrDefault("uri") is not { } uri
            || fields.GetValueOrDefault("response") is not { } response)
        {
            return DigestCheck.Invalid;
        }

        if (fields.GetValueOrDefault("algorithm") is { } algorithm && !algorithm.Equals("MD5", StringComparison.OrdinalIgnoreCase))
        {
            return DigestCheck.Invalid;
        }

        var nonceAge = AgeOf(nonce);
        if (nonceAge is null)
        {
            return DigestCheck.Invalid;
        }

        var ha1 = Md5($"{user}:{realm}:{password}");
        var ha2 = Md5($"{request.Method}:{uri}");
        var expected = fields.GetValueOrDefault("qop") is "auth"
            ? Md5($"{ha1}:{nonce}:{fields.GetValueOrDefault("nc")}:{fields.GetValueOrDefault("cnonce")}:auth:{ha2}")
            : Md5($"{ha1}:{nonce}:{ha2}");
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(response.ToLowerInvariant())))
        {
            return DigestCheck.Invalid;
        }

        return nonceAge > NonceLifetime ? DigestCheck.Stale : DigestCheck.Valid;
    }

    private string NewNonce()
    {
        var stamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return $"{stamp}.{Sign(stamp)}";
    }

    private TimeSpan? AgeOf(string nonce)
    {
        var dot = nonce.IndexOf('.');
        if (dot <= 0 || !long.TryParse(nonce.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(nonce[(dot + 1)..]), Encoding.ASCII.GetBytes(Sign(nonce[..dot]))))
        {
            return null;
        }

        return time.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds);
    }

    private string Sign(string stamp) => Convert.ToHexStringLower(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes(stamp)))[..32];

    // MD5 is what the digest scheme's MD5 algorithm is; it is not used here for anything else.
    private static string Md5(string text) => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(text)));

    internal static Dictionary<string, string> ParseFields(string text)
    {
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in SipHeaders.SplitList(text))
        {
            var equals = part.IndexOf('=');
            if (equals > 0)
            {
                fields[part[..equals].Trim()] = part[(equals + 1)..].Trim().Trim('"');
            }
        }

        return fields;
    }
}
