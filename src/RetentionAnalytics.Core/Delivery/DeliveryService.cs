using System.Text.Json;
using Dapper;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Delivery;

public sealed record DeliverySubscription(
    long SubscriptionId, string Username, string ReportId, string ParametersJson, string ScheduleKind, string ScheduleTime,
    int? ScheduleDay, string Cron, string FileType, bool SkipIfEmpty, bool Paused, DateTime NextDueAt, DateTime CreatedAt)
{
    public IReadOnlyDictionary<string, string> Parameters =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(ParametersJson) ?? [];
}

public sealed record DeliveryRun(
    long RunId, long SubscriptionId, string Username, string ReportId, DateTime DueAt, string Status, int Attempts,
    DateTime? NextAttemptAt, string? Error, long? RowsDelivered, bool Mailed, DateTime CreatedAt, DateTime? FinishedAt);

public sealed record InboxItem(
    long ItemId, long RunId, long SubscriptionId, string Username, string ReportId, string FileName, string FileType,
    long RowsDelivered, DateTime CreatedAt);

public sealed record InboxFile(string FileName, string ContentType, byte[] Content);

/// <param name="MaxAttempts">Attempts before a run is shown as failed.</param>
/// <param name="RetryBase">The wait after the first failure; it doubles after each further one.</param>
public sealed record DeliveryOptions(int MaxAttempts = 3, TimeSpan? RetryBase = null)
{
    public TimeSpan Backoff(int failedAttempts) =>
        (RetryBase ?? TimeSpan.FromMinutes(5)) * Math.Pow(2, Math.Max(0, failedAttempts - 1));
}

