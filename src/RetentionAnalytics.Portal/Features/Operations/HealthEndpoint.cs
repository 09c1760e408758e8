using Dapper;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Cluster;
using RetentionAnalytics.Portal.Features.Pipeline;
using RetentionAnalytics.Portal.Features.Shared.Access;

namespace RetentionAnalytics.Portal.Features.Operations;

public sealed class LatestLoad
{
    public long LoadId { get; init; }
    public string Extract { get; init; } = "";
    public string FileName { get; init; } = "";
    public DateTime? BusinessDate { get; init; }
    public string Status { get; init; } = "";
    public DateTime FinishedAt { get; init; }
}

public static class OperationsEndpoints
{
    /// <summary>
    /// <c>/healthz</c>, open without sign-in for monitoring: 200 with <c>{status, latestLoad, latestRun}</c> once the
    /// warehouse answers — <c>status</c> is <c>ok</c>, or <c>degraded</c> when the pipeline's last finished run (daily,
    /// catch-up, manual or inbox) failed or was interrupted — and 503 <c>{status: "unavailable"}</c> when it does not.
    /// <c>role</c> is this node's part (<c>writer</c>; with several nodes <c>standby</c> or <c>reader</c>, and <c>node</c>
    /// its name), for the load balancer and <c>deploy/cluster.sh status</c>. Anonymous callers get states, ids and times only; <c>detail</c> with the database path, the host, the file name
    /// and the run's message (which can quote delivered data) is for signed-in administrators.
    /// </summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapGet("/healthz", (HttpContext http, Db db, JobRuns runs, WriterRole role, ILogger<Db> log) =>
        {
            try
            {
                using var c = db.Connect();
                var latest = c.QuerySingleOrDefault<LatestLoad>(db.Sql.Get("portal/health_latest_load.sql"));
                var status = StatusOf(LastPipelineRun(db));
                var run = runs.Recent(1).FirstOrDefault();
                var load = latest is null ? null : new
                {
                    latest.LoadId,
                    latest.Extract,
                    businessDate = latest.BusinessDate is { } d ? DateOnly.FromDateTime(d).ToString("yyyy-MM-dd") : null,
                    latest.Status,
                    latest.FinishedAt,
                };
                var latestRun = run is null ? null : new
                {
                    run.RunId, run.JobName, run.TriggerKind, run.Status, run.StartedAt, run.FinishedAt, run.ProgressPct, run.Stage,
                };
                var part = role.Name;
                var node = role.IsClustered ? role.Node : null;
                return http.User.IsInRole(PortalRoles.Administrator)
                    ? (IResult)Results.Ok(new
                    {
                        status, role = part, node, latestLoad = load, latestRun,
                        detail = new { database = db.Options.DatabasePath, latestFile = latest?.FileName, runMessage = run?.Message, host = run?.Host },
                    })
                    : Results.Ok(new { status, role = part, node, latestLoad = load, latestRun });
            }
            catch (Exception ex)
            {
                log.LogError("Health check failed with {ExceptionType}", ex.GetType().FullName);
                return Results.Json(new { status = "unavailable" }, statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).AllowAnonymous();
        return app;
    }

    /// <summary>How the pipeline's most recent finished run (daily, catch-up, manual or inbox) ended; null before the first.</summary>
    public static string? LastPipelineRun(Db db)
    {
        using var connection = db.Ops.Connect();
        return connection.QuerySingleOrDefault<string>(db.Ops.Sql.Get("portal/health_last_pipeline_run.sql"),
            new { daily = PipelineRunner.DailyJob, inbox = PipelineRunner.InboxPollJob });
    }

    /// <summary><c>degraded</c> while the last pipeline run failed or was cut off, else <c>ok</c>.</summary>
    public static string StatusOf(string? lastPipelineRun) => lastPipelineRun is "failed" or "interrupted" ? "degraded" : "ok";
}
