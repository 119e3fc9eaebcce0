using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using ContactCenter.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ContactCenter.Sms;

/// <summary>
/// Kannel's way in. Kannel calls its <c>get-url</c> and delivery-report URLs with no credentials of its own, so the
/// URLs it is configured with carry the silo's secret as <c>key=</c> (<see cref="KannelOptions.InboundKey"/>); a request
/// with the right key is the SMS gateway. Compared in constant time; unset, no key is right.
/// </summary>
public sealed class SmsGatewayKeyAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KannelOptions kannel)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "SmsGatewayKey";

    public const string QueryParameter = "key";

    private static readonly ClaimsPrincipal SmsGateway = new(new ClaimsIdentity([new Claim(ClaimTypes.Name, "sms-gateway"), new Claim(ClaimTypes.Role, Roles.SmsGateway)], SchemeName));

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Request.Query[QueryParameter].ToString();
        if (key.Length == 0)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var right = kannel.InboundKey.Length > 0
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(key)), SHA256.HashData(Encoding.UTF8.GetBytes(kannel.InboundKey)));
        return Task.FromResult(right
            ? AuthenticateResult.Success(new AuthenticationTicket(SmsGateway, SchemeName))
            : AuthenticateResult.Fail("wrong SMS gateway key"));
    }
}
