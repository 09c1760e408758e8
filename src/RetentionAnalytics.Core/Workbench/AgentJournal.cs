using System.Text.Json;
using Dapper;
using DuckDB.NET.Data;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

public sealed record JournalReplay(int Entries, int Applied, int AlreadyThere, int Failed, int Busy = 0);

/// <summary>A task as a supervisor's change left it (<c>workbench/tasks_changed.sql</c>), with the version it had before.</summary>
public sealed record TaskAfter(
    long TaskId, int VersionBefore, string Status, string? AssignedTo, string? TeamId, DateOnly? DueDate, int? Priority,
    DateTime? CallbackAt, DateTime? ClosedAt, int Version, DateTime UpdatedAt);

/// <summary>The status a supervisor's change gave a campaign (<c>workbench/campaign_status.sql</c>).</summary>
public sealed record CampaignAfter(long CampaignId, string Status);

/// <summary>
/// With several nodes (docs/deploy.md) tasks and outcomes still live in the writer's warehouse file, and a node that
/// takes over starts from the writer's last published build. So that an agent's work since that build survives the
/// writer, every claim and outcome (and a dialer's take of a task for an agent, and its undoing), and every task a
/// supervisor's change moved (assigned, scheduled, distributed, closed, recycled: <see cref="TasksChanged"/>), is journaled in PostgreSQL (<c>ops.agent_journal</c>) right after it was committed
/// to the file, and the node that takes over applies the journal rows written since the build it starts from
/// (<see cref="Replay"/>), before it serves. A row changes a task only from the version it started from, so one the
/// build already holds, or that someone overtook, changes nothing, and a replay can run twice. Logs carry task ids only.
/// The dialer's handovers, leases and attempts and the inbound calls are journaled too (<c>AgentJournalDialer.cs</c>), and
/// the campaigns people make in the portal with their members and tasks (<c>AgentJournalCampaigns.cs</c>).
/// A row can be written after one that started from the version it left (a supervisor's rows are written once the
/// change is committed, an agent may claim a task the moment it is): the replay goes over the rows not applied again
/// while a pass applies any.
/// </summary>
public sealed partial class AgentJournal(Db db, string node, ILogger<AgentJournal> log, bool keepsOwed = false)
{
    private sealed record Row(
        long JournalId, string Kind, long? TaskId, int? TaskVersion, string Username, bool IsSupervisor, DateTime MadeAt, string? PayloadJson);

    /// <summary>The assignment a dialer's take of a task had replaced, put back when its outcome was refused.</summary>
    private sealed record Restored(string? AssignedTo, string Status);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Before a build is published, rows older than this are dropped: the builds kept contain them.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(2);

    /// <summary>Clocks of the nodes may differ by this much; a replay starts this long before the build was published.</summary>
    public static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(10);

    // the newest journal id of another node this writer has read through; -1 until its catch-up
    private long _lateAfter = -1;

    /// <summary>Whether this node's file may still owe the journal rows (until a look finds none).</summary>
    public bool Owes => Volatile.Read(ref _owes);

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
    /// The tasks a supervisor's change moved, one row each with the state it left them in, and the campaign status it
    /// set, written in one COPY: closing a campaign can move thousands of tasks.
    /// </summary>
    public void TasksChanged(Actor supervisor, IReadOnlyList<TaskAfter> tasks, DateTime madeAt, CampaignAfter? campaign = null)
    {
        if (tasks.Count == 0 && campaign is null)
        {
            return;
        }
        try
        {
            Append(supervisor.Username, supervisor.IsSupervisor, madeAt,
                tasks.Select(t => new Entry("task", t.TaskId, t.VersionBefore, t))
                    .Concat(campaign is null ? [] : [new Entry("campaign", null, null, campaign)]));
        }
        catch (Exception ex)
        {
            log.LogWarning("A supervisor's change of {Count} task(s) (campaign {CampaignId}) was saved but not journaled ({ExceptionType}): it is lost if this node dies before its next published build",
                tasks.Count, campaign?.CampaignId, ex.GetType().FullName);
        }
    }

