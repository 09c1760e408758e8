using System.Data;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

/// <summary>A campaign as a person made it in the portal (<c>ops.campaign</c>), with a special campaign's segment (<c>ops.campaign_segment</c>).</summary>
public sealed record MadeCampaign(
    long CampaignId, string CampaignKey, string Name, string Kind, string? ScenarioId, DateOnly Period, double HoldoutPct, string Seed,
    string Status, DateTime CreatedAt, string CreatedBy, string? QuestionnaireId, bool? Demo,
    string? SegmentJson, DateOnly? FeatureMonth, bool? ScopeAll, string? ScopeCities);

/// <summary>A member a fill added (<c>ops.campaign_member</c>).</summary>
public sealed record MadeMember(
    long CampaignId, string SubscriberId, string CityCode, string MemberGroup, string? ExcludedReason, double RiskScore, DateTime AddedAt,
    string? ScenarioIds, string? ValueTier);

/// <summary>A task a fill created, as the fill left it (routed, named): every column of <c>ops.task</c>.</summary>
public sealed record MadeTask(
    long TaskId, long CampaignId, string SubscriberId, string CityCode, string? ValueTier, double PriorityScore, string ScenarioIds,
    string Status, string? TeamId, string? AssignedTo, DateOnly? DueDate, int Attempts, int Version, DateTime CreatedAt, DateTime UpdatedAt,
    string? Result, DateTime? CallbackAt, DateTime? LastAttemptAt, DateTime? ClosedAt, int? Priority, string? CustomerName, long? MergedInto);

/// <summary>A member a fill linked to its subscriber's live task in another campaign (<c>ops.task_link</c>).</summary>
public sealed record MadeLink(long TaskId, long CampaignId, string SubscriberId, string ScenarioIds, DateOnly Period, DateTime LinkedAt);

/// <summary>A generation run of a new-subscriber or special campaign (<c>ops.campaign_run</c>).</summary>
public sealed record MadeRun(long CampaignId, DateTime RunAt, string RunBy, string SettingsJson, long AddedMembers, long AddedTasks);

/// <summary>
/// What one change a person made in the portal wrote to a campaign in its transaction, read before the commit: the
/// campaign (when it was created), the members, tasks and links a fill added, its run, and the campaign's earlier tasks
/// the fill's routing assigned (with the version they had before).
/// </summary>
public sealed record CampaignMade(
    DateTime MadeAt, MadeCampaign? Campaign, IReadOnlyList<MadeMember> Members, IReadOnlyList<MadeTask> Tasks, IReadOnlyList<MadeLink> Links,
    IReadOnlyList<MadeRun> Runs, IReadOnlyList<TaskAfter> Routed);

/// <summary>
/// Campaigns people make while others work (a supervisor's special campaign and its refresh, a new-subscriber callback
/// list) in the agents' journal: with their ids, since agents and supervisors may already have opened the new tasks and
/// their later rows name them. One change is one COPY, the campaign first, then its members, tasks, links and run, then
/// the earlier tasks its routing moved (as a supervisor's change, kind task). The replay inserts each row only where it is
/// not there yet, before the claims and outcomes that wait for its tasks (a pass later), and then moves the node's id
/// sequences past the highest replayed ids. The nightly pipeline's call lists need none of this: the recovery run makes
/// them again (<c>ra tasks generate</c> run by hand is journaled like a list made in the portal).
/// </summary>
public sealed partial class AgentJournal
{
    private static bool IsMade(string kind) => kind is "made_campaign" or "made_member" or "made_task" or "made_link" or "made_run";

    /// <summary>
    /// The rows a change wrote to <paramref name="campaignId"/> in the transaction <paramref name="tx"/>, before it is
    /// committed (rows are matched by the transaction's time, which every row it wrote carries).
    /// </summary>
    public CampaignMade Read(IDbConnection c, IDbTransaction tx, long campaignId, bool created)
    {
        var args = new { campaign_id = campaignId };
        return new CampaignMade(
            c.ExecuteScalar<DateTime>("select cast(now() as timestamp)", transaction: tx),
            created ? c.QuerySingle<MadeCampaign>(db.Sql.Get("cluster/journal_made_campaign.sql"), args, tx) : null,
            c.Query<MadeMember>(db.Sql.Get("cluster/journal_made_members.sql"), args, tx).AsList(),
            c.Query<MadeTask>(db.Sql.Get("cluster/journal_made_tasks.sql"), args, tx).AsList(),
            c.Query<MadeLink>(db.Sql.Get("cluster/journal_made_links.sql"), args, tx).AsList(),
            c.Query<MadeRun>(db.Sql.Get("cluster/journal_made_runs.sql"), args, tx).AsList(),
            c.Query<TaskAfter>(db.Sql.Get("cluster/journal_routed_tasks.sql"), args, tx).AsList());
    }

