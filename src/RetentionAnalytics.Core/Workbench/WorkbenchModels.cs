using RetentionAnalytics.Core.Access;

namespace RetentionAnalytics.Core.Workbench;

/// <summary>The rules of working tasks that the department sets (appsettings section <c>Workbench</c>).</summary>
public sealed record WorkbenchOptions
{
    /// <summary>Call attempts per task; a task not reached this many times is closed.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>Calling hours in the customer's local time (the zone of their city, <c>Region</c> section): calls and callbacks outside them are refused.</summary>
    public TimeOnly CallingFrom { get; init; } = new(9, 0);
    public TimeOnly CallingUntil { get; init; } = new(21, 0);

    /// <summary>The largest goodwill credit an agent may ask for in one work order (a supervisor approves it).</summary>
    public decimal MaxGoodwillCredit { get; init; } = 100_000m;

    /// <summary>How often a transaction that lost DuckDB's optimistic-concurrency race is tried again.</summary>
    public int ConflictRetries { get; init; } = 8;

    /// <summary>Inside the calling hours; hours that run past midnight (from after until) wrap, as quiet hours do.</summary>
    public bool IsCallingTime(DateTime local) =>
        TimeOnly.FromDateTime(local) is var t
        && (CallingFrom <= CallingUntil ? t >= CallingFrom && t < CallingUntil : t >= CallingFrom || t < CallingUntil);
}

/// <summary>Who calls a workbench service: an agent works their own tasks, a supervisor the tasks of their regions.</summary>
public sealed record Actor(string Username, RegionScope Scope, bool IsSupervisor = false, string? ClientIp = null, string Language = "en");

public enum WorkbenchFailure
{
    /// <summary>The task is not the caller's (or outside their regions): refused and audited as task_denied.</summary>
    Denied,

    /// <summary>Someone else changed or holds the task in the meantime: reload and look again.</summary>
    Conflict,

    /// <summary>A rule refuses the action (quiet hours, attempts, status, capacity, input).</summary>
    Refused,
}

/// <summary>A refused workbench action; <see cref="Code"/> names the reason for the UI's resources (identifiers only).</summary>
public sealed class WorkbenchException(WorkbenchFailure failure, string code, string message) : Exception(message)
{
    public WorkbenchFailure Failure { get; } = failure;
    public string Code { get; } = code;
}

/// <summary>Statuses and outcome vocabularies of ops.task / ops.contact (sql/ddl/005 and 040).</summary>
public static class TaskVocabulary
{
    public static readonly string[] Statuses = ["open", "assigned", "in_progress", "callback", "done", "closed"];
    public static readonly string[] Outcomes = ["reached", "no_answer", "busy", "wrong_number", "switched_off"];
    public static readonly string[] Results = ["retained", "accepted_offer", "will_consider", "refused", "already_churned"];

    /// <summary>Statuses a supervisor may (re-)assign: not while an agent is on the call, not once finished.</summary>
    public static readonly string[] Assignable = ["open", "assigned", "callback"];
}

/// <summary>The key state of one task, read before every conditional update.</summary>
public sealed record TaskHead(
    long TaskId, long CampaignId, string SubscriberId, string CityCode, string Status, string? AssignedTo, int Version,
    int Attempts, string ScenarioIds);
