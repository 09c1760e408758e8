using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

public sealed record JournalReplay(int Entries, int Applied, int AlreadyThere, int Failed);

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
public sealed partial class AgentJournal(Db db, string node, ILogger<AgentJournal> log)
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

    private static readonly string[] Columns =
        ["node", "kind", "task_id", "task_version", "username", "is_supervisor", "made_at", "made_at_utc", "payload_json"];

    private readonly Lock _owing = new();

    /// <summary>Whether the file may hold owed rows; true at first, so the first write looks.</summary>
    private bool _owes = true;

    /// <summary>
    /// Journal rows of one committed change in one COPY. When the operational database does not take them they are
    /// owed: kept in this node's file and written before the next rows (or by <see cref="PayOwed"/>), so a moment
    /// without PostgreSQL loses nothing while this node lives. Throws only when the file refuses them too (the caller
    /// logs the loss).
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
        try
        {
            if (Volatile.Read(ref _owes))
            {
                // owed rows first, so the journal keeps the order the changes were made in
                lock (_owing)
                {
                    PayOwedHeld();
                    Copy(rows);
                }
            }
            else
            {
                Copy(rows);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            lock (_owing)
            {
                using var file = db.Connect();
                using var tx = file.BeginTransaction();
                OpsDb.Append(file, "ops", "agent_journal_owed", Columns, rows);
                tx.Commit();
                Volatile.Write(ref _owes, true);
            }
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

    /// <summary>Writes the rows this node's file owes the journal, oldest first; throws while PostgreSQL cannot be reached.</summary>
    public void PayOwed()
    {
        if (Volatile.Read(ref _owes))
        {
            lock (_owing)
            {
                PayOwedHeld();
            }
        }
    }

    private void PayOwedHeld()
    {
        using var file = db.Connect();
        var owed = new List<object?[]>();
        using (var reader = file.ExecuteReader(db.Sql.Get("cluster/journal_owed.sql")))
        {
            while (reader.Read())
            {
                // the columns of Columns, in their order; timestamps without a time zone, as when they were made
                owed.Add([.. Enumerable.Range(0, Columns.Length).Select(i => reader.IsDBNull(i) ? null : reader.GetValue(i))]);
            }
        }
        if (owed.Count > 0)
        {
            Copy(owed);
            // a process killed between the two writes them twice: a replay of a row already applied changes nothing
            file.Execute(db.Sql.Get("cluster/journal_owed_paid.sql"));
            log.LogInformation("{Count} journal row(s) this node owed since {Since:u} written", owed.Count, owed[0][7]);
        }
        Volatile.Write(ref _owes, false);
    }

    /// <summary>
    /// On a node that becomes the writer: the owed rows its file holds from before <paramref name="heldSinceUtc"/> (the
    /// build it adopted was published then, so it holds what they record) are dropped; later ones (its own, made after
    /// its own build) stay owed.
    /// </summary>
    public int SettleOwed(DateTime? heldSinceUtc)
    {
        lock (_owing)
        {
            using var file = db.Connect();
            var dropped = heldSinceUtc is { } since ? file.Execute(db.Sql.Get("cluster/journal_owed_held.sql"), new { since_utc = since }) : 0;
            Volatile.Write(ref _owes, true);
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
        return c.Execute(db.Ops.Sql.Get("cluster/journal_prune.sql"), new { before_utc = nowUtc - Retention });
    }
}
