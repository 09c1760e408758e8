using System.Data;
using Dapper;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

public sealed record TaskFilter(
    long? CampaignId = null, string? Status = null, string? AssignedTo = null, string? CityCode = null,
    string? ScenarioId = null, string? SubscriberId = null, int Limit = 2000);

/// <summary>
/// A task on the supervisor's list; names (campaign title, customer, city, agent) in the supervisor's language.
/// <see cref="MergedInto"/>: closed because its reasons joined the subscriber's other live task.
/// </summary>
public sealed record SupervisedTask(
    long TaskId, long CampaignId, string? CampaignName, string SubscriberId, string? CustomerName, string CityCode,
    string? CityName, string? ValueTier, double PriorityScore, int? Priority, string ScenarioIds, string Status,
    string? Result, string? TeamId, string? AssignedTo, string? AgentName, DateOnly? DueDate, DateTime? CallbackAt,
    int Attempts, int Version, long? MergedInto);

/// <summary>A campaign's tasks in the supervisor's regions; Linked: members served by their live task of another campaign.</summary>
public sealed record CampaignLine(
    long CampaignId, string Name, string Kind, DateOnly Period, string Status, long Tasks, long Unassigned, long InWork,
    long Done, long Closed, long Linked);

public sealed record AgentLoad(
    string Username, string DisplayName, string TeamId, string? CityCode, string TeamKind, int Capacity, long OpenTasks,
    long Callbacks, long Done);

/// <summary>A distribution: how many of the campaign's tasks in the regions were unassigned, and how many got an agent.</summary>
public sealed record DistributeResult(int Unassigned, int Distributed)
{
    /// <summary>Tasks that still wait: the agents who serve them are at capacity.</summary>
    public int Waiting => Unassigned - Distributed;
}

/// <summary>A task as the supervisor saw it: the id and the version the change is conditional on.</summary>
public sealed record TaskRef(long TaskId, int Version);

/// <summary>How many of the requested tasks changed; the others changed in the meantime or are no longer assignable.</summary>
public sealed record BulkResult(int Requested, int Changed)
{
    public int Skipped => Requested - Changed;
}

/// <summary>
/// The supervisor's side of the call lists, always within the supervisor's regions: tasks and campaigns, agents'
/// workload, assigning and re-assigning (single, bulk, by the generator's routing rule), due dates and priorities, and
/// closing or recycling a campaign. Every change to a task is conditional on its version and bumps it. With several nodes
/// the tasks a change moved are journaled (<see cref="AgentJournal.TasksChanged"/>) once it is committed.
/// </summary>
public sealed class SupervisorDesk(Db db, TaskAccess access, WorkbenchOptions options, RegionClock clock, AgentJournal? journal = null)
{
    private DateTime Now => clock.Now;

    public IReadOnlyList<SupervisedTask> Tasks(Actor supervisor, TaskFilter? filter = null)
    {
        filter ??= new TaskFilter();
        if (supervisor.Scope.IsEmpty)
        {
            return [];
        }
        var args = supervisor.Scope.AddTo(new DynamicParameters());
        args.Add("campaign_id", filter.CampaignId);
        args.Add("status", Blank(filter.Status));
        args.Add("assigned_to", Blank(filter.AssignedTo));
        args.Add("city_code", Blank(filter.CityCode));
        args.Add("scenario_id", Blank(filter.ScenarioId));
        args.Add("subscriber_id", Blank(filter.SubscriberId)?.Trim());
        args.Add("limit", filter.Limit);
        args.Add("lang", supervisor.Language);
        using var c = db.Connect();
        return c.Query<SupervisedTask>(db.Sql.Get("workbench/supervisor_tasks.sql"), args).ToList();
    }

    public IReadOnlyList<CampaignLine> Campaigns(Actor supervisor)
    {
        if (supervisor.Scope.IsEmpty)
        {
            return [];
        }
        using var c = db.Connect();
        var args = supervisor.Scope.AddTo(new DynamicParameters());
        args.Add("lang", supervisor.Language);
        return c.Query<CampaignLine>(db.Sql.Get("workbench/supervisor_campaigns.sql"), args).ToList();
    }

    public IReadOnlyList<AgentLoad> Agents(Actor supervisor)
    {
        if (supervisor.Scope.IsEmpty)
        {
            return [];
        }
        using var c = db.Connect();
        return c.Query<AgentLoad>(db.Sql.Get("workbench/agent_load.sql"), supervisor.Scope.AddTo(new DynamicParameters())).ToList();
    }

