using System.Data;
using Dapper;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

public sealed record QueueFilter(string? SubscriberId = null, string? Status = null, long? CampaignId = null, int Limit = 500);

/// <summary>A task in the agent's queue; names (campaign title, customer, city) in the agent's language.</summary>
public sealed record QueueItem(
    long TaskId, long CampaignId, string? CampaignName, string SubscriberId, string? CustomerName, string CityCode,
    string? CityName, string? ValueTier, double PriorityScore, int? Priority, string ScenarioIds, string Status,
    DateOnly? DueDate, DateTime? CallbackAt, int Attempts, DateTime? LastAttemptAt, int Version, bool CallbackDue);

/// <summary>
/// One task for its page. <see cref="ScenarioIds"/> holds the task's own scenarios, then those of the campaigns linked
/// to it (<see cref="LinkedCampaigns"/>: their titles); <see cref="MergedInto"/>: closed into the subscriber's other task.
/// </summary>
public sealed record TaskDetail(
    long TaskId, long CampaignId, string? CampaignName, DateOnly? Period, string? QuestionnaireId, string SubscriberId,
    string CityCode, string? CityName, string? ValueTier, double PriorityScore, int? Priority, string ScenarioIds,
    string? LinkedCampaigns, string Status, string? Result, string? AssignedTo, string? AgentName, DateOnly? DueDate,
    DateTime? CallbackAt, int Attempts, DateTime? LastAttemptAt, int Version, long? MergedInto)
{
    /// <summary>The key state for the access check and the conditional updates (scenarios: with the linked campaigns').</summary>
    public TaskHead ToHead() => new(TaskId, CampaignId, SubscriberId, CityCode, Status, AssignedTo, Version, Attempts, ScenarioIds);
}

/// <summary>A contact with the task's subscriber, from any campaign and agent.</summary>
public sealed record ContactLine(
    long ContactId, DateTime ContactTime, string Channel, long? TaskId, string? Username, string? AgentName,
    string? CampaignName, string? Outcome, string? Result, string? ChurnReasonId, string? ChurnReasonName, string? OfferId,
    string? Notes);

/// <summary>An opened task; Claimed: this call moved it to in_progress (false: it already was, e.g. in a second tab).</summary>
public sealed record OpenedTask(TaskHead Task, bool Claimed);

public sealed record ChurnReason(string ReasonId, string Name, int SortOrder);

public sealed record CallbackEntry(
    long TaskId, string SubscriberId, string? CustomerName, string CityCode, DateTime CallbackAt, string ScenarioIds, int Attempts);

/// <summary>
/// What an agent records after a call. <see cref="CallbackAt"/> is the customer's local time (the zone of their city);
/// <see cref="Version"/>: the task version the agent saw (null: the current); <see cref="InboundCallId"/>: the customer
/// called in (the screen pop's call), recorded as an inbound contact.
/// </summary>
public sealed record OutcomeInput(
    long TaskId, string Outcome, string? Result = null, string? ChurnReasonId = null, string? OfferId = null,
    string? Notes = null, DateTime? CallbackAt = null, int? Version = null, QuestionnaireSubmission? Questionnaire = null,
    long? InboundCallId = null);

/// <summary>The campaign questionnaire's answers given during a reached call, by question id.</summary>
public sealed record QuestionnaireSubmission(
    string QuestionnaireId, int Version, IReadOnlyDictionary<string, IReadOnlyList<string>> Answers);

/// <summary>An outcome as written: the contact row and the task's new state.</summary>
public sealed record RecordedOutcome(
    long TaskId, long CampaignId, string SubscriberId, long ContactId, string Username, string Outcome, string? Result,
    string Status, int Attempts, int Version, DateTime At, OutcomeInput Input);

/// <summary>
/// More writes that belong to an outcome (questionnaire answers, an accepted offer): run inside the outcome's
/// transaction after the task and contact rows, so a failure rolls the whole outcome back.
/// </summary>
public interface IOutcomeStep
{
    void Write(DuckDBConnection connection, IDbTransaction transaction, RecordedOutcome outcome);
}

