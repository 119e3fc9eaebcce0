namespace ContactCenter.Hosting;

/// <summary>The sections of the API document, by who uses them.</summary>
public static class ApiTags
{
    public const string Gateways = "Gateways";
    public const string Calls = "Calls";
    public const string Agents = "Agents";
    public const string Queues = "Queues";
    public const string Supervisors = "Supervisors";
    public const string Reports = "Reports";
    public const string Surveys = "Surveys";
    public const string WorkOrders = "WorkOrders";
    public const string Administration = "Administration";
}
