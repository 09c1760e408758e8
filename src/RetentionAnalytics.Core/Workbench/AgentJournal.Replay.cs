using System.Data;
using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

/// <summary>
/// The replay of the agents' journal onto this node's warehouse file (the workbench's <see cref="AgentWorkbench.Db"/>):
/// claims and outcomes go through the agent's own code (<see cref="AgentWorkbench.ReplayClaim"/>,
/// <see cref="AgentWorkbench.ReplayOutcome"/>), every other row through its own conditional statement here.
/// </summary>
public sealed partial class AgentJournal
{
    /// <summary>
    /// Applies, in the order they were made, the claims, outcomes and supervisors' changes journaled since
    /// <paramref name="sinceUtc"/> (the publication of the build this node holds, less <see cref="ClockMargin"/>) to this
    /// node's file through <paramref name="workbench"/>: rows that do not apply are tried again while a pass applies
    /// any; the campaigns' statuses follow once their tasks are back.
    /// </summary>
    public JournalReplay Replay(AgentWorkbench workbench, DateTime sinceUtc)
    {
        List<Row> rows;
        long through;
        using (var c = db.Ops.Connect())
        {
            // read first: a row another node writes from here on is a late one, its look's (ReplayLate)
            through = c.ExecuteScalar<long>(db.Ops.Sql.Get("cluster/journal_others_through.sql"), new { node });
            rows = c.Query<Row>(db.Ops.Sql.Get("cluster/journal_since.sql"), new { since_utc = Naive(sinceUtc) }).ToList();
        }
        var (replay, firstBusy) = Apply(workbench, rows, $"since {sinceUtc:u}");
        Volatile.Write(ref _lateAfter, Math.Min(through, firstBusy - 1));
        return replay;
    }

    /// <summary>
    /// On the writer, after its catch-up (<see cref="Replay"/>), every look: rows another node wrote to the journal
    /// since, in the order written. They are a former writer's rows the operational database did not take while it was
    /// the writer, paid once it answered again (after this node had taken over); each applies only from the version it
    /// started from, so one the work here has overtaken changes nothing. Nothing before the catch-up.
    /// </summary>
    public JournalReplay ReplayLate(AgentWorkbench workbench)
    {
        var after = Volatile.Read(ref _lateAfter);
        if (after < 0)
        {
            return new JournalReplay(0, 0, 0, 0);
        }
        List<Row> rows;
        using (var c = db.Ops.Connect())
        {
            rows = c.Query<Row>(db.Ops.Sql.Get("cluster/journal_late.sql"), new { node, after }).ToList();
        }
        if (rows.Count == 0)
        {
            return new JournalReplay(0, 0, 0, 0);
        }
        var (replay, firstBusy) = Apply(workbench, rows, $"written late by another node after {after}");
        Volatile.Write(ref _lateAfter, Math.Min(rows[^1].JournalId, firstBusy - 1));
        return replay;
    }