/// <summary>
/// Scheduled delivery: users subscribe to a report with parameters and a schedule; <see cref="RunDue"/> renders each
/// due subscription for its subscriber's own viewer (roles, scope, language), writes the file with
/// <see cref="IExporter"/> (audited) into the subscriber's inbox and mails it when SMTP is configured. Empty reports
/// are skipped on request; failures are retried with a doubling wait and shown as failed after the last attempt.
/// Subscriptions, runs and inbox files are operational data (<see cref="Db.Ops"/>); opening a run and attempting it
/// are conditional updates, so the job running on two nodes at once delivers each due time once.
/// </summary>
public sealed class DeliveryService(
    Db db, IEnumerable<IReportRenderer> renderers, IExporter exporter, AuditLog audit, DeliveryOptions options,
    IDeliveryMailer mailer)
{
    private readonly IReadOnlyList<IReportRenderer> _renderers = renderers.ToList();
    private readonly Lock _running = new();

    /// <summary>
    /// A new subscription, checked as its first delivery would be: the account must exist and be enabled, and its
    /// roles, region scope and the parameters must let it read the report now (a city outside its scope, an unknown
    /// parameter, a report its roles may not read are refused here, audited, instead of failing three times later).
    /// </summary>
    /// <exception cref="SubscriptionRefusedException">Why not, as a reason key and the parameter it concerns.</exception>
    public long Subscribe(string username, string reportId, IReadOnlyDictionary<string, string> parameters,
        DeliverySchedule schedule, ExportFileType fileType, bool skipIfEmpty, DateTime? now = null)
    {
        schedule.Validate();
        try
        {
            var renderer = _renderers.FirstOrDefault(r => r.Handles(reportId)) ?? throw new KeyNotFoundException($"No report '{reportId}'.");
            renderer.Validate(reportId, parameters, DeliveryViewers.ForUsername(db, username));
        }
        catch (Exception ex) when (ex is KeyNotFoundException or UnauthorizedAccessException or ArgumentException)
        {
            var refused = SubscriptionRefusedException.From(ex);
            audit.Write(username, "delivery_subscribe", $"report:{reportId}", "denied",
                refused.Parameter is null ? refused.Reason : $"{refused.Reason};parameter={refused.Parameter}");
            throw refused;
        }

        var at = now ?? db.Clock.Now;
        using var c = db.Ops.Connect();
        var id = c.ExecuteScalar<long>(db.Ops.Sql.Get("delivery/subscription_insert.sql"), new
        {
            username, report_id = reportId, parameters_json = JsonSerializer.Serialize(parameters),
            schedule_kind = schedule.Kind.ToString().ToLowerInvariant(), schedule_time = schedule.Time.ToString("HH:mm"),
            schedule_day = schedule.Kind == ScheduleKind.Daily ? (int?)null : schedule.Day, cron = schedule.Cron,
            file_type = FileTypeName(fileType), skip_if_empty = skipIfEmpty, next_due_at = schedule.NextAfter(at), now = at,
        });
        audit.Write(username, "delivery_subscribe", $"subscription:{id}", detail: $"report={reportId}");
        return id;
    }

    public IReadOnlyList<DeliverySubscription> Subscriptions(string username)
    {
        using var c = db.Ops.Connect();
        return c.Query<DeliverySubscription>(db.Ops.Sql.Get("delivery/subscriptions_of_user.sql"), new { username }).ToList();
    }

    /// <summary>Pauses or resumes the user's own subscription; false when it is not theirs or does not exist.</summary>
    public bool SetPaused(string username, long subscriptionId, bool paused)
    {
        using var c = db.Ops.Connect();
        return c.Execute(db.Ops.Sql.Get("delivery/subscription_set_paused.sql"), new { username, subscription_id = subscriptionId, paused }) > 0;
    }

    public bool Delete(string username, long subscriptionId)
    {
        using var c = db.Ops.Connect();
        return c.Execute(db.Ops.Sql.Get("delivery/subscription_delete.sql"), new { username, subscription_id = subscriptionId }) > 0;
    }

    public IReadOnlyList<DeliveryRun> Runs(string username, int limit = 100)
    {
        using var c = db.Ops.Connect();
        return c.Query<DeliveryRun>(db.Ops.Sql.Get("delivery/runs_of_user.sql"), new { username, limit }).ToList();
    }

    public IReadOnlyList<InboxItem> Inbox(string username, int limit = 200)
    {
        using var c = db.Ops.Connect();
        return c.Query<InboxItem>(db.Ops.Sql.Get("delivery/inbox_of_user.sql"), new { username, limit }).ToList();
    }

    /// <summary>The file of an inbox item, for its owner only (audited as an export either way).</summary>
    /// <exception cref="UnauthorizedAccessException">The item belongs to another user.</exception>
    /// <exception cref="KeyNotFoundException">No such item.</exception>
    public InboxFile Download(string username, long itemId, string? clientIp = null)
    {
        using var c = db.Ops.Connect();
        var item = c.QuerySingleOrDefault<InboxFileRow>(
            db.Ops.Sql.Get("delivery/inbox_item_file.sql"), new { item_id = itemId })
            ?? throw new KeyNotFoundException($"No inbox item {itemId}.");
        if (!string.Equals(item.Username, username, StringComparison.Ordinal))
        {
            audit.Write(username, "export", $"inbox:{itemId}", "denied", "not the owner", clientIp);
            throw new UnauthorizedAccessException($"Inbox item {itemId} belongs to another user.");
        }
        audit.Write(username, "export", $"inbox:{itemId}", "ok", $"type={item.FileType} report={item.ReportId} download", clientIp);
        return new InboxFile(item.FileName, ContentType(item.FileType), Convert.FromBase64String(item.ContentBase64));
    }

    /// <summary>
    /// Opens a run for every subscription due at <paramref name="now"/> (and moves it to its next time), then attempts
    /// every open run whose time has come. Returns the runs attempted.
    /// </summary>
    public async Task<int> RunDue(DateTime now, CancellationToken ct = default)
    {
        List<(long RunId, long SubscriptionId)> work;
        lock (_running)
        {
            using var c = db.Ops.Connect();
            using var tx = c.BeginTransaction();
            var due = c.Query<DeliverySubscription>(db.Ops.Sql.Get("delivery/subscriptions_due.sql"), new { now }, tx).ToList();
            foreach (var s in due)
            {
                // a portal that was down for days delivers once, not once per missed time
                var advanced = c.Execute(db.Ops.Sql.Get("delivery/subscription_advance.sql"), new
                {
                    subscription_id = s.SubscriptionId, due_at = s.NextDueAt, next_due_at = DeliverySchedule.NextAfter(s.Cron, now), now,
                }, tx);
                if (advanced == 1)
                {
                    c.Execute(db.Ops.Sql.Get("delivery/run_insert.sql"), new
                    {
                        subscription_id = s.SubscriptionId, username = s.Username, report_id = s.ReportId, due_at = s.NextDueAt,
                        next_attempt_at = now, now,
                    }, tx);
                }
            }
            work = c.Query<(long RunId, long SubscriptionId)>(db.Ops.Sql.Get("delivery/runs_to_attempt.sql"), new { now }, tx).ToList();
            tx.Commit();
        }

        var attempted = 0;
        foreach (var (runId, subscriptionId) in work)
        {
            ct.ThrowIfCancellationRequested();
            using (var c = db.Ops.Connect())
            {
                if (c.Execute(db.Ops.Sql.Get("delivery/run_claim.sql"), new { run_id = runId, now, lease_until = now.AddMinutes(10) }) == 0)
                {
                    continue;
                }
            }
            await Attempt(runId, subscriptionId, now, ct);
            attempted++;
        }
        return attempted;
    }

    /// <summary>
    /// Delivers the user's own subscription now, outside its schedule (the next scheduled time stays). The run is
    /// leased for ten minutes, so the delivery job leaves it alone unless this process dies before finishing it.
    /// Returns the run's status (delivered, skipped, retrying or failed), or null when the subscription is not theirs.
    /// </summary>
    public async Task<string?> DeliverNow(string username, long subscriptionId, DateTime now, CancellationToken ct = default)
    {
        long runId;
        using (var c = db.Ops.Connect())
        {
            var s = c.QuerySingleOrDefault<DeliverySubscription>(db.Ops.Sql.Get("delivery/subscription_by_id.sql"), new { subscription_id = subscriptionId });
            if (s is null || !string.Equals(s.Username, username, StringComparison.Ordinal))
            {
                return null;
            }
            runId = c.ExecuteScalar<long>(db.Ops.Sql.Get("delivery/run_insert.sql"), new
            {
                subscription_id = subscriptionId, username, report_id = s.ReportId, due_at = now,
                next_attempt_at = now.AddMinutes(10), now,
            });
        }
        audit.Write(username, "delivery_now", $"subscription:{subscriptionId}");
        return await Attempt(runId, subscriptionId, now, ct);
    }

    /// <summary>One attempt at a run; returns the run's status after it (delivered, skipped, retrying or failed).</summary>
    private async Task<string> Attempt(long runId, long subscriptionId, DateTime now, CancellationToken ct)
    {
        DeliverySubscription subscription;
        int attempts;
        using (var c = db.Ops.Connect())
        {
            subscription = c.QuerySingle<DeliverySubscription>(db.Ops.Sql.Get("delivery/subscription_by_id.sql"), new { subscription_id = subscriptionId });
            attempts = c.ExecuteScalar<int>(db.Ops.Sql.Get("delivery/run_attempts.sql"), new { run_id = runId }) + 1;
        }
        try
        {
            var viewer = DeliveryViewers.ForUsername(db, subscription.Username);
            var table = await Renderer(subscription.ReportId).RenderAsync(subscription.ReportId, subscription.Parameters, viewer, ct);
            // a report is small (the screen's rows); holding them lets skip-if-empty look before anything is written
            var rows = table.Rows.ToList();
            if (subscription.SkipIfEmpty && !rows.Any(r => r.Kind == ExportRowKind.Data))
            {
                return Finish(runId, "skipped", attempts, null, 0, mailed: false);
            }
            var fileType = subscription.FileType == "csv" ? ExportFileType.Csv : ExportFileType.Xlsx;
            using var file = new MemoryStream();
            var result = exporter.Export(table with { Rows = rows, RowCount = rows.Count }, fileType, file,
                new ExportAudit(subscription.Username, $"delivery:{subscription.SubscriptionId}:{subscription.ReportId}"));
            var fileName = $"{FileNamePart(subscription.ReportId)}_{now:yyyyMMdd_HHmm}.{subscription.FileType}";
            var content = file.ToArray();
            using (var c = db.Ops.Connect())
            {
                c.Execute(db.Ops.Sql.Get("delivery/inbox_item_insert.sql"), new
                {
                    run_id = runId, subscription_id = subscriptionId, username = subscription.Username,
                    report_id = subscription.ReportId, file_name = fileName, file_type = subscription.FileType, content,
                    rows_delivered = result.Rows, now,
                });
            }
            var mailed = await mailer.TrySendAsync(subscription.Username, table.Title, fileName, ContentType(subscription.FileType), content, ct);
            return Finish(runId, "delivered", attempts, null, result.Rows, mailed);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // exception messages name identifiers only (report ids, parameter names), never a customer's data
            var error = $"{ex.GetType().Name}: {ex.Message}";
            if (attempts >= options.MaxAttempts)
            {
                return Finish(runId, "failed", attempts, error, null, mailed: false);
            }
            using var c = db.Ops.Connect();
            c.Execute(db.Ops.Sql.Get("delivery/run_retry.sql"), new
            {
                run_id = runId, attempts, error, next_attempt_at = now + options.Backoff(attempts),
            });
            return "retrying";
        }
    }

    private string Finish(long runId, string status, int attempts, string? error, long? rows, bool mailed)
    {
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("delivery/run_finish.sql"), new { run_id = runId, status, attempts, error, rows_delivered = rows, mailed });
        return status;
    }

    // the bytes come as base64 text: DuckDB hands a BLOB to Dapper as a stream over memory the closed reader releases
    private sealed record InboxFileRow(string Username, string ReportId, string FileName, string FileType, string ContentBase64);

    private IReportRenderer Renderer(string reportId) =>
        _renderers.FirstOrDefault(r => r.Handles(reportId)) ?? throw new KeyNotFoundException($"No report '{reportId}'.");

    private static string FileTypeName(ExportFileType type) => type == ExportFileType.Csv ? "csv" : "xlsx";

    public static string ContentType(string fileType) => fileType == "csv"
        ? "text/csv; charset=utf-8"
        : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    private static string FileNamePart(string reportId) =>
        new(reportId.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' ? ch : '_').ToArray());
}

/// <summary>
/// A subscription refused when it was made. <see cref="Reason"/> is a resource key — <c>UnknownReport</c>,
/// <c>ReportNotAllowed</c> (the roles may not read it, or the account may not subscribe) or <c>ParameterRefused</c>
/// (unknown, out of bounds or outside the region scope; <see cref="Parameter"/> names it); the message says it in
/// English for scripts.
/// </summary>
public sealed class SubscriptionRefusedException(string reason, string? parameter, string message) : ArgumentException(message, parameter)
{
    public string Reason { get; } = reason;
    public string? Parameter { get; } = parameter;

    public static SubscriptionRefusedException From(Exception ex) => ex switch
    {
        KeyNotFoundException => new("UnknownReport", null, "No such report or saved view."),
        UnauthorizedAccessException => new("ReportNotAllowed", null, "This account may not read the report, so it cannot subscribe to it."),
        ArgumentException a => new("ParameterRefused", a.ParamName, $"The subscription is refused: {a.Message}"),
        _ => throw new ArgumentOutOfRangeException(nameof(ex)),
    };
}
