using System.Security.Claims;
using ContactCenter.Security;

namespace ContactCenter.WorkOrders;

/// <summary>
/// Who may do what with a work order, the one place that says so: an agent sees and acts on the orders they own (they
/// are its first responder), a department on its own department's orders (the reply), an operator on all. What the
/// flow itself allows in each state is <see cref="WorkOrderLife"/>'s.
/// </summary>
public static class WorkOrderAccess
{
    public static bool MaySee(ClaimsPrincipal user, WorkOrderView order) =>
        user.IsAgent() ? order.Owner == user.Identity?.Name
        : user.IsDepartment() ? order.Department == user.Identity?.Name
        : true;

    /// <summary>A note from anyone who may see the order; the reply from its department; the front line's steps from its owner; all from an operator.</summary>
    public static bool MayDo(ClaimsPrincipal user, WorkOrderView order, WorkOrderAction action) =>
        MaySee(user, order) && action switch
        {
            WorkOrderAction.Note => true,
            WorkOrderAction.Reply => !user.IsAgent(),
            _ => !user.IsDepartment(),
        };

    /// <summary>A supervisor or an admin: may overrule the flow (close an order its department never answered).</summary>
    public static bool IsOperator(ClaimsPrincipal user) => !user.IsAgent() && !user.IsDepartment();

    /// <summary>How the user appears in an order's history: "agent:a1", "department:it_center", "supervisor:li".</summary>
    public static string Actor(ClaimsPrincipal user) => $"{user.FindFirstValue(ClaimTypes.Role)}:{user.Identity?.Name}";
}
