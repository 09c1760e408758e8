using Dapper;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Tests.Delivery;

/// <summary>
/// A test-only fixed report (the reports workstream brings the real ones): snapshot-base subscribers per city of the
/// sample province, scoped by the viewer with the house predicate, with a total row.
/// </summary>
public sealed class SubscribersByCityRenderer(Db db) : IReportRenderer
{
    public const string Id = "test:subscribers_by_city";

    public bool Handles(string reportId) => reportId == Id;

    public Task<ExportTable> RenderAsync(string reportId, IReadOnlyDictionary<string, string> parameters, ReportViewer viewer, CancellationToken ct = default)
    {
        var args = viewer.Scope.AddTo(new DynamicParameters());
        using var c = db.Connect();
        var rows = c.Query<(string City, long Subscribers)>("""
            select city_code, count(*) as subscribers
            from dw.snapshot_base
            where ($scope_all or list_contains(string_split($scope_cities, ','), city_code))
            group by city_code
            order by city_code
            """, args).Select(r => new ExportRow([r.City, r.Subscribers])).ToList();
        if (rows.Count > 0)
        {
            rows.Add(new ExportRow(["Total", rows.Sum(r => (long)r.Cells[1]!)], ExportRowKind.Total));
        }
        return Task.FromResult(new ExportTable(
            "Subscribers by city", [], DateTime.Now,
            [new ExportColumn("City"), new ExportColumn("Subscribers", ColumnFormat.Integer)], rows, rows.Count));
    }

    /// <summary>No parameters; readable by every role but agents (as the fixed reports' usual roles).</summary>
    public void Validate(string reportId, IReadOnlyDictionary<string, string> parameters, ReportViewer viewer)
    {
        if (parameters.Keys.FirstOrDefault() is { } unknown)
        {
            throw new ArgumentException($"no parameter '{unknown}'", unknown);
        }
        if (viewer.Roles.Contains("agent") && viewer.Roles.Count == 1)
        {
            throw new UnauthorizedAccessException("agents may not read this report");
        }
    }
}

/// <summary>A report whose rendering always fails, as a broken query would.</summary>
public sealed class FailingRenderer : IReportRenderer
{
    public const string Id = "test:failing";

    public bool Handles(string reportId) => reportId == Id;

    public Task<ExportTable> RenderAsync(string reportId, IReadOnlyDictionary<string, string> parameters, ReportViewer viewer, CancellationToken ct = default) =>
        throw new InvalidOperationException("The report query failed (test).");

    public void Validate(string reportId, IReadOnlyDictionary<string, string> parameters, ReportViewer viewer)
    {
    }
}
