using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

/// <summary>
/// A task as the agent sees it when it opens: the task, whether this open claimed it, the customer's 360 (null when the
/// subscriber is no longer current or outside the viewer's regions), the probable reasons and every contact so far.
/// </summary>
public sealed record OpenedTaskView(
    TaskDetail Task, bool Claimed, CustomerView? Customer, IReadOnlyList<ContactReason> Reasons, IReadOnlyList<ContactLine> Contacts);

/// <summary>
/// Opening a task for a call, shared by the task page and <c>POST /api/my-tasks/{id}/open</c>, on one connection: the
/// task is read once by key (and checked), the agent holding it claims it with one conditional update (assigned or a
/// due callback → in progress), then the 360 and the reasons are read by key -- the warehouse part once, from the
/// serving profile, for both -- and the contacts. Every read is over ops.*, det.alert or the serving profile.
/// </summary>
public sealed class TaskOpening(Db db, AgentWorkbench workbench, ContactReasons reasons, Customer360 customers)
{
    /// <param name="claim">The caller works calls (an agent): their own assigned task or due callback is claimed.</param>
    public OpenedTaskView Open(Actor actor, CustomerViewer viewer, long taskId, bool claim)
    {
        using var c = db.Connect();
        var detail = workbench.Detail(c, actor, taskId);
        var claimed = false;
        if (claim && detail.AssignedTo == actor.Username && detail.Status is "assigned" or "callback")
        {
            (detail, claimed) = workbench.Claim(c, actor, detail);
        }
        var customer = customers.Read(c, detail.SubscriberId, viewer);
        return new OpenedTaskView(detail, claimed, customer?.View, reasons.For(c, actor, detail.ToHead(), customer?.Reasons),
            workbench.Contacts(c, actor, taskId));
    }
}