    /// <summary>A change read by <see cref="Read"/>, once committed: one COPY, in the order the replay inserts it.</summary>
    public void Made(string username, CampaignMade made)
    {
        var entries = (made.Campaign is { } campaign ? [new Entry("made_campaign", null, null, campaign)] : Enumerable.Empty<Entry>())
            .Concat(made.Members.Select(m => new Entry("made_member", null, null, m)))
            .Concat(made.Tasks.Select(t => new Entry("made_task", t.TaskId, null, t)))
            .Concat(made.Links.Select(l => new Entry("made_link", l.TaskId, null, l)))
            .Concat(made.Runs.Select(r => new Entry("made_run", null, null, r)))
            .Concat(made.Routed.Select(t => new Entry("task", t.TaskId, t.VersionBefore, t)))
            .ToList();
        if (entries.Count == 0)
        {
            return;
        }
        try
        {
            Append(username, true, made.MadeAt, entries);
        }
        catch (Exception ex)
        {
            // the campaign itself is committed on this node; only a take-over before the next build would miss it
            log.LogWarning("A campaign change ({Count} row(s)) was saved but not journaled ({ExceptionType}): it is lost if this node dies before its next published build",
                entries.Count, ex.GetType().FullName);
        }
    }

    /// <summary>
    /// The journaled campaigns a replay left out (<c>cluster/journal_made_taken.sql</c>) and their tasks: every later row
    /// of theirs in the replay (a refresh, a claim, an outcome, a supervisor's change, a status) is left out too, since
    /// their ids may name this node's own campaign or tasks.
    /// </summary>
    private sealed class LeftOut
    {
        public HashSet<long> Campaigns { get; } = [];
        public HashSet<long> Tasks { get; } = [];

        public int Rows { get; set; }
    }

    /// <summary>A run of made rows on this node's file in one transaction: how many were inserted, and failures.</summary>
    private (int Applied, int Failed) ApplyMade(Db file, List<Row> batch, LeftOut left)
    {
        try
        {
            T[] Of<T>(string kind) => batch.Where(r => r.Kind == kind).Select(r => JsonSerializer.Deserialize<T>(r.PayloadJson!, Json)!).ToArray();
            var (campaigns, members, tasks, links, runs) =
                (Of<MadeCampaign>("made_campaign"), Of<MadeMember>("made_member"), Of<MadeTask>("made_task"), Of<MadeLink>("made_link"), Of<MadeRun>("made_run"));
            var (inserted, leftOut) = InTransaction(file, (c, tx) => InsertMade(c, tx, file, campaigns, members, tasks, links, runs, left));
            left.Campaigns.UnionWith(leftOut.Taken.Select(t => t.CampaignId));
            left.Tasks.UnionWith(leftOut.Tasks);
            left.Rows += leftOut.Rows;
            if (leftOut.Taken.Count > 0)
            {
                log.LogWarning("Journal rows {First}..{Last}: campaign(s) {Keys} left out with their members and tasks; this node has its own campaign of that key or id",
                    batch[0].JournalId, batch[^1].JournalId, string.Join(", ", leftOut.Taken.Select(t => t.CampaignKey)));
            }
            return (inserted, 0);
        }
        catch (Exception ex)
        {
            log.LogError("Journal rows {First}..{Last} ({Count} row(s) of a campaign made in the portal) could not be applied: {ExceptionType}",
                batch[0].JournalId, batch[^1].JournalId, batch.Count, ex.GetType().FullName);
            return (0, batch.Count);
        }
    }

    /// <summary>
    /// Inserts the rows that are not there yet through temp tables (<c>cluster/journal_made_tables.sql</c>); a new
    /// campaign gets its stored titles. A new campaign whose key or id this file has for another campaign is left out
    /// with its rows (<c>cluster/journal_made_taken.sql</c>): two lists of one key would each be worked. Returns the rows
    /// inserted (a campaign with its segment counts once) and the keys left out.
    /// </summary>
    /// <summary>What one change of the journal left out: its campaigns taken on this node, their tasks, the rows.</summary>
    private sealed record MadeLeftOut(IReadOnlyList<(long CampaignId, string CampaignKey)> Taken, IReadOnlyList<long> Tasks, int Rows);

