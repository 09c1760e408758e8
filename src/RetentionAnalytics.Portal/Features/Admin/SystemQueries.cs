using Dapper;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Pipeline;
using RetentionAnalytics.Portal.Features.Warehouse;

namespace RetentionAnalytics.Portal.Features.Admin;

public sealed class LoadSummary
{
    public long FilesLoaded { get; init; }
    public long RowsLoaded { get; init; }
    public long MonthsLoaded { get; init; }
    public DateTime? LatestBusinessDate { get; init; }
}

public sealed class SubscriberCount
{
    public DateTime? MonthStart { get; init; }
    public long Subscribers { get; init; }
}

public sealed class LastRun
{
    public long RunId { get; init; }
    public string JobName { get; init; } = "";
    public string TriggerKind { get; init; } = "";
    public string Status { get; init; } = "";
    public DateTime StartedAt { get; init; }
    public DateTime? FinishedAt { get; init; }
    public double ProgressPct { get; init; }
    public string? Stage { get; init; }
    public string? Message { get; init; }
}

/// <summary>What the system page says the warehouse holds.</summary>
public sealed record WarehouseSummary(LoadSummary Loads, SubscriberCount? Subscribers, LastRun? LastPipelineRun);

/// <summary>
/// Reads of the system page (the administrators' overview of the warehouse). Only meta.* is certain to exist; the subscription staging table is built by the
/// loader and is read only when it is there (otherwise the page says "not loaded yet").
/// </summary>
public sealed class SystemQueries(Db db, WarehouseCatalog catalog)
{
    public WarehouseSummary Summary()
    {
        using var c = db.Connect();
        var loads = c.QuerySingle<LoadSummary>(db.Sql.Get("portal/home_load_summary.sql"));
        LastRun? lastRun;
        using (var ops = db.Ops.Connect())
        {
            lastRun = ops.QuerySingleOrDefault<LastRun>(db.Ops.Sql.Get("portal/home_last_pipeline_run.sql"),
                new { job_names = $"{PipelineRunner.DailyJob},{PipelineRunner.InboxPollJob}" });
        }
        return new WarehouseSummary(loads, Subscribers(c), lastRun);
    }

    private SubscriberCount? Subscribers(System.Data.IDbConnection c)
    {
        // The loader creates stg.subscription with the first subscription file it loads.
        if (!catalog.HasColumns("stg", "subscription", "subscriber_id", "_business_date"))
        {
            return null;
        }
        var count = c.QuerySingle<SubscriberCount>(db.Sql.Get("portal/home_subscribers_latest_month.sql"));
        return count.MonthStart is null ? null : count;
    }
}