    /// <summary>
    /// Assigns the tasks to one agent of the supervisor's regions (null: back to the unassigned pool). Refused as a
    /// whole when a task lies outside the regions (audited) or the agent would hold more than their capacity;
    /// tasks changed since they were read or no longer assignable are skipped.
    /// </summary>
    public BulkResult Assign(Actor supervisor, IReadOnlyCollection<TaskRef> tasks, string? username) =>
        Bulk(supervisor, tasks, "assign", (c, tx, refs, heads) =>
        {
            string? teamId = null;
            if (username is not null)
            {
                var agent = Agents(supervisor).FirstOrDefault(a => a.Username == username)
                    ?? throw new WorkbenchException(WorkbenchFailure.Refused, "unknown_agent", "The agent is not in the supervisor's regions.");
                teamId = agent.TeamId;
                var incoming = heads.Count(h => h.AssignedTo != username && TaskVocabulary.Assignable.Contains(h.Status));
                var held = c.ExecuteScalar<long>(db.Sql.Get("workbench/agent_open_tasks.sql"), new { username }, tx);
                if (held + incoming > agent.Capacity)
                {
                    throw new WorkbenchException(WorkbenchFailure.Refused, "over_capacity",
                        $"Agent {username} holds {held} of {agent.Capacity} tasks; {incoming} more do not fit.");
                }
            }
            return c.Execute(db.Sql.Get("workbench/assign_tasks.sql"), new
            {
                username, team_id = teamId, now = Now,
                task_ids = string.Join(',', refs.Select(r => r.TaskId)), versions = string.Join(',', refs.Select(r => r.Version)),
            }, tx);
        });