    private static (int Inserted, MadeLeftOut LeftOut) InsertMade(DbConnection c, IDbTransaction tx, Db db, MadeCampaign[] campaigns, MadeMember[] members, MadeTask[] tasks,
        MadeLink[] links, MadeRun[] runs, LeftOut left)
    {
        c.Execute(db.Sql.Get("cluster/journal_made_tables.sql"), transaction: tx);
        OpsDb.Append(c, null, "journal_made_campaign",
            ["campaign_id", "campaign_key", "name", "kind", "scenario_id", "period", "holdout_pct", "seed", "status", "created_at", "created_by",
             "questionnaire_id", "demo", "segment_json", "feature_month", "scope_all", "scope_cities"],
            campaigns.Select(x => new object?[]
            {
                x.CampaignId, x.CampaignKey, x.Name, x.Kind, x.ScenarioId, x.Period, x.HoldoutPct, x.Seed, x.Status, x.CreatedAt, x.CreatedBy,
                x.QuestionnaireId, x.Demo, x.SegmentJson, x.FeatureMonth, x.ScopeAll, x.ScopeCities,
            }));
        var taken = c.Query<(long CampaignId, string CampaignKey)>(db.Sql.Get("cluster/journal_made_taken.sql"), transaction: tx).AsList();
        // the replay's left-out campaigns with this change's: taken into the replay's set only once the change commits
        var campaignsOut = left.Campaigns.Union(taken.Select(t => t.CampaignId)).ToHashSet();
        var tasksOut = tasks.Where(x => campaignsOut.Contains(x.CampaignId)).Select(x => x.TaskId).ToList();
        var given = members.Length + tasks.Length + links.Length + runs.Length;
        members = [.. members.Where(x => !campaignsOut.Contains(x.CampaignId))];
        tasks = [.. tasks.Where(x => !campaignsOut.Contains(x.CampaignId))];
        links = [.. links.Where(x => !campaignsOut.Contains(x.CampaignId))];
        runs = [.. runs.Where(x => !campaignsOut.Contains(x.CampaignId))];
        var rowsOut = taken.Count + given - (members.Length + tasks.Length + links.Length + runs.Length);
        OpsDb.Append(c, null, "journal_made_member",
            ["campaign_id", "subscriber_id", "city_code", "member_group", "excluded_reason", "risk_score", "added_at", "scenario_ids", "value_tier"],
            members.Select(x => new object?[]
            {
                x.CampaignId, x.SubscriberId, x.CityCode, x.MemberGroup, x.ExcludedReason, x.RiskScore, x.AddedAt, x.ScenarioIds, x.ValueTier,
            }));
        OpsDb.Append(c, null, "journal_made_task",
            ["task_id", "campaign_id", "subscriber_id", "city_code", "value_tier", "priority_score", "scenario_ids", "status", "team_id",
             "assigned_to", "due_date", "attempts", "version", "created_at", "updated_at", "result", "callback_at", "last_attempt_at",
             "closed_at", "priority", "customer_name", "merged_into"],
            tasks.Select(x => new object?[]
            {
                x.TaskId, x.CampaignId, x.SubscriberId, x.CityCode, x.ValueTier, x.PriorityScore, x.ScenarioIds, x.Status, x.TeamId,
                x.AssignedTo, x.DueDate, x.Attempts, x.Version, x.CreatedAt, x.UpdatedAt, x.Result, x.CallbackAt, x.LastAttemptAt,
                x.ClosedAt, x.Priority, x.CustomerName, x.MergedInto,
            }));
        OpsDb.Append(c, null, "journal_made_link",
            ["task_id", "campaign_id", "subscriber_id", "scenario_ids", "period", "linked_at"],
            links.Select(x => new object?[] { x.TaskId, x.CampaignId, x.SubscriberId, x.ScenarioIds, x.Period, x.LinkedAt }));
        OpsDb.Append(c, null, "journal_made_run",
            ["campaign_id", "run_at", "run_by", "settings_json", "added_members", "added_tasks"],
            runs.Select(x => new object?[] { x.CampaignId, x.RunAt, x.RunBy, x.SettingsJson, x.AddedMembers, x.AddedTasks }));
        c.Execute(db.Sql.Get("cluster/journal_made_insert_segments.sql"), transaction: tx);
        var created = c.Query<long>(db.Sql.Get("cluster/journal_made_insert_campaigns.sql"), transaction: tx).AsList();
        foreach (var campaignId in created)
        {
            CampaignTitles.Refresh(c, db, campaignId, tx);
        }
        var inserted = created.Count
            + c.Execute(db.Sql.Get("cluster/journal_made_insert_members.sql"), transaction: tx)
            + c.Execute(db.Sql.Get("cluster/journal_made_insert_tasks.sql"), transaction: tx)
            + c.Execute(db.Sql.Get("cluster/journal_made_insert_links.sql"), transaction: tx)
            + c.Execute(db.Sql.Get("cluster/journal_made_insert_runs.sql"), transaction: tx);
        c.Execute("drop table journal_made_campaign; drop table journal_made_member; drop table journal_made_task; drop table journal_made_link; drop table journal_made_run",
            transaction: tx);
        return (inserted, new MadeLeftOut(taken, tasksOut, rowsOut));
    }
}
