namespace ContactCenter.Security;

/// <summary>Who may call the API: gateways and operators, each with a bearer token (section <c>ContactCenter:Access</c>).</summary>
public sealed class AccessOptions
{
    public List<GatewayAccess> Gateways { get; init; } = [];

    public List<OperatorAccess> Operators { get; init; } = [];

    public List<AgentAccess> Agents { get; init; } = [];

    public List<DepartmentAccess> Departments { get; init; } = [];
}

/// <summary>A telephony gateway: it reports calls and may read only its own.</summary>
public sealed class GatewayAccess
{
    public required string Id { get; init; }

    public required string Token { get; init; }

    /// <summary>The region the gateway serves.</summary>
    public string? Region { get; init; }

    /// <summary>
    /// Where the gateway serves its calls' recordings (a SIP edge: its HTTP address, <c>http://edge-nanjing-1:5090</c>),
    /// read with the gateway's own token; none, and its recordings cannot be played through the cluster.
    /// </summary>
    public Uri? RecordingsUrl { get; init; }
}

/// <summary>A person or tool that watches or runs the center.</summary>
public sealed class OperatorAccess
{
    public required string Name { get; init; }

    public required string Token { get; init; }

    /// <summary><see cref="Roles.Supervisor"/> or <see cref="Roles.Admin"/>.</summary>
    public required string Role { get; init; }
}

/// <summary>An agent's desktop: it may change and read that agent's own state only.</summary>
public sealed class AgentAccess
{
    public required string Id { get; init; }

    public required string Token { get; init; }
}

/// <summary>A back-office department's desk: it may read and reply to the work orders of its own department only.</summary>
public sealed class DepartmentAccess
{
    /// <summary>The department's id, as the work-order categories name it (<c>ContactCenter:WorkOrders:Categories</c>).</summary>
    public required string Id { get; init; }

    public required string Token { get; init; }
}

public static class Roles
{
    public const string Agent = "agent";
    public const string Gateway = "gateway";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";
    public const string Department = "department";
    /// <summary>The SMS gateway (Kannel) passing on subscribers' texts and delivery reports, by its key.</summary>
    public const string SmsGateway = "sms-gateway";
    /// <summary>Agents (their own orders), departments (theirs) and operators (all).</summary>
    public const string WorkOrders = "work-orders";
}

public static class AccessPolicies
{
    public const string Gateway = "gateway";
    public const string Operator = "operator";
    /// <summary>Gateways (their own calls) and operators (all calls).</summary>
    public const string CallReader = "call-reader";
    /// <summary>Agents (themselves only) and operators (any agent).</summary>
    public const string AgentDesk = "agent-desk";
    public const string Admin = "admin";
    public const string SmsGateway = "sms-gateway";
    /// <summary>Agents (their own orders), departments (theirs) and operators (all).</summary>
    public const string WorkOrders = "work-orders";
}
