using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

public sealed record JournalReplay(int Entries, int Applied, int AlreadyThere, int Failed);

/// <summary>
/// A task as a supervisor's change left it (<c>workbench/tasks_changed.sql</c>), with the version it had before; with
/// <see cref="CampaignStatus"/> the change also set its campaign's status (<c>workbench/campaign_status.sql</c>).
/// </summary>
public sealed record TaskAfter(
    long TaskId, int VersionBefore, long CampaignId, string Status, string? AssignedTo, string? TeamId, DateOnly? DueDate,
    int? Priority, DateTime? CallbackAt, DateTime? ClosedAt, int Version, DateTime UpdatedAt, string? CampaignStatus = null);

/// <summary>
/// With several nodes (docs/deploy.md) tasks and outcomes still live in the writer's warehouse file, and a node that
/// takes over starts from the writer's last published build. So that an agent's work since that build survives the
/// writer, every claim and outcome (and a dialer's take of a task for an agent, and its undoing), and every task a
/// supervisor's change moved (assigned, scheduled, distributed, closed, recycled: <see cref="TasksChanged"/>), is journaled in PostgreSQL (<c>ops.agent_journal</c>) right after it was committed
/// to the file, and the node that takes over applies the journal rows written since the build it starts from
/// (<see cref="Replay"/>), before it serves. A row changes a task only from the version it started from, so one the
/// build already holds, or that someone overtook, changes nothing, and a replay can run twice. Logs carry task ids only.
/// </summary>
public sealed class AgentJournal(Db db, string node, ILogger<AgentJournal> log)
{
    private sealed record Row(
        long JournalId, string Kind, long TaskId, int TaskVersion, string Username, bool IsSupervisor, DateTime MadeAt, string? PayloadJson);

    /// <summary>The assignment a dialer's take of a task had replaced, put back when its outcome was refused.</summary>
    private sealed record Restored(string? AssignedTo, string Status);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Before a build is published, rows older than this are dropped: the builds kept contain them.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(2);

    /// <summary>Clocks of the nodes may differ by this much; a replay starts this long before the build was published.</summary>
    public static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(10);

    public void Claimed(Actor actor, long taskId, int versionBefore, DateTime madeAt) =>
        Write("claim", actor, taskId, versionBefore, madeAt, payload: null);

    public void Recorded(Actor actor, OutcomeInput input, int versionBefore, DateTime madeAt) =>
        Write("outcome", actor, input.TaskId, versionBefore, madeAt, input);

    /// <summary>A dialer put the task through to the agent (<c>dialer/take_task.sql</c>).</summary>
    public void Taken(Actor agent, long taskId, int versionBefore, DateTime madeAt) =>
        Write("take", agent, taskId, versionBefore, madeAt, payload: null);

    /// <summary>The agent's dialer outcome was refused: the take is undone (<c>dialer/untake_task.sql</c>).</summary>
    public void Untaken(Actor agent, long taskId, int versionBefore, string? assignedTo, string status, DateTime madeAt) =>
        Write("untake", agent, taskId, versionBefore, madeAt, new Restored(assignedTo, status));

    /// <summary>
    /// The tasks a supervisor's change moved, one row each with the state it left them in, written in one COPY: closing
    /// a campaign can move thousands of tasks.
    /// </summary>
    public void TasksChanged(Actor supervisor, IReadOnlyList<TaskAfter> tasks, DateTime madeAt)
    {
        if (tasks.Count == 0)
        {
            return;
        }
        try
        {
            using var c = db.Ops.Connect();
            using var tx = c.BeginTransaction();
            // timestamp columns without a time zone: the values go in as they are
            var utc = DateTime.SpecifyKind(DateTime.UtcNow, DateTimeKind.Unspecified);
            var made = DateTime.SpecifyKind(madeAt, DateTimeKind.Unspecified);
            OpsDb.Append(c, "ops", "agent_journal",
                ["node", "kind", "task_id", "task_version", "username", "is_supervisor", "made_at", "made_at_utc", "payload_json"],
                tasks.Select(t => new object?[]
                {
                    node, "task", t.TaskId, t.VersionBefore, supervisor.Username, supervisor.IsSupervisor, made, utc,
                    JsonSerializer.Serialize(t, Json),
                }));
            tx.Commit();
        }
        catch (Exception ex)
        {
            log.LogWarning("A change of {Count} task(s) from task {TaskId} was saved but not journaled ({ExceptionType}): it is lost if this node dies before its next published build",
                tasks.Count, tasks[0].TaskId, ex.GetType().FullName);
        }
    }

