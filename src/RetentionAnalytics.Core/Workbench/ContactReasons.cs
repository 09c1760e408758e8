using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

/// <summary>
/// One probable reason for the call. Kind: alert (Code = scenario id, Name = its name in the user's language,
/// Detail = the detector's evidence in English, EvidenceJson = its figures by name, to word in other languages),
/// complaint (Code/Name = category, Detail = date), arrears (Detail = amount owed), contract_end (Code = policy,
/// Name = its name, Detail = days left), plan_change (Code = new plan's name, Name = previous plan's, Detail = since).
/// </summary>
public sealed record ContactReason(string Kind, string? Code, string? Name, string? Detail, double Weight, string? EvidenceJson = null);

/// <summary>
/// Why the agent is calling: the alerts behind the task and the campaigns linked to it, and the subscriber's recent
/// events, most telling first.
/// </summary>
public sealed class ContactReasons(Db db, TaskAccess access)
{
    public IReadOnlyList<ContactReason> For(Actor actor, long taskId)
    {
        using var c = db.Connect();
        var head = access.Require(actor, access.Head(c, taskId), taskId, "reasons");
        return c.Query<ContactReason>(db.Sql.Get("workbench/contact_reasons.sql"), new
        {
            task_id = taskId, subscriber_id = head.SubscriberId, lang = actor.Language,
        }).ToList();
    }
}
