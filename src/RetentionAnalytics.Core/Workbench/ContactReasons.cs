using System.Data;
using Dapper;
using RetentionAnalytics.Core.Customers;
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
/// events, most telling first (at most <see cref="MaxReasons"/>). The task's scenarios come from ops, the alerts from
/// the detectors and the events from the warehouse's serving profile, each read by key and combined here.
/// </summary>
public sealed class ContactReasons(Db db, TaskAccess access)
{
    public const int MaxReasons = 8;

    /// <summary>
    /// The reasons of a task the actor may see; <paramref name="warehouse"/>: the subscriber's warehouse reasons when the
    /// caller has just read them with the 360 (otherwise they are read by key).
    /// </summary>
    public IReadOnlyList<ContactReason> For(Actor actor, long taskId, IReadOnlyList<WarehouseReason>? warehouse = null)
    {
        using var c = db.Connect();
        return For(c, actor, access.Require(actor, access.Head(c, taskId), taskId, "reasons"), warehouse);
    }

    /// <summary>
    /// The reasons of a task whose head the caller has read and checked, on the caller's connection;
    /// <paramref name="subscriberAlerts"/>: the subscriber's alerts when the caller has just read them with the 360
    /// (otherwise they are read by key).
    /// </summary>
    public IReadOnlyList<ContactReason> For(IDbConnection c, Actor actor, TaskHead head, IReadOnlyList<WarehouseReason>? warehouse,
        IReadOnlyList<SubscriberAlert>? subscriberAlerts = null)
    {
        var taskId = head.TaskId;
        var behind = c.Query<(string ScenarioId, DateOnly Period)>(db.Sql.Get("workbench/task_scenarios.sql"), new { task_id = taskId })
            .ToHashSet();
        var alerts = (subscriberAlerts ?? Customer360.Alerts(c, db, head.SubscriberId, actor.Language))
            .Where(a => behind.Contains((a.ScenarioId, a.Period)))
            .Select(a => new ContactReason("alert", a.ScenarioId, a.ScenarioName, a.Evidence, 1 + a.Score, a.EvidenceJson))
            .GroupBy(a => a.Code, StringComparer.Ordinal)
            .Select(g => g.OrderByDescending(a => a.Weight).ThenByDescending(a => a.Detail, StringComparer.Ordinal).First());
        warehouse ??= ProfileJson.List<WarehouseReason>(c.ExecuteScalar<string?>(
            db.Sql.Get("customers/c360_serving_reasons.sql"), new { subscriber_id = head.SubscriberId }));
        return alerts
            .Concat(warehouse.Select(w => new ContactReason(w.Kind, w.Code, w.Name, w.Detail, w.Weight)))
            .OrderByDescending(r => r.Weight)
            .ThenBy(r => r.Kind, StringComparer.Ordinal)
            .ThenBy(r => r.Code is null)
            .ThenBy(r => r.Code, StringComparer.Ordinal)
            .Take(MaxReasons)
            .ToList();
    }
}
