using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

public sealed record JournalReplay(int Entries, int Applied, int AlreadyThere, int Failed);

/// <summary>
/// With several nodes (docs/deploy.md) tasks and outcomes still live in the writer's warehouse file, and a node that
/// takes over starts from the writer's last published build. So that an agent's work since that build survives the
/// writer, every claim and outcome (and a dialer's take of a task for an agent, and its undoing) is journaled in PostgreSQL (<c>ops.agent_journal</c>) right after it was committed
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

    /// <summary>Drops rows older than <see cref="Retention"/> before <paramref name="nowUtc"/>.</summary>
    public int Prune(DateTime nowUtc)
    {
        using var c = db.Ops.Connect();
        return c.Execute(db.Ops.Sql.Get("cluster/journal_prune.sql"), new { before_utc = nowUtc - Retention });
    }
}
