using System.Diagnostics;
using Microsoft.Extensions.Logging;
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
/// due callback → in progress), then the contacts, the 360 and the reasons are read by key, each once: the contacts
/// are also the 360's retention contacts, the warehouse part (from the serving profile) and the subscriber's alerts
/// serve both the 360 and the reasons. Every read is over ops.*, det.alert or the serving profile. The time of each
/// step is logged at Debug level (task id only).
/// </summary>
public sealed class TaskOpening(Db db, AgentWorkbench workbench, ContactReasons reasons, Customer360 customers, ILogger<TaskOpening> log)
{
    /// <param name="claim">The caller works calls (an agent): their own assigned task or due callback is claimed.</param>
    public OpenedTaskView Open(Actor actor, CustomerViewer viewer, long taskId, bool claim)
    {
        var clock = Stopwatch.StartNew();
        using var c = db.Connect();
        var connected = clock.Elapsed.TotalMilliseconds;
        var detail = workbench.Detail(c, actor, taskId);
        var read = clock.Elapsed.TotalMilliseconds;
        var claimed = false;
        if (claim && detail.AssignedTo == actor.Username && detail.Status is "assigned" or "callback")
        {
            (detail, claimed) = workbench.Claim(c, actor, detail);
        }
        var claimedAt = clock.Elapsed.TotalMilliseconds;
        // the contacts so far are the 360's retention contacts too: read once
        var contacts = workbench.Contacts(c, actor, taskId);
        var contactsAt = clock.Elapsed.TotalMilliseconds;
        var customer = customers.Read(c, detail.SubscriberId, viewer, contacts.Select(AsRetentionContact).ToList());
        var customerAt = clock.Elapsed.TotalMilliseconds;
        var why = reasons.For(c, actor, detail.ToHead(), customer?.Reasons, customer?.Alerts);
        log.LogDebug("Task {TaskId} opened in {Total:F1} ms: connect {Connect:F1}, task {Task:F1}, claim {Claim:F1}, contacts {Contacts:F1}, 360 {Customer:F1}, reasons {Reasons:F1}",
            taskId, clock.Elapsed.TotalMilliseconds, connected, read - connected, claimedAt - read, contactsAt - claimedAt,
            customerAt - contactsAt, clock.Elapsed.TotalMilliseconds - customerAt);
        return new OpenedTaskView(detail, claimed, customer?.View, why, contacts);
    }

    private static RetentionContactLine AsRetentionContact(ContactLine l) =>
        new(l.ContactId, l.Channel, l.ContactTime, l.TaskId, l.Username, l.Outcome, l.CampaignName, l.AgentName);
}
