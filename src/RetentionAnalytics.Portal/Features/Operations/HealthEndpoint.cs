using Dapper;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Warehouse;

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
    /// Operational endpoints. <c>/healthz</c> (open without sign-in, for monitoring; no customer data): 200 with {status, database, latestLoad, latestRun} once the warehouse answers
    /// (tests and scripts poll it to know the portal is up); 503 when the warehouse does not answer.
    /// </summary>
    public static WebApplication MapOperations(this WebApplication app)
    {
        app.MapGet("/healthz", (Db db, JobRuns runs, ILogger<Db> log) =>
        {
            try
            {
                using var c = db.Connect();
                var latest = c.QuerySingleOrDefault<LatestLoad>(db.Sql.Get("portal/health_latest_load.sql"));
                var run = runs.Recent(1).FirstOrDefault();
                return Results.Ok(new
                {
                    status = "ok",
                    database = db.Options.DatabasePath,
                    latestLoad = latest is null ? null : new
                    {
                        latest.LoadId,
                        latest.Extract,
                        latest.FileName,
                        businessDate = latest.BusinessDate is { } d ? DateOnly.FromDateTime(d).ToString("yyyy-MM-dd") : null,
                        latest.Status,
                        latest.FinishedAt,
                    },
                    latestRun = run,
                });
            }
            catch (Exception ex)
            {
                log.LogError("Health check failed with {ExceptionType}", ex.GetType().FullName);
                return Results.Json(new { status = "unavailable", database = db.Options.DatabasePath, latestLoad = (object?)null },
                    statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).DisableAntiforgery().AllowAnonymous();
        return app;
    }
}
