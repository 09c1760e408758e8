using System.Data;
using Dapper;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

/// <summary>
/// The server-side check every workbench handler makes: an agent may touch only a task assigned to them in their
/// regions, a supervisor only tasks of their regions. Anything else -- an unknown id, someone else's task, a tampered
/// id in a URL or a form -- is refused the same way and audited as <c>task_denied</c>.
/// </summary>
public sealed class TaskAccess(Db db, AuditLog audit)
{
    public const string DeniedAction = "task_denied";

    public TaskHead? Head(IDbConnection c, long taskId, IDbTransaction? tx = null) =>
        c.QuerySingleOrDefault<TaskHead>(db.Sql.Get("workbench/task_head.sql"), new { task_id = taskId }, tx);

    /// <summary>The task if the actor may work it; otherwise audits and throws <see cref="WorkbenchFailure.Denied"/>.</summary>
    public TaskHead Require(Actor actor, TaskHead? head, long taskId, string what)
    {
        if (head is not null && Allows(actor, head))
        {
            return head;
        }
        Deny(actor, $"task:{taskId}", what);
        throw new WorkbenchException(WorkbenchFailure.Denied, "task_denied", $"Task {taskId} is not open to {actor.Username}.");
    }

    public static bool Allows(Actor actor, TaskHead head) =>
        actor.Scope.Allows(head.CityCode) && (actor.IsSupervisor || head.AssignedTo == actor.Username);

    public void Deny(Actor actor, string target, string what) =>
        audit.Write(actor.Username, DeniedAction, target, "denied", $"action={what}", actor.ClientIp);
}
