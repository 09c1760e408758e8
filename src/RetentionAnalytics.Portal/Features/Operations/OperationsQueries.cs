using Dapper;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Portal.Features.Operations;

public sealed class LoadHistoryRow
{
    public long LoadId { get; init; }
    public string Extract { get; init; } = "";
    public string FileName { get; init; } = "";
    public DateTime? BusinessDate { get; init; }
    public string Status { get; init; } = "";
    public long RowsRead { get; init; }
    public long RowsLoaded { get; init; }
    public long RowsRejected { get; init; }
    public long? DurationMs { get; init; }
    public string? Message { get; init; }
    public DateTime StartedAt { get; init; }
    public long TotalCount { get; init; }
}

public sealed class RejectedRowLine
{
    public long? LineNumber { get; init; }
    public string Reason { get; init; } = "";
    public long TotalCount { get; init; }
}

public sealed class RowsPerDate
{
    public DateTime BusinessDate { get; init; }
    public long RowsLoaded { get; init; }
    public long Files { get; init; }
}

public sealed class BuildRow
{
    public long BuildId { get; init; }
    public string Kind { get; init; } = "";
    public DateTime? FromMonth { get; init; }
    public long Loads { get; init; }
    public DateTime StartedAt { get; init; }
    public long DurationMs { get; init; }
    public int ModelsRefreshed { get; init; }
    public int ModelsUnchanged { get; init; }
}

public sealed class BuildModelRow
{
    public string Model { get; init; } = "";
    public string FileName { get; init; } = "";
    public string Mode { get; init; } = "";
    public string Reason { get; init; } = "";
    public string? Cause { get; init; }
    public string? ScopeKind { get; init; }
    public long? ScopeCount { get; init; }
    public string? ScopeDetail { get; init; }
    public long? RowsDeleted { get; init; }
    public long? RowsInserted { get; init; }
    public long DurationMs { get; init; }
}

public sealed record LoadFilterChoices(IReadOnlyList<string> Extracts, IReadOnlyList<string> Statuses);

public sealed record Page<T>(IReadOnlyList<T> Rows, long Total);

/// <summary>The reads of the operations page; SQL in sql/portal/operations_*.sql.</summary>
public sealed class OperationsQueries(Db db)
{
    public Page<LoadHistoryRow> LoadHistory(string? extract, string? status, int skip, int pageSize)
    {
        using var c = db.Connect();
        var rows = c.Query<LoadHistoryRow>(db.Sql.Get("portal/operations_load_history.sql"),
            new { extract, status, skip, page_size = pageSize }).ToList();
        return new Page<LoadHistoryRow>(rows, rows.Count > 0 ? rows[0].TotalCount : 0);
    }

    public LoadFilterChoices LoadFilters()
    {
        using var c = db.Connect();
        var pairs = c.Query<(string Extract, string Status)>(db.Sql.Get("portal/operations_load_filters.sql")).ToList();
        return new LoadFilterChoices(
            pairs.Select(p => p.Extract).Distinct().Order(StringComparer.Ordinal).ToList(),
            pairs.Select(p => p.Status).Distinct().Order(StringComparer.Ordinal).ToList());
    }

    public Page<RejectedRowLine> RejectedRows(long loadId, int skip, int pageSize)
    {
        using var c = db.Connect();
        var rows = c.Query<RejectedRowLine>(db.Sql.Get("portal/operations_rejected_rows.sql"),
            new { load_id = loadId, skip, page_size = pageSize }).ToList();
        return new Page<RejectedRowLine>(rows, rows.Count > 0 ? rows[0].TotalCount : 0);
    }

    /// <summary>The latest result of every data-quality check, as the CLI's status shows it.</summary>
    public IReadOnlyList<QualityResult> LatestQuality() => QualityChecks.Latest(db);

    /// <summary>The newest warehouse builds (meta.build exists from the migrations on; empty before the first build).</summary>
    public IReadOnlyList<BuildRow> Builds(int limit = 10)
    {
        using var c = db.Connect();
        return c.Query<BuildRow>(db.Sql.Get("portal/operations_builds.sql"), new { limit }).ToList();
    }

    public IReadOnlyList<BuildModelRow> BuildModels(long buildId)
    {
        using var c = db.Connect();
        return c.Query<BuildModelRow>(db.Sql.Get("portal/operations_build_models.sql"), new { build_id = buildId }).ToList();
    }

    public IReadOnlyList<RowsPerDate> RowsPerBusinessDate()
    {
        using var c = db.Connect();
        return c.Query<RowsPerDate>(db.Sql.Get("portal/operations_rows_per_business_date.sql")).ToList();
    }
}