/// <summary>
/// The agent's side of a call list: the queue, opening (claiming) a task and recording an outcome. Claim and save are
/// conditional updates on ops.task.version that retry DuckDB's transaction conflicts, so two agents never hold the same
/// task and an outcome is either written completely (task, contact and every <see cref="IOutcomeStep"/>) or not at all.
/// With several nodes each claim and outcome is also journaled (<see cref="AgentJournal"/>) once it is committed.
/// </summary>
public sealed class AgentWorkbench(
    Db db, TaskAccess access, WorkbenchOptions options, RegionClock clock, IEnumerable<IOutcomeStep> steps, AgentJournal? journal = null)
{
    private readonly IOutcomeStep[] _steps = steps.ToArray();

    /// <summary>The agents' journal with several nodes (null with one process), for the dialer's own task changes.</summary>
    internal AgentJournal? Journal => journal;

    /// <summary>This node's warehouse, which a replay of the journal writes to (<see cref="AgentJournal.Replay"/>).</summary>
    internal Db Db => db;

    /// <summary>Now on the province's clock, as task and contact times are stored.</summary>
    private DateTime Now => clock.Now;

    public IReadOnlyList<QueueItem> Queue(Actor agent, QueueFilter? filter = null)
    {
        filter ??= new QueueFilter();
        if (agent.Scope.IsEmpty)
        {
            return [];
        }
        var args = agent.Scope.AddTo(new DynamicParameters());
        args.Add("username", agent.Username);
        args.Add("status", string.IsNullOrWhiteSpace(filter.Status) ? null : filter.Status);
        args.Add("campaign_id", filter.CampaignId);
        args.Add("subscriber_id", string.IsNullOrWhiteSpace(filter.SubscriberId) ? null : filter.SubscriberId.Trim());
        args.Add("now", Now);
        args.Add("limit", filter.Limit);
        args.Add("lang", agent.Language);
        using var c = db.Connect();
        return c.Query<QueueItem>(db.Sql.Get("workbench/agent_queue.sql"), args).ToList();
    }

    /// <summary>
    /// Opens a task: an assigned task or a due callback becomes in_progress for this agent. Opening one's own task
    /// that is already in progress is fine (a second tab); a task someone else got in the meantime is a conflict.
    /// </summary>
    public OpenedTask Open(Actor agent, long taskId) =>
        ConflictRetry.Run(options.ConflictRetries, () =>
        {
            using var c = db.Connect();
            var head = access.Require(agent, access.Head(c, taskId), taskId, "open");
            for (var round = 0; round < options.ConflictRetries; round++)
            {
                if (head.Status == "in_progress")
                {
                    return new OpenedTask(head, Claimed: false);
                }
                if (head.Status is not ("assigned" or "callback"))
                {
                    throw new WorkbenchException(WorkbenchFailure.Refused, "task_finished", $"Task {taskId} is {head.Status}.");
                }
                var now = Now;
                if (ClaimTask(c, agent, taskId, head.Version, now))
                {
                    journal?.Claimed(agent, taskId, head.Version, now);
                    return new OpenedTask(head with { Status = "in_progress", Version = head.Version + 1 }, Claimed: true);
                }
                // lost a race: whoever won decides -- still ours (e.g. a due date changed) means try again
                head = access.Head(c, taskId)!;
                if (head.AssignedTo != agent.Username)
                {
                    break;
                }
            }
            throw new WorkbenchException(WorkbenchFailure.Conflict, "task_held_elsewhere", $"Task {taskId} was taken by someone else.");
        });

    /// <summary>The task's status and version: one read by key (a client checking whether a task changed).</summary>
    public TaskHead Head(Actor actor, long taskId)
    {
        using var c = db.Connect();
        return access.Require(actor, access.Head(c, taskId), taskId, "view");
    }

    public TaskDetail Detail(Actor actor, long taskId)
    {
        using var c = db.Connect();
        return Detail(c, actor, taskId);
    }

    /// <summary>One task for its page, read once by key on the caller's connection; refused (and audited) like a head.</summary>
    public TaskDetail Detail(IDbConnection c, Actor actor, long taskId)
    {
        var detail = c.QuerySingleOrDefault<TaskDetail>(db.Sql.Get("workbench/task_detail.sql"), new { task_id = taskId, lang = actor.Language });
        access.Require(actor, detail?.ToHead(), taskId, "view");
        return detail!;
    }

    /// <summary>
    /// Claims a task the agent has just read (<see cref="Detail(IDbConnection, Actor, long)"/>): an assigned task or a due
    /// callback becomes in_progress with one conditional update, and the task as read is returned with its new state. A
    /// lost race is read again: still the agent's and now in progress (a second tab) is not a claim, a task someone else
    /// got is a conflict.
    /// </summary>
    public (TaskDetail Task, bool Claimed) Claim(IDbConnection c, Actor agent, TaskDetail detail) =>
        ConflictRetry.Run(options.ConflictRetries, () =>
        {
            var task = detail;
            for (var round = 0; round < options.ConflictRetries; round++)
            {
                if (task.Status == "in_progress" && task.AssignedTo == agent.Username)
                {
                    return (task, false);
                }
                if (task.Status is not ("assigned" or "callback"))
                {
                    throw new WorkbenchException(WorkbenchFailure.Refused, "task_finished", $"Task {task.TaskId} is {task.Status}.");
                }
                var now = Now;
                if (ClaimTask(c, agent, task.TaskId, task.Version, now))
                {
                    journal?.Claimed(agent, task.TaskId, task.Version, now);
                    return (task with { Status = "in_progress", Version = task.Version + 1 }, true);
                }
                task = c.QuerySingleOrDefault<TaskDetail>(db.Sql.Get("workbench/task_detail.sql"), new { task_id = task.TaskId, lang = agent.Language });
                if (task?.AssignedTo != agent.Username)
                {
                    break;
                }
            }
            throw new WorkbenchException(WorkbenchFailure.Conflict, "task_held_elsewhere", $"Task {detail.TaskId} was taken by someone else.");
        });

    private bool ClaimTask(IDbConnection c, Actor agent, long taskId, int version, DateTime now) =>
        c.Execute(db.Sql.Get("workbench/claim_task.sql"), new { task_id = taskId, version, username = agent.Username, now }) == 1;

    /// <summary>A journaled claim on another node's file (<see cref="AgentJournal.Replay"/>); false when the task is no longer at that version.</summary>
    internal bool ReplayClaim(Actor agent, long taskId, int version, DateTime madeAt)
    {
        using var c = db.Connect();
        return ClaimTask(c, agent, taskId, version, madeAt);
    }

    /// <summary>Every contact with the task's subscriber, from all campaigns (the task must be the actor's to see).</summary>
    public IReadOnlyList<ContactLine> Contacts(Actor actor, long taskId)
    {
        using var c = db.Connect();
        access.Require(actor, access.Head(c, taskId), taskId, "contacts");
        return Contacts(c, actor, taskId);
    }

    /// <summary><see cref="Contacts(Actor, long)"/> of a task the caller has read and checked, on the caller's connection.</summary>
    public IReadOnlyList<ContactLine> Contacts(IDbConnection c, Actor actor, long taskId) =>
        c.Query<ContactLine>(db.Sql.Get("workbench/task_contacts.sql"), new { task_id = taskId, lang = actor.Language }).ToList();

    public IReadOnlyList<ChurnReason> ChurnReasons(string language)
    {
        using var c = db.Connect();
        return c.Query<ChurnReason>(db.Sql.Get("workbench/churn_reasons.sql"), new { lang = language }).ToList();
    }

    public IReadOnlyList<CallbackEntry> Callbacks(Actor agent, DateTime from, DateTime to)
    {
        if (agent.Scope.IsEmpty)
        {
            return [];
        }
        var args = agent.Scope.AddTo(new DynamicParameters());
        args.Add("username", agent.Username);
        args.Add("from", from);
        args.Add("to", to);
        using var c = db.Connect();
        return c.Query<CallbackEntry>(db.Sql.Get("workbench/callbacks.sql"), args).ToList();
    }

    /// <summary>
    /// Records a call on a task the agent holds (in progress), in ONE transaction: the ops.contact row, the task's
    /// attempts, last attempt, status (done with the result; callback at a time; assigned again for a retry; closed
    /// when the attempts are used up or the number is wrong), version + 1, and the registered outcome steps.
    /// Calls outside calling hours and callbacks into quiet hours are refused.
    /// </summary>
    public RecordedOutcome Record(Actor agent, OutcomeInput input)
    {
        Validate(input);
        return ConflictRetry.Run(options.ConflictRetries, () =>
        {
            var now = Now;
            var recorded = Write(agent, input, now, replay: false);
            journal?.Recorded(agent, input, recorded.Version - 1, now);
            return recorded;
        });
    }

    /// <summary>
    /// A journaled outcome on another node's file (<see cref="AgentJournal.Replay"/>), as it was made then: the calling
    /// hours were checked when it was made. False when the task is no longer at the version it started from.
    /// </summary>
    internal bool ReplayOutcome(Actor agent, OutcomeInput input, DateTime madeAt)
    {
        Validate(input);
        try
        {
            Write(agent, input, madeAt, replay: true);
            return true;
        }
        catch (WorkbenchException ex) when (ex.Failure is WorkbenchFailure.Conflict || ex.Code is "task_finished" or "task_not_open")
        {
            return false;
        }
    }

    private RecordedOutcome Write(Actor agent, OutcomeInput input, DateTime now, bool replay)
    {
        using var c = db.Connect();
        using var tx = c.BeginTransaction();
        var head = access.Require(agent, access.Head(c, input.TaskId, tx), input.TaskId, "outcome");
        // the customer's hours: the zone of their city, whatever the server's zone
        var callbackAt = replay ? StoredCallback(input, head.CityCode) : CheckTimes(input, head.CityCode);
        if (head.Status != "in_progress")
        {
            throw head.Status is "done" or "closed"
                ? new WorkbenchException(WorkbenchFailure.Refused, "task_finished", $"Task {head.TaskId} is {head.Status}.")
                : new WorkbenchException(WorkbenchFailure.Refused, "task_not_open", $"Task {head.TaskId} is not opened.");
        }
        if (input.Version is { } seen && seen != head.Version)
        {
            throw new WorkbenchException(WorkbenchFailure.Conflict, "task_changed", $"Task {head.TaskId} changed since it was read.");
        }
        if (head.Attempts >= options.MaxAttempts)
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "max_attempts", $"Task {head.TaskId} has no attempts left.");
        }
        if (input.ChurnReasonId is { } reason
            && c.ExecuteScalar<long>(db.Sql.Get("workbench/churn_reason_active.sql"), new { reason }, tx) == 0)
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "invalid_churn_reason", "Unknown churn reason.");
        }

        var attempts = head.Attempts + 1;
        var status = NextStatus(input, attempts);
        var updated = c.Execute(db.Sql.Get("workbench/outcome_task.sql"), new
        {
            task_id = head.TaskId, version = head.Version, username = agent.Username, now, status,
            result = status == "done" ? input.Result : null,
            callback_at = status == "callback" ? callbackAt : null,
        }, tx);
        if (updated != 1)
        {
            throw new WorkbenchException(WorkbenchFailure.Conflict, "task_changed", $"Task {head.TaskId} changed since it was read.");
        }
        var contactId = c.ExecuteScalar<long>(db.Sql.Get("workbench/insert_contact.sql"), new
        {
            subscriber_id = head.SubscriberId, now, task_id = head.TaskId, username = agent.Username,
            outcome = input.Outcome, result = input.Outcome == "reached" ? input.Result : null,
            churn_reason_id = input.ChurnReasonId, offer_id = input.OfferId,
            notes = string.IsNullOrWhiteSpace(input.Notes) ? null : input.Notes.Trim(), campaign_id = head.CampaignId,
        }, tx);
        var recorded = new RecordedOutcome(head.TaskId, head.CampaignId, head.SubscriberId, contactId, agent.Username,
            input.Outcome, input.Result, status, attempts, head.Version + 1, now, input);
        foreach (var step in _steps)
        {
            step.Write(c, tx, recorded);
        }
        tx.Commit();
        return recorded;
    }

    private string NextStatus(OutcomeInput input, int attempts) => input switch
    {
        { Outcome: "reached", CallbackAt: not null } => "callback",
        { Outcome: "reached" } => "done",
        // a wrong number cannot be reached by trying again
        { Outcome: "wrong_number" } => "closed",
        _ when attempts >= options.MaxAttempts => "closed",
        { CallbackAt: not null } => "callback",
        _ => "assigned",
    };

    private static void Validate(OutcomeInput input)
    {
        if (!TaskVocabulary.Outcomes.Contains(input.Outcome))
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "invalid_outcome", "Unknown outcome.");
        }
        if (input.Outcome == "reached" && input.CallbackAt is null && (input.Result is null || !TaskVocabulary.Results.Contains(input.Result)))
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "result_required", "A reached call needs a result.");
        }
        if (input.Result is not null && !TaskVocabulary.Results.Contains(input.Result))
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "invalid_result", "Unknown result.");
        }
    }

    /// <summary>
    /// The call must fall in the calling hours and a callback in the future within them, both on the customer's local
    /// clock; returns the callback as stored (province time).
    /// </summary>
    private DateTime? CheckTimes(OutcomeInput input, string cityCode)
    {
        var local = clock.LocalNow(cityCode);
        if (!options.IsCallingTime(local))
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "outside_calling_hours",
                $"Calls are allowed between {options.CallingFrom:HH\\:mm} and {options.CallingUntil:HH\\:mm} in {clock.ZoneOf(cityCode).Id}.");
        }
        if (input.CallbackAt is not { } at)
        {
            return null;
        }
        if (at <= local || !options.IsCallingTime(at))
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "callback_in_quiet_hours",
                $"A callback must lie in the future between {options.CallingFrom:HH\\:mm} and {options.CallingUntil:HH\\:mm} in {clock.ZoneOf(cityCode).Id}.");
        }
        return clock.ToStored(at, cityCode);
    }

    private DateTime? StoredCallback(OutcomeInput input, string cityCode) =>
        input.CallbackAt is { } at ? clock.ToStored(at, cityCode) : null;
}