    private sealed record Entry(string Kind, long? TaskId, int? TaskVersion, object? Payload);

    /// <summary>
    /// A UTC time as the journal's <c>*_utc</c> columns keep it, without a zone: a DateTime of kind Utc would go to
    /// PostgreSQL as timestamptz and be compared in the session's zone (the province's), hours away.
    /// </summary>
    private static DateTime Naive(DateTime utc) => DateTime.SpecifyKind(utc, DateTimeKind.Unspecified);

    private static readonly string[] Columns =
        ["node", "kind", "task_id", "task_version", "username", "is_supervisor", "made_at", "made_at_utc", "payload_json"];

    /// <summary>The owed table of this node's file: short reads and writes only, never held across the network.</summary>
    private readonly Lock _owing = new();

    /// <summary>One payment of owed rows at a time.</summary>
    private readonly Lock _paying = new();

    /// <summary>The next owed row's id in the file (-1: not read yet); under <see cref="_owing"/>.</summary>
    private long _nextOwedId = -1;

    /// <summary>Whether the file may hold owed rows; at first it may (the writer's first look reads it).</summary>
    private bool _owes = keepsOwed;

    /// <summary>A portal node keeps what PostgreSQL does not take; the command line does not (its file is replaced by the next build).</summary>
    private readonly bool _keepsOwed = keepsOwed;

    /// <summary>
    /// Journal rows of one committed change in one COPY. On a portal node (<c>keepsOwed</c>) rows the operational
    /// database does not take are owed: kept in this node's file, and while any are owed the next rows go behind them
    /// there, so the journal keeps their order; the writer's next look (<see cref="PayOwed"/>, every
    /// <c>Cluster:FollowSeconds</c>) writes them, oldest first. So a moment without PostgreSQL loses nothing while this
    /// node lives, and no agent waits on it. Throws when the row is written nowhere (the caller logs the loss).
    /// </summary>
    private void Append(string username, bool isSupervisor, DateTime madeAt, IEnumerable<Entry> entries)
    {
        // timestamp columns without a time zone: the values go in as they are
        var utc = DateTime.SpecifyKind(DateTime.UtcNow, DateTimeKind.Unspecified);
        var made = DateTime.SpecifyKind(madeAt, DateTimeKind.Unspecified);
        var rows = entries.Select(e => new object?[]
        {
            node, e.Kind, e.TaskId, e.TaskVersion, username, isSupervisor, made, utc,
            e.Payload is null ? null : JsonSerializer.Serialize(e.Payload, e.Payload.GetType(), Json),
        }).ToList();
        if (Volatile.Read(ref _owes))
        {
            try
            {
                Owe(rows);
                return;
            }
            catch (DuckDBException ex)
            {
                // a file without the owed table (a build of an older version): written directly
                log.LogWarning("Journal rows not kept behind the owed ones ({ExceptionType}); written directly", ex.GetType().FullName);
            }
        }
        try
        {
            Copy(rows);
        }
        catch (Exception ex) when (_keepsOwed && ex is not OperationCanceledException)
        {
            Owe(rows);
            log.LogWarning("{Count} journal row(s) of kind {Kind} kept in this node's file ({ExceptionType}): written once the operational database answers",
                rows.Count, rows[0][1], ex.GetType().FullName);
        }
    }

    private void Copy(IEnumerable<object?[]> rows)
    {
        using var c = db.Ops.Connect();
        using var tx = c.BeginTransaction();
        OpsDb.Append(c, "ops", "agent_journal", Columns, rows);
        tx.Commit();
    }

