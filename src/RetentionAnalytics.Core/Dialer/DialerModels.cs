using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Core.Dialer;

/// <summary>The <c>Dialer</c> configuration section.</summary>
public sealed class DialerOptions
{
    /// <summary>
    /// How long a record served in preview mode stays the agent's (reading it, dialling, talking) until the attempt is
    /// reported; then it may be served again (a dialer that stopped mid-call does not keep it forever).
    /// </summary>
    public int PreviewLeaseSeconds { get; set; } = 1800;

    /// <summary>How long a record served in progressive mode stays the dialer's (dialling, the call) until it reports the attempt.</summary>
    public int ProgressiveLeaseSeconds { get; set; } = 1800;

    /// <summary>At most this many free agents (records) per progressive request.</summary>
    public int MaxAgentsPerRequest { get; set; } = 50;

    /// <summary>The demo's dialer simulator (demo mode only): on, seconds between its rounds, calls per campaign and round.</summary>
    public DialerSimulatorOptions Simulator { get; set; } = new();
}

public sealed class DialerSimulatorOptions
{
    public bool Enabled { get; set; } = true;
    public int IntervalSeconds { get; set; } = 3;
    public int AgentsPerRound { get; set; } = 4;
}

/// <summary>Why a dialer request was refused: <see cref="Status"/> is the HTTP status, <see cref="Code"/> the error.</summary>
public sealed class DialerException(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;
    public string Code { get; } = code;

    public static DialerException From(WorkbenchException ex) => new(ex.Failure switch
    {
        WorkbenchFailure.Denied => 404,
        WorkbenchFailure.Conflict => 409,
        _ => 422,
    }, ex.Code, ex.Message);
}

public static class DialerVocabulary
{
    public static readonly string[] Modes = ["preview", "progressive"];

    /// <summary>The dialer's dispositions and the call outcome each becomes on the task (a voicemail is a call not reached).</summary>
    public static readonly IReadOnlyDictionary<string, string> Outcomes = new Dictionary<string, string>
    {
        ["answered"] = "reached",
        ["no_answer"] = "no_answer",
        ["busy"] = "busy",
        ["voicemail"] = "no_answer",
        ["wrong_number"] = "wrong_number",
    };
}

/// <summary>One record handed to the dialer: the task, the number to dial, for which agent, until when it is reserved.</summary>
public sealed record DialerRecord(
    long LeaseId, long TaskId, string SubscriberId, string Number, string? CustomerName, string CityCode, string TimeZone,
    DateTime LocalTime, string Agent, bool Callback, DateTime? CallbackAt, int Attempts, int MaxAttempts, DateTime LeaseExpiresAt);

public sealed record DialerBatch(long CampaignId, string Mode, IReadOnlyList<DialerRecord> Records);

/// <summary>
/// A reported attempt. <see cref="CallbackAt"/> in the customer's local time (as on the task page); <see cref="CallId"/>:
/// the dialer's own id of the call, so a repeated report is applied once.
/// </summary>
public sealed record DispositionInput(
    string? Disposition, string? Agent, string? Result = null, string? ChurnReasonId = null, DateTime? CallbackAt = null,
    string? Notes = null, string? CallId = null);

/// <summary>The attempt as recorded; <see cref="Repeated"/>: it had been reported before and was not applied again.</summary>
public sealed record DispositionResult(long AttemptId, long TaskId, long ContactId, string Disposition, string Outcome, string Status, bool Repeated);

/// <summary>A campaign with the dialer, counted over the supervisor's cities.</summary>
public sealed record DialerProgress(
    long CampaignId, string Name, string Mode, bool Active, DateTime HandedAt, long Dialled, long Connected, long Reached,
    long Remaining, long Leased);

/// <summary>
/// What the dialer could serve from a campaign now, over the supervisor's cities: records for any free agent, records only
/// for the agent they are assigned to; <see cref="InCallingHours"/> is false, and nothing is served, while none of the
/// supervisor's cities the campaign is handed over in is inside its calling hours.
/// </summary>
public sealed record DialerReadiness(long CampaignId, bool InCallingHours, int ForAnyAgent, int ForTheirAgent);
