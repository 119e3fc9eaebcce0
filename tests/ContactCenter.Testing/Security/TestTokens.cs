namespace ContactCenter.Testing;

/// <summary>The credentials every test host is configured with.</summary>
public static class TestTokens
{
    public const string NanjingGateway = "gw-nanjing-1";
    public const string NanjingToken = "test-token-nanjing";
    public const string HuaianGateway = "gw-huaian-1";
    public const string HuaianToken = "test-token-huaian";
    public const string SupervisorToken = "test-token-supervisor";
    public const string AdminToken = "test-token-admin";
    /// <summary>The desktop of agent <see cref="DeskAgent"/>, who may act only for themselves.</summary>
    public const string DeskAgent = "desk-agent-1";
    public const string DeskAgentToken = "test-token-desk-agent-1";
    /// <summary>A second agent's desktop, for what one agent may not do with another's.</summary>
    public const string OtherAgent = "desk-agent-2";
    public const string OtherAgentToken = "test-token-desk-agent-2";
    /// <summary>The desk of the department that owns fees and business complaints, and of one that owns network faults.</summary>
    public const string ItCenter = "it_center";
    public const string ItCenterToken = "test-token-it-center";
    public const string NetworkMaintenance = "network_maintenance";
    public const string NetworkMaintenanceToken = "test-token-network-maintenance";

    public static IEnumerable<KeyValuePair<string, string?>> Settings() =>
    [
        new("ContactCenter:Access:Gateways:0:Id", NanjingGateway),
        new("ContactCenter:Access:Gateways:0:Token", NanjingToken),
        new("ContactCenter:Access:Gateways:1:Id", HuaianGateway),
        new("ContactCenter:Access:Gateways:1:Token", HuaianToken),
        new("ContactCenter:Access:Operators:0:Name", "sup-1"),
        new("ContactCenter:Access:Operators:0:Token", SupervisorToken),
        new("ContactCenter:Access:Operators:0:Role", "supervisor"),
        new("ContactCenter:Access:Operators:1:Name", "admin-1"),
        new("ContactCenter:Access:Operators:1:Token", AdminToken),
        new("ContactCenter:Access:Operators:1:Role", "admin"),
        new("ContactCenter:Access:Agents:0:Id", DeskAgent),
        new("ContactCenter:Access:Agents:0:Token", DeskAgentToken),
        new("ContactCenter:Access:Agents:1:Id", OtherAgent),
        new("ContactCenter:Access:Agents:1:Token", OtherAgentToken),
        new("ContactCenter:Access:Departments:0:Id", ItCenter),
        new("ContactCenter:Access:Departments:0:Token", ItCenterToken),
        new("ContactCenter:Access:Departments:1:Id", NetworkMaintenance),
        new("ContactCenter:Access:Departments:1:Token", NetworkMaintenanceToken),
    ];
}
