using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Exports;

namespace RetentionAnalytics.Core.Reports;

/// <summary>
/// Who a report is rendered for: the portal builds it from the signed-in user, the CLI (<c>report --as</c>) and the
/// scheduled delivery from the account in <c>ops.app_user</c>. Role names are the portal's (administrator, leader,
/// city_manager, analyst, user, supervisor, agent).
/// </summary>
/// <param name="Language"><c>en</c>, <c>de</c> or <c>zh</c>: titles, headers and names.</param>
public sealed record ReportViewer(
    string Username, IReadOnlySet<string> Roles, RegionScope Scope, string Language, bool SeesUnmaskedIdentifiers);

/// <summary>
/// Renders a fixed report or a saved cube view exactly as the portal shows it to <see cref="ReportViewer"/>: the same
/// scope, rows, order and totals, with the filters used and the data-as-of stamp.
/// </summary>
public interface IReportRenderer
{
    /// <summary>Whether this renderer knows the id (fixed report ids, or <c>view:&lt;id&gt;</c> for saved views).</summary>
    bool Handles(string reportId);

    /// <exception cref="UnauthorizedAccessException">The viewer's roles may not read the report.</exception>
    /// <exception cref="KeyNotFoundException">No such report or view.</exception>
    /// <exception cref="ArgumentException">A parameter is unknown or out of bounds; the message names it.</exception>
    Task<ExportTable> RenderAsync(
        string reportId, IReadOnlyDictionary<string, string> parameters, ReportViewer viewer, CancellationToken ct = default);

    /// <summary>
    /// The checks of <see cref="RenderAsync"/> without running the report: whether the viewer may read it with these
    /// parameters (a scheduled delivery is refused when it is made, not three failed runs later).
    /// </summary>
    /// <exception cref="UnauthorizedAccessException">The viewer's roles may not read the report.</exception>
    /// <exception cref="KeyNotFoundException">No such report or view.</exception>
    /// <exception cref="ArgumentException">A parameter is unknown, out of bounds or outside the viewer's scope; <see cref="ArgumentException.ParamName"/> names it.</exception>
    void Validate(string reportId, IReadOnlyDictionary<string, string> parameters, ReportViewer viewer);
}