    private void Write(string kind, Actor actor, long taskId, int versionBefore, DateTime madeAt, object? payload)
    {
        try
        {
            using var c = db.Ops.Connect();
            c.Execute(db.Ops.Sql.Get("cluster/journal_write.sql"), new
            {
                node, kind, task_id = taskId, task_version = versionBefore, username = actor.Username,
                is_supervisor = actor.IsSupervisor, made_at = madeAt, made_at_utc = DateTime.UtcNow,
                payload_json = payload is null ? null : JsonSerializer.Serialize(payload, payload.GetType(), Json),
            });
        }
        catch (Exception ex)
        {
            // the write itself is committed on this node; only a take-over before the next build would miss it
            log.LogWarning("The {Kind} of task {TaskId} was saved but not journaled ({ExceptionType}): it is lost if this node dies before its next published build",
                kind, taskId, ex.GetType().FullName);
        }
    }

    /// <summary>
    /// Applies, in the order they were made, the claims and outcomes journaled since <paramref name="sinceUtc"/> (the
    /// publication of the build this node holds, less <see cref="ClockMargin"/>) to this node's file through
    /// <paramref name="workbench"/>.
    /// </summary>
    public JournalReplay Replay(AgentWorkbench workbench, DateTime sinceUtc)
    {
        List<Row> rows;
        using (var c = db.Ops.Connect())
        {
            rows = c.Query<Row>(db.Ops.Sql.Get("cluster/journal_since.sql"), new { since_utc = sinceUtc }).ToList();
        }
        int applied = 0, there = 0, failed = 0;
        foreach (var row in rows)
        {
            var actor = new Actor(row.Username, RegionScope.WholeProvince, row.IsSupervisor);
            try
            {
                var done = row.Kind switch
                {
                    "claim" => workbench.ReplayClaim(actor, row.TaskId, row.TaskVersion, row.MadeAt),
                    "take" => workbench.ReplayChange("dialer/take_task.sql", new
                    {
                        task_id = row.TaskId, version = row.TaskVersion, agent = row.Username, now = row.MadeAt,
                    }),
                    "untake" => JsonSerializer.Deserialize<Restored>(row.PayloadJson!, Json)! is var restored && workbench.ReplayChange("dialer/untake_task.sql", new
                    {
                        task_id = row.TaskId, version = row.TaskVersion, assigned_to = restored.AssignedTo, status = restored.Status, now = row.MadeAt,
                    }),
                    "task" => ReplayTask(workbench, JsonSerializer.Deserialize<TaskAfter>(row.PayloadJson!, Json)!),
                    _ => workbench.ReplayOutcome(actor, JsonSerializer.Deserialize<OutcomeInput>(row.PayloadJson!, Json)! with { Version = row.TaskVersion }, row.MadeAt),
                };
                if (done)
                {
                    applied++;
                }
                else
                {
                    there++;
                }
            }
            catch (Exception ex)
            {
                failed++;
                log.LogError("Journal row {JournalId} ({Kind} of task {TaskId}) could not be applied: {ExceptionType}",
                    row.JournalId, row.Kind, row.TaskId, ex.GetType().FullName);
            }
        }
        if (rows.Count > 0)
        {
            log.LogInformation("Agents' journal since {Since:u}: {Entries} rows, {Applied} applied, {There} already in the build, {Failed} failed",
                sinceUtc, rows.Count, applied, there, failed);
        }
        return new JournalReplay(rows.Count, applied, there, failed);
    }

    /// <summary>A supervisor's change of one task, and of its campaign's status when the change set it.</summary>
    private static bool ReplayTask(AgentWorkbench workbench, TaskAfter t)
    {
        var done = workbench.ReplayChange("cluster/journal_task_state.sql", new
        {
            task_id = t.TaskId, task_version = t.VersionBefore, status = t.Status, assigned_to = t.AssignedTo, team_id = t.TeamId,
            due_date = t.DueDate, priority = t.Priority, callback_at = t.CallbackAt, closed_at = t.ClosedAt, version = t.Version,
            updated_at = t.UpdatedAt,
        });
        if (done && t.CampaignStatus is { } status)
        {
            workbench.ReplayChange("workbench/campaign_status.sql", new { campaign_id = t.CampaignId, status });
        }
        return done;
    }

    /// <summary>Drops rows older than <see cref="Retention"/> before <paramref name="nowUtc"/>.</summary>
    public int Prune(DateTime nowUtc)
    {
        using var c = db.Ops.Connect();
        return c.Execute(db.Ops.Sql.Get("cluster/journal_prune.sql"), new { before_utc = nowUtc - Retention });
    }
}