    /// <summary>
    /// Applies <paramref name="rows"/> in passes while a pass applies any; a row whose task stays in conflict with a live
    /// change on this node (the same task written at that moment, <see cref="Busy"/>) is tried again in a later pass.
    /// Returns the counts and the first journal id still busy after them (<see cref="long.MaxValue"/> when none): a look
    /// reads again from there, and the rows after it, already applied, change nothing the second time.
    /// </summary>
    private (JournalReplay Replay, long FirstBusy) Apply(AgentWorkbench workbench, List<Row> rows, string what)
    {
        int applied = 0, failed = 0, already = 0, skipped = 0, rounds = 0;
        var left = new LeftOut();
        var pending = rows.Where(r => r.Kind != "campaign").ToList();
        var busy = new List<Row>();
        while (pending.Count > 0)
        {
            var waiting = new List<Row>();
            busy.Clear();
            var before = applied;
            for (var i = 0; i < pending.Count;)
            {
                // a campaign made in the portal: its rows in one transaction, each inserted unless it is there, never again
                var made = pending.Skip(i).TakeWhile(r => IsMade(r.Kind)).ToList();
                if (made.Count > 0)
                {
                    var (inserted, errors) = ApplyMade(workbench.Db, made, left);
                    (applied, failed, already) = (applied + inserted, failed + errors, already + made.Count - inserted - errors);
                    i += made.Count;
                    continue;
                }
                // a supervisor's change: its tasks in one transaction
                var batch = pending.Skip(i).TakeWhile(r => r.Kind == "task").ToList();
                if (batch.Count > 0)
                {
                    i += batch.Count;
                    var (leftOut, rest) = (batch.Where(r => left.Tasks.Contains(r.TaskId!.Value)).ToList(), batch.Where(r => !left.Tasks.Contains(r.TaskId!.Value)).ToList());
                    (left.Rows, skipped) = (left.Rows + leftOut.Count, skipped + leftOut.Count);
                    if (rest.Count > 0)
                    {
                        var (done, notDone, errors) = ApplyTasks(workbench.Db, rest);
                        (applied, failed) = (applied + done, failed + errors);
                        waiting.AddRange(notDone.Rows);
                        busy.AddRange(notDone.Busy ? notDone.Rows : []);
                    }
                    continue;
                }
                var row = pending[i++];
                if (row.TaskId is { } task && left.Tasks.Contains(task))
                {
                    (left.Rows, skipped) = (left.Rows + 1, skipped + 1);
                    continue;
                }
                switch (Apply(workbench, row))
                {
                    case RowApplied.Applied:
                        applied++;
                        break;
                    case RowApplied.NotAtItsVersion:
                        waiting.Add(row);
                        break;
                    case RowApplied.Busy:
                        waiting.Add(row);
                        busy.Add(row);
                        break;
                    default:
                        failed++;
                        break;
                }
            }
            pending = waiting;
            // a pass that applied nothing ends the replay, unless rows are busy: then a few more after a pause
            if (applied == before && (busy.Count == 0 || ++rounds > BusyRounds))
            {
                break;
            }
            if (applied == before)
            {
                Thread.Sleep(Random.Shared.Next(20, 60) * rounds);
            }
        }
        var there = pending.Count - busy.Count + already + skipped;
        if (rows.Any(r => IsDialerOrCall(r.Kind) || IsMade(r.Kind)))
        {
            // the ids the dialer, the telephony integration and the portal were given are kept: this node's own come after them
            IdsPast(workbench.Db);
        }
        foreach (var row in rows.Where(r => r.Kind == "campaign"))
        {
            var campaign = JsonSerializer.Deserialize<CampaignAfter>(row.PayloadJson!, Json)!;
            if (left.Campaigns.Contains(campaign.CampaignId))
            {
                left.Rows++;
                there++;
            }
            else if (Change(workbench.Db, "workbench/campaign_status.sql", new { campaign_id = campaign.CampaignId, status = campaign.Status }))
            {
                applied++;
            }
            else
            {
                there++;
            }
        }
        if (rows.Count > 0)
        {
            log.LogInformation("Agents' journal {What}: {Entries} rows, {Applied} applied, {There} already in the build or left out ({LeftOut} of campaigns this node has its own of), {Busy} busy, read again at the next look, {Failed} failed",
                what, rows.Count, applied, there, left.Rows, busy.Count, failed);
        }
        return (new JournalReplay(rows.Count, applied, there, failed, busy.Count), busy.Count == 0 ? long.MaxValue : busy.Min(r => r.JournalId));
    }

    /// <summary>Passes after one that applied nothing while rows were busy, each after a longer pause.</summary>
    private const int BusyRounds = 3;

    /// <summary>What became of one journal row on this node's file.</summary>
    private enum RowApplied
    {
        Applied,
        /// <summary>Not at the version it started from (yet): in the build already, overtaken, or waiting for a row written after it.</summary>
        NotAtItsVersion,
        /// <summary>Its task was being written on this node at that moment (a transaction conflict): to be tried again.</summary>
        Busy,
        /// <summary>Could not be applied (logged).</summary>
        Failed,
    }

