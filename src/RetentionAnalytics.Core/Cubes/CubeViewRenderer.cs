using System.Globalization;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;

namespace RetentionAnalytics.Core.Cubes;

/// <summary>
/// Renders a saved view (<c>view:&lt;id&gt;</c>) as the pivoted export table, exactly as the analysis page shows it to
/// the viewer: their region scope, their language; a private view of another user is refused.
/// </summary>
public sealed class CubeViewRenderer(CubeService cubes, CubeViews views) : IReportRenderer
{
    public const string Prefix = "view:";

    /// <summary>The roles that may analyse cubes (the portal's Analysis policy).</summary>
    public static readonly IReadOnlySet<string> AnalysisRoles =
        new HashSet<string>(["administrator", "leader", "city_manager", "analyst"]);

    public bool Handles(string reportId) => TryParse(reportId, out _);

    public Task<ExportTable> RenderAsync(
        string reportId, IReadOnlyDictionary<string, string> parameters, ReportViewer viewer, CancellationToken ct = default)
    {
        var view = Check(reportId, parameters, viewer);
        var language = CubeService.Language(viewer.Language);
        var result = cubes.Run(view.Request, viewer.Scope, language);
        var table = result.ToExportTable(language, Describe(view.Request, viewer.Scope, language));
        return Task.FromResult(table with { Title = $"{view.Name} — {table.Title}" });
    }

    public void Validate(string reportId, IReadOnlyDictionary<string, string> parameters, ReportViewer viewer) =>
        Check(reportId, parameters, viewer);

    private CubeView Check(string reportId, IReadOnlyDictionary<string, string> parameters, ReportViewer viewer)
    {
        if (!TryParse(reportId, out var viewId))
        {
            throw new KeyNotFoundException($"not a saved view: {CubeDefinition.Short(reportId)}");
        }
        if (!viewer.Roles.Overlaps(AnalysisRoles))
        {
            throw new UnauthorizedAccessException("the viewer's roles may not open cube views");
        }
        var unknown = parameters.Keys.FirstOrDefault();
        if (unknown is not null)
        {
            throw new ArgumentException($"a saved view takes no parameters: '{CubeDefinition.Short(unknown)}'", CubeDefinition.Short(unknown));
        }
        return views.Open(viewId, viewer.Username);
    }

    /// <summary>The filters of a request in the viewer's language, members by name as the page shows them, for the export's header block.</summary>
    public IReadOnlyList<ExportFilter> Describe(PivotRequest request, RegionScope scope, string language)
    {
        var cube = cubes.Catalog.Get(request.Cube);
        var filters = request.FilterList
            .Where(f => f.Members.Count > 0)
            .Select(f => new ExportFilter(cube.Dimension(f.Dimension).Level(f.Level).Title.In(language),
                string.Join(", ", cubes.MemberLabels(request.Cube, f, scope, language))))
            .ToList();
        if (request.Top is { } top)
        {
            var label = language switch { "de" => "Top", "zh" => "前N名", _ => "Top" };
            filters.Add(new ExportFilter(label, $"{top.Count.ToString(CultureInfo.InvariantCulture)} · {cube.Measure(top.Measure).Title.In(language)}"));
        }
        return filters;
    }

    private static bool TryParse(string reportId, out long viewId)
    {
        viewId = 0;
        return reportId.StartsWith(Prefix, StringComparison.Ordinal)
            && long.TryParse(reportId.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out viewId);
    }
}
