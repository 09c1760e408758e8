using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

/// <summary>
/// One probable reason for the call. Kind: alert (Code = scenario id, Name = its name in the user's language,
/// Detail = the detector's evidence), complaint (Code/Name = category, Detail = date), arrears (Detail = amount
/// owed), contract_end (Code = policy, Name = its name, Detail = days left), plan_change (Code = new plan,
/// Name = previous plan, Detail = since).
/// </summary>
public sealed record ContactReason(string Kind, string? Code, string? Name, string? Detail, double Weight);

/// <summary>Why the agent is calling: the task's alerts and the subscriber's recent events, most telling first.</summary>
public sealed class ContactReasons(Db db, TaskAccess access)
{
    public IReadOnlyList<ContactReason> For(Actor actor, long taskId)
    {
        using var c = db.Connect();
        access.Require(actor, access.Head(c, taskId), taskId, "reasons");
        var task = c.QuerySingle<TaskDetail>(db.Sql.Get("workbench/task_detail.sql"), new { task_id = taskId });
        return c.Query<ContactReason>(db.Sql.Get("workbench/contact_reasons.sql"), new
        {
            subscriber_id = task.SubscriberId, period = task.Period, scenario_ids = task.ScenarioIds, lang = actor.Language,
        }).ToList();
    }
}