    /// <summary>Due date and/or priority override (1 most urgent .. 5) of unfinished tasks; clearPriority returns them to the score order.</summary>
    public BulkResult Schedule(Actor supervisor, IReadOnlyCollection<TaskRef> tasks, DateOnly? dueDate, int? priority, bool clearPriority = false)
    {
        if (priority is < 1 or > 5)
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "invalid_priority", "Priority runs from 1 to 5.");
        }
        return Bulk(supervisor, tasks, "schedule", (c, tx, refs, _) =>
            c.Execute(db.Sql.Get("workbench/set_due_priority.sql"), new
            {
                due_date = dueDate, priority, clear_priority = clearPriority, now = Now,
                task_ids = string.Join(',', refs.Select(r => r.TaskId)), versions = string.Join(',', refs.Select(r => r.Version)),
            }, tx));
    }

    /// <summary>
    /// Distributes the campaign's unassigned tasks in the supervisor's regions by the call-list routing rule:
    /// account managers for their high-value subscribers, the city team's agents by capacity, value tier and load.
    /// Returns how many tasks were waiting and how many of them got an agent.
    /// </summary>
    public DistributeResult Distribute(Actor supervisor, long campaignId)
    {
        RequireCampaign(supervisor, campaignId, "distribute");
        return ConflictRetry.Run(options.ConflictRetries, () =>
        {
            using var c = db.Connect();
            using var tx = c.BeginTransaction();
            var args = supervisor.Scope.AddTo(new DynamicParameters());
            args.Add("campaign_id", campaignId);
            args.Add("now", Now);
            var before = c.ExecuteScalar<long>(db.Sql.Get("workbench/campaign_open_in_scope.sql"), args, tx);
            BeforeChange(c, tx, "workbench/tasks_before_campaign.sql", new { campaign_id = campaignId });
            c.Execute(db.Sql.Get("tasks/assign_tasks.sql"), args, tx, commandTimeout: 0);
            var moved = Changed(c, tx);
            var after = c.ExecuteScalar<long>(db.Sql.Get("workbench/campaign_open_in_scope.sql"), args, tx);
            tx.Commit();
            journal?.TasksChanged(supervisor, moved, Now);
            return new DistributeResult((int)before, (int)(before - after));
        });
    }

    /// <summary>Closes every unfinished task of the campaign in the supervisor's regions; the campaign closes when none is left.</summary>
    public int Close(Actor supervisor, long campaignId) => CampaignChange(supervisor, campaignId, "close", "workbench/close_campaign.sql", "open");

    /// <summary>Puts the never-reached tasks of the campaign back into the unassigned pool, attempts kept.</summary>
    public int Recycle(Actor supervisor, long campaignId) => CampaignChange(supervisor, campaignId, "recycle", "workbench/recycle_campaign.sql", "recycled");

    private int CampaignChange(Actor supervisor, long campaignId, string what, string sqlFile, string status)
    {
        RequireCampaign(supervisor, campaignId, what);
        return ConflictRetry.Run(options.ConflictRetries, () =>
        {
            using var c = db.Connect();
            using var tx = c.BeginTransaction();
            var args = supervisor.Scope.AddTo(new DynamicParameters());
            args.Add("campaign_id", campaignId);
            args.Add("now", Now);
            BeforeChange(c, tx, "workbench/tasks_before_campaign.sql", new { campaign_id = campaignId });
            var changed = c.Execute(db.Sql.Get(sqlFile), args, tx);
            c.Execute(db.Sql.Get("workbench/campaign_status.sql"), new { campaign_id = campaignId, status }, tx);
            var moved = Changed(c, tx);
            tx.Commit();
            journal?.TasksChanged(supervisor, moved, Now, new CampaignAfter(campaignId, status));
            return changed;
        });
    }

    private void RequireCampaign(Actor supervisor, long campaignId, string what)
    {
        using var c = db.Connect();
        var args = supervisor.Scope.AddTo(new DynamicParameters());
        args.Add("campaign_id", campaignId);
        var inScope = supervisor.IsSupervisor && c.ExecuteScalar<long>(db.Sql.Get("workbench/campaign_tasks_in_scope.sql"), args) > 0;
        if (!inScope)
        {
            access.Deny(supervisor, $"campaign:{campaignId}", what);
            throw new WorkbenchException(WorkbenchFailure.Denied, "task_denied", $"Campaign {campaignId} is not open to {supervisor.Username}.");
        }
    }

    private BulkResult Bulk(Actor supervisor, IReadOnlyCollection<TaskRef> tasks, string what,
        Func<IDbConnection, IDbTransaction, IReadOnlyList<TaskRef>, IReadOnlyList<TaskHead>, int> change)
    {
        var refs = tasks.DistinctBy(t => t.TaskId).ToList();
        if (refs.Count == 0)
        {
            return new BulkResult(0, 0);
        }
        return ConflictRetry.Run(options.ConflictRetries, () =>
        {
            using var c = db.Connect();
            using var tx = c.BeginTransaction();
            var heads = c.Query<TaskHead>(db.Sql.Get("workbench/task_heads.sql"),
                new { task_ids = string.Join(',', refs.Select(r => r.TaskId)) }, tx).ToList();
            var denied = refs.Select(r => r.TaskId)
                .Except(heads.Where(h => supervisor.IsSupervisor && TaskAccess.Allows(supervisor, h)).Select(h => h.TaskId)).ToList();
            if (denied.Count > 0)
            {
                access.Deny(supervisor, $"task:{denied[0]}", $"{what};denied={denied.Count}");
                throw new WorkbenchException(WorkbenchFailure.Denied, "task_denied", $"{denied.Count} task(s) are not open to {supervisor.Username}.");
            }
            BeforeChange(c, tx, "workbench/tasks_before_ids.sql", new { task_ids = string.Join(',', refs.Select(r => r.TaskId)) });
            var changed = change(c, tx, refs, heads);
            var moved = Changed(c, tx);
            tx.Commit();
            journal?.TasksChanged(supervisor, moved, Now);
            return new BulkResult(refs.Count, changed);
        });
    }

    /// <summary>With a journal: the versions of the tasks the change may move, before it (temp table <c>task_before</c>).</summary>
    private void BeforeChange(IDbConnection c, IDbTransaction tx, string sqlFile, object args)
    {
        if (journal is not null)
        {
            c.Execute(db.Sql.Get(sqlFile), args, tx);
        }
    }

    /// <summary>With a journal: the tasks the change moved, as it left them; none without one.</summary>
    private List<TaskAfter> Changed(IDbConnection c, IDbTransaction tx)
    {
        if (journal is null)
        {
            return [];
        }
        var moved = c.Query<TaskAfter>(db.Sql.Get("workbench/tasks_changed.sql"), transaction: tx).ToList();
        c.Execute("drop table task_before", transaction: tx);
        return moved;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
