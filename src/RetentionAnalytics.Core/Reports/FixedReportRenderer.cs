using RetentionAnalytics.Core.Exports;

namespace RetentionAnalytics.Core.Reports;

/// <summary>The fixed reports for exports, the CLI and scheduled delivery: the same result the report page shows.</summary>
public sealed class FixedReportRenderer(ReportEngine engine) : IReportRenderer
{
    public bool Handles(string reportId) => engine.Catalog.Find(reportId) is not null;

    public Task<ExportTable> RenderAsync(
        string reportId, IReadOnlyDictionary<string, string> parameters, ReportViewer viewer, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        return Task.FromResult(engine.Run(reportId, parameters, viewer).ToExportTable());
    }

    public void Validate(string reportId, IReadOnlyDictionary<string, string> parameters, ReportViewer viewer) =>
        engine.Bind(engine.Authorize(reportId, viewer), parameters, viewer);
}
