namespace ContactCenter.WorkOrders;

/// <summary>
/// Complaint work orders (section <c>ContactCenter:WorkOrders</c>): the categories and the department that owns each,
/// and the deadlines of a department's reply.
/// </summary>
public sealed class WorkOrderOptions
{
    public const string Section = "ContactCenter:WorkOrders";

    /// <summary>
    /// The complaint categories by id, each with its owning department. The defaults are the reference center's: five of
    /// them make up 80% of its complaints. Configuration adds categories or gives one another department.
    /// </summary>
    public Dictionary<string, WorkOrderCategory> Categories { get; set; } = new(StringComparer.Ordinal)
    {
        ["basic_communication"] = new() { Name = "基础通信", Department = "network_maintenance" },
        ["data_services"] = new() { Name = "数据及增值业务", Department = "data_services_center" },
        ["fees_and_business"] = new() { Name = "资费及业务支撑", Department = "it_center" },
        ["marketing"] = new() { Name = "营销活动", Department = "marketing_support" },
        ["service_quality"] = new() { Name = "服务质量", Department = "service_quality" },
        ["group_business"] = new() { Name = "集团业务", Department = "group_customers" },
        ["other"] = new() { Name = "其他", Department = "customer_service" },
    };

    /// <summary>The department's reply is due this long after it has the order; later, the order is overdue.</summary>
    public TimeSpan ReplyWithin { get; set; } = TimeSpan.FromHours(48);

    /// <summary>An order without a reply this long after the department had it is a problem order.</summary>
    public TimeSpan ProblemAfter { get; set; } = TimeSpan.FromHours(72);

    /// <summary>The category of the order a low satisfaction score opens (the survey's call's queue and agent in its summary).</summary>
    public string LowScoreCategory { get; set; } = "service_quality";

    public string? Validate() =>
        Categories.Count == 0 ? "WorkOrders:Categories must name at least one category"
        : Categories.FirstOrDefault(c => !WorkOrderLimits.IsName(c.Key) || !WorkOrderLimits.IsName(c.Value.Department)) is { Key: { } bad }
            ? $"WorkOrders:Categories:{bad}: a category and its Department are 1-{WorkOrderLimits.MaxNameLength} of a-z 0-9 _ -"
        : ReplyWithin <= TimeSpan.Zero || ProblemAfter <= ReplyWithin ? "WorkOrders:ReplyWithin must be positive and ProblemAfter longer"
        : !Categories.ContainsKey(LowScoreCategory) ? $"WorkOrders:LowScoreCategory '{LowScoreCategory}' is not one of the categories"
        : null;

    /// <summary>The department that owns <paramref name="category"/>; null for a category the center does not have.</summary>
    public string? DepartmentOf(string category) => Categories.TryGetValue(category, out var known) ? known.Department : null;
}

public sealed class WorkOrderCategory
{
    /// <summary>How desks and reports name it.</summary>
    public string Name { get; set; } = "";

    /// <summary>The back-office department that owns its orders (the id its desk signs in with).</summary>
    public string Department { get; set; } = "";
}

/// <summary>What an order and its entries may hold: bounded, so a desk cannot make an order unboundedly large.</summary>
public static class WorkOrderLimits
{
    public const int MaxNameLength = 40;
    public const int MaxSummaryLength = 500;
    public const int MaxTextLength = 2_000;
    /// <summary>Entries in an order's history after which a note is refused (an order with 200 entries needs a person, not a note); the flow's own steps are still taken.</summary>
    public const int MaxNotedEntries = 200;

    /// <summary>
    /// Text a desk may write into an order: no control characters but line breaks and tabs, and well-formed UTF-16 (a lone
    /// surrogate is no text, and PostgreSQL's JSON refuses it).
    /// </summary>
    public static bool IsText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))
            {
                return false;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++; // a pair: one character beyond the basic plane
            }
            else if (char.IsSurrogate(c))
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsName(string? name) =>
        name is { Length: > 0 and <= MaxNameLength } && name.AsSpan().IndexOfAnyExcept("abcdefghijklmnopqrstuvwxyz0123456789_-") < 0;
}