    /// <summary>Keeps rows in this node's file, behind those owed already.</summary>
    private void Owe(IReadOnlyList<object?[]> rows)
    {
        lock (_owing)
        {
            using var file = db.Connect();
            if (_nextOwedId < 0)
            {
                _nextOwedId = file.ExecuteScalar<long>(db.Sql.Get("cluster/journal_owed_next.sql"));
            }
            using var tx = file.BeginTransaction();
            OpsDb.Append(file, "ops", "agent_journal_owed", ["owed_id", .. Columns], rows.Select(r => (object?[])[_nextOwedId++, .. r]));
            tx.Commit();
            Volatile.Write(ref _owes, true);
        }
    }

    /// <summary>
    /// Writes the rows this node's file owes the journal, oldest first (the writer's look, every
    /// <c>Cluster:FollowSeconds</c>); throws while PostgreSQL cannot be reached, and they stay owed.
    /// </summary>
    public void PayOwed()
    {
        if (!Volatile.Read(ref _owes))
        {
            return;
        }
        lock (_paying)
        {
            var owed = new List<object?[]>();
            lock (_owing)
            {
                try
                {
                    using var file = db.Connect();
                    using var reader = file.ExecuteReader(db.Sql.Get("cluster/journal_owed.sql"));
                    while (reader.Read())
                    {
                        // the owed id, then the columns of Columns in their order; timestamps without a time zone, as made
                        owed.Add([.. Enumerable.Range(0, Columns.Length + 1).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i))]);
                    }
                }
                catch (DuckDBException ex)
                {
                    log.LogWarning("This node's file keeps no owed journal rows ({ExceptionType}): a build of an older version", ex.GetType().FullName);
                    Volatile.Write(ref _owes, false);
                    return;
                }
                if (owed.Count == 0)
                {
                    Volatile.Write(ref _owes, false);
                    return;
                }
            }
            // the network without the file's lock or connection: agents go on owing meanwhile
            Copy(owed.Select(o => o[1..]));
            lock (_owing)
            {
                using var file = db.Connect();
                // a process killed before this writes them twice: a replay of a row already applied changes nothing
                file.Execute(db.Sql.Get("cluster/journal_owed_paid.sql"), new { paid_through = (long)owed[^1][0]! });
                Volatile.Write(ref _owes, file.ExecuteScalar<long>(db.Sql.Get("cluster/journal_owed_left.sql")) > 0);
            }
            log.LogInformation("{Count} journal row(s) this node owed since {Since:u} written", owed.Count, owed[0][8]);
        }
    }

    /// <summary>
    /// On a node that becomes the writer: the owed rows its file holds from before <paramref name="heldSinceUtc"/> (the
    /// build it adopted was published then, less the clocks' margin, so it holds what they record) are dropped; later
    /// ones (its own, made after its own build) stay owed for its next look.
    /// </summary>
    public int SettleOwed(DateTime? heldSinceUtc)
    {
        lock (_owing)
        {
            using var file = db.Connect();
            var dropped = heldSinceUtc is { } since ? file.Execute(db.Sql.Get("cluster/journal_owed_held.sql"), new { since_utc = Naive(since) }) : 0;
            // the file may have been swapped for a build: its ids are read again
            _nextOwedId = -1;
            Volatile.Write(ref _owes, _keepsOwed);
            return dropped;
        }
    }

    private void Write(string kind, Actor actor, long taskId, int versionBefore, DateTime madeAt, object? payload)
    {
        try
        {
            Append(actor.Username, actor.IsSupervisor, madeAt, [new Entry(kind, taskId, versionBefore, payload)]);
        }
        catch (Exception ex)
        {
            // the write itself is committed on this node; only a take-over before the next build would miss it
            log.LogWarning("The {Kind} of task {TaskId} was saved but not journaled ({ExceptionType}): it is lost if this node dies before its next published build",
                kind, taskId, ex.GetType().FullName);
        }
    }

    /// <summary>Drops rows older than <see cref="Retention"/> before <paramref name="nowUtc"/>.</summary>
    public int Prune(DateTime nowUtc)
    {
        using var c = db.Ops.Connect();
        return c.Execute(db.Ops.Sql.Get("cluster/journal_prune.sql"), new { before_utc = Naive(nowUtc - Retention) });
    }
}