    /// <summary>One claim, outcome, take or untake (or a dialer's or an inbound call's row) on this node's file.</summary>
    private RowApplied Apply(AgentWorkbench workbench, Row row)
    {
        try
        {
            return ApplyOne(workbench, row) ? RowApplied.Applied : RowApplied.NotAtItsVersion;
        }
        catch (Exception ex) when (ConflictRetry.IsConflict(ex))
        {
            return RowApplied.Busy;
        }
        catch (Exception ex)
        {
            log.LogError("Journal row {JournalId} ({Kind} of task {TaskId}) could not be applied: {ExceptionType}",
                row.JournalId, row.Kind, row.TaskId, ex.GetType().FullName);
            return RowApplied.Failed;
        }
    }

    private bool ApplyOne(AgentWorkbench workbench, Row row)
    {
        if (IsDialerOrCall(row.Kind))
        {
            return ApplyDialerOrCall(workbench.Db, row);
        }
        var actor = new Actor(row.Username, RegionScope.WholeProvince, row.IsSupervisor);
        var taskId = row.TaskId!.Value;
        var version = row.TaskVersion!.Value;
        // not at the version it started from: in the build already, overtaken, or waiting for a row written after it
        if (VersionOf(workbench.Db, taskId) != version)
        {
            return false;
        }
        return row.Kind switch
        {
            "claim" => workbench.ReplayClaim(actor, taskId, version, row.MadeAt),
            "take" => Change(workbench.Db, "dialer/take_task.sql", new
            {
                task_id = taskId, version, agent = row.Username, now = row.MadeAt,
            }),
            "untake" => JsonSerializer.Deserialize<Restored>(row.PayloadJson!, Json)! is var restored && Change(workbench.Db, "dialer/untake_task.sql", new
            {
                task_id = taskId, version, assigned_to = restored.AssignedTo, status = restored.Status, now = row.MadeAt,
            }),
            _ => workbench.ReplayOutcome(actor, JsonSerializer.Deserialize<OutcomeInput>(row.PayloadJson!, Json)! with { Version = version }, row.MadeAt),
        };
    }

    /// <summary>
    /// A run of a supervisor's task rows in one transaction: how many applied, the rows not (yet) at their version (all of
    /// them, busy, when a task was being written on this node at that moment), failures.
    /// </summary>
    private (int Applied, (List<Row> Rows, bool Busy) NotApplied, int Failed) ApplyTasks(Db file, List<Row> batch)
    {
        try
        {
            var tasks = batch.Select(r => (Row: r, Task: JsonSerializer.Deserialize<TaskAfter>(r.PayloadJson!, Json)!)).ToList();
            var set = TaskStates(file, tasks.Select(t => t.Task).ToList());
            var notApplied = tasks.Where(t => !set.Contains((t.Task.TaskId, t.Task.Version))).Select(t => t.Row).ToList();
            return (batch.Count - notApplied.Count, (notApplied, false), 0);
        }
        catch (Exception ex) when (ConflictRetry.IsConflict(ex))
        {
            return (0, (batch, true), 0);
        }
        catch (Exception ex)
        {
            log.LogError("Journal rows {First}..{Last} (a supervisor's change of {Count} task(s)) could not be applied: {ExceptionType}",
                batch[0].JournalId, batch[^1].JournalId, batch.Count, ex.GetType().FullName);
            return (0, ([], false), batch.Count);
        }
    }

    /// <summary>A journaled change made by its own conditional statement on this node's file: false when it changed no row.</summary>
    private static bool Change(Db file, string sqlFile, object args)
    {
        using var c = file.Connect();
        return c.Execute(file.Sql.Get(sqlFile), args) == 1;
    }

