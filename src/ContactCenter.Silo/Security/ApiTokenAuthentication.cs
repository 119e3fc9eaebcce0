using System.Collections.Frozen;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace ContactCenter.Security;

/// <summary>Bearer-token authentication for gateways and operators.</summary>
public sealed class ApiTokenAuthentication(
    IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiTokenDirectory directory)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        return Task.FromResult(directory.TryFind(header["Bearer ".Length..].Trim(), out var principal)
            ? AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName))
            : AuthenticateResult.Fail("unknown token"));
    }
}

/// <summary>
/// The configured tokens, indexed once (and again when the configuration changes). Tokens are looked up by
/// their SHA-256 digest, so the lookup's timing never depends on how much of a guess was right. Tokens that
/// break <see cref="AccessRules"/> stop the start; a changed configuration that breaks them is logged and not
/// taken up, so a bad edit never opens the center nor locks everyone out.
/// </summary>
public sealed partial class ApiTokenDirectory
{
    private readonly bool _isDevelopment;
    private readonly ILogger<ApiTokenDirectory> _logger;
    private volatile FrozenDictionary<string, ClaimsPrincipal> _principals;

    public ApiTokenDirectory(IOptionsMonitor<AccessOptions> access, IHostEnvironment environment, ILogger<ApiTokenDirectory> logger)
    {
        _isDevelopment = environment.IsDevelopment();
        _logger = logger;
        if (AccessRules.Problems(access.CurrentValue, _isDevelopment) is [_, ..] problems)
        {
            throw new InvalidOperationException($"the access settings cannot be served: {string.Join("; ", problems)}");
        }

        _principals = Index(access.CurrentValue);
        access.OnChange(TakeUp);
    }

    private void TakeUp(AccessOptions changed)
    {
        if (AccessRules.Problems(changed, _isDevelopment) is [_, ..] problems)
        {
            LogChangeRefused(string.Join("; ", problems));
            return;
        }

        _principals = Index(changed);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The changed access settings are not taken up; the previous tokens stay in force: {Problems}")]
    private partial void LogChangeRefused(string problems);

    public bool TryFind(string token, out ClaimsPrincipal principal) => _principals.TryGetValue(Digest(token), out principal!);

    /// <summary>Whether the token with this digest is still configured (a browser session carries the digest, not the token).</summary>
    public bool IsCurrent(string digest) => _principals.ContainsKey(digest);

    private static FrozenDictionary<string, ClaimsPrincipal> Index(AccessOptions access) =>
        access.Gateways.Select(g => (g.Token, Principal: Principal(g.Id, Roles.Gateway)))
            .Concat(access.Operators.Select(o => (o.Token, Principal: Principal(o.Name, o.Role))))
            .Concat(access.Agents.Select(a => (a.Token, Principal: Principal(a.Id, Roles.Agent))))
            .Concat(access.Departments.Select(d => (d.Token, Principal: Principal(d.Id, Roles.Department))))
            .ToFrozenDictionary(p => Digest(p.Token), p => p.Principal);

    private static ClaimsPrincipal Principal(string name, string role) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], ApiTokenAuthentication.SchemeName));

    public static string Digest(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

public static class PrincipalExtensions
{
    /// <summary>The id of the authenticated gateway; only valid behind the <see cref="AccessPolicies.Gateway"/> policy.</summary>
    public static string GatewayId(this ClaimsPrincipal user) => user.Identity!.Name!;

    public static bool IsGateway(this ClaimsPrincipal user) => user.IsInRole(Roles.Gateway);

    public static bool IsAgent(this ClaimsPrincipal user) => user.IsInRole(Roles.Agent);

    public static bool IsDepartment(this ClaimsPrincipal user) => user.IsInRole(Roles.Department);

    /// <summary>Whether the user may act for this agent: the agent themselves, or an operator.</summary>
    public static bool MayActFor(this ClaimsPrincipal user, string agentId) =>
        !user.IsInRole(Roles.Agent) || user.Identity?.Name == agentId;
}