    /// <summary>Journaled statements on this node's file in one transaction: the rows each changed.</summary>
    private static int[] Changes(Db file, params (string SqlFile, object Args)[] statements)
    {
        using var c = file.Connect();
        using var tx = c.BeginTransaction();
        var changed = statements.Select(s => c.Execute(file.Sql.Get(s.SqlFile), s.Args, tx)).ToArray();
        tx.Commit();
        return changed;
    }

    /// <summary>Journaled rows applied by <paramref name="apply"/> on this node's file in one transaction.</summary>
    private static T InTransaction<T>(Db file, Func<DbConnection, IDbTransaction, T> apply)
    {
        using var c = file.Connect();
        using var tx = c.BeginTransaction();
        var result = apply(c, tx);
        tx.Commit();
        return result;
    }

    /// <summary>
    /// The sequences whose ids a replay keeps (the ids the dialer, the telephony integration and the portal were given),
    /// with the table and column that hold them: a fixed list of identifiers for <c>cluster/journal_ids.sql</c> and
    /// <c>cluster/journal_ids_skip.sql</c>, never input.
    /// </summary>
    private static readonly (string Sequence, string Table, string Column)[] KeptIds =
    [
        ("ops.dialer_lease_id_seq", "ops.dialer_lease", "lease_id"),
        ("ops.dialer_attempt_id_seq", "ops.dialer_attempt", "attempt_id"),
        ("ops.inbound_call_id_seq", "ops.inbound_call", "call_id"),
        ("ops.campaign_id_seq", "ops.campaign", "campaign_id"),
        ("ops.task_id_seq", "ops.task", "task_id"),
    ];

    /// <summary>
    /// After a replay that gave leases, attempts, inbound calls, campaigns and tasks the ids they had on the writer: their
    /// sequences on this node's file move past the highest, so the rows this node writes next get new ones.
    /// </summary>
    private static void IdsPast(Db file)
    {
        using var c = file.Connect();
        foreach (var (sequence, table, column) in KeptIds)
        {
            string Sql(string sqlFile) => file.Sql.Get(sqlFile)
                .Replace("{sequence}", sequence, StringComparison.Ordinal)
                .Replace("{table}", table, StringComparison.Ordinal)
                .Replace("{column}", column, StringComparison.Ordinal);
            var (next, top) = c.QuerySingle<(long NextId, long TopId)>(Sql("cluster/journal_ids.sql"));
            if (top > next)
            {
                c.ExecuteScalar<long>(Sql("cluster/journal_ids_skip.sql"), new { count = top - next });
            }
        }
    }

    /// <summary>The version a task is at on this node's file, or null when it has none.</summary>
    private static int? VersionOf(Db file, long taskId)
    {
        using var c = file.Connect();
        return c.QuerySingleOrDefault<TaskHead>(file.Sql.Get("workbench/task_head.sql"), new { task_id = taskId })?.Version;
    }

    /// <summary>
    /// A supervisor's journaled change on this node's file, in one transaction: each task still at the version the change
    /// started from gets the state it left; the tasks set, with their new version.
    /// </summary>
    private static HashSet<(long TaskId, int Version)> TaskStates(Db file, IReadOnlyList<TaskAfter> tasks)
    {
        using var c = file.Connect();
        c.Execute(file.Sql.Get("cluster/journal_task_table.sql"));
        OpsDb.Append(c, null, "journal_task",
            ["task_id", "task_version", "status", "assigned_to", "team_id", "due_date", "priority", "callback_at", "closed_at", "version", "updated_at"],
            tasks.Select(t => new object?[]
            {
                t.TaskId, t.VersionBefore, t.Status, t.AssignedTo, t.TeamId, t.DueDate, t.Priority, t.CallbackAt, t.ClosedAt, t.Version, t.UpdatedAt,
            }));
        using var tx = c.BeginTransaction();
        var set = c.Query<(long TaskId, int Version)>(file.Sql.Get("cluster/journal_task_state.sql"), transaction: tx).ToHashSet();
        tx.Commit();
        c.Execute("drop table journal_task");
        return set;
    }
}
