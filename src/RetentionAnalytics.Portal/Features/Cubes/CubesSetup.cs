using RetentionAnalytics.Core.Definitions;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Cubes;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Portal.Features.Shared.Access;
using RetentionAnalytics.Portal.Features.Shared.Exports;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Portal.Features.Cubes;

public static class CubesSetup
{
    public static ReportViewer ToReportViewer(this ICurrentUser user, string language) =>
        new(user.Username ?? "", user.Roles, user.Scope, language, user.SeesUnmaskedIdentifiers);

    /// <summary>
    /// <c>POST /api/cubes/query</c>: a pivot request in, the pivot result out, over the caller's scope.
    /// <c>GET /api/cubes/views/{id}/export</c> and <c>GET /api/cubes/export?state=</c>: the saved view or the screen's
    /// unsaved state as xlsx or csv through the audited <see cref="IExporter"/>. A state that cannot be read or names what
    /// the cube does not have answers a browser with a page in the reader's language (<see cref="ExportRefusal"/>), an API
    /// client with problem details.
    /// </summary>
    public static WebApplication MapCubes(this WebApplication app)
    {
        app.MapPost("/api/cubes/query", (PivotRequest request, string? lang, CubeService cubes, ICurrentUser user) =>
            {
                try
                {
                    if (!request.IsComplete)
                    {
                        return Results.BadRequest(new { error = "the request lacks a cube, its axes or its measures, or holds a null" });
                    }
                    return Results.Ok(cubes.Run(request, user.Scope, CubeService.Language(lang ?? PortalLanguage.Current)));
                }
                catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException)
                {
                    return Results.BadRequest(new { error = ex.Message });
                }
                catch (DataNotDeliveredException ex)
                {
                    return Results.Conflict(new { error = ex.Message, missing = ex.Missing });
                }
            })
            .RequireAuthorization(PortalPolicies.Analysis);

        app.MapGet("/api/cubes/views/{id:long}/export", async (long id, string? format, HttpContext http, CubeViewRenderer renderer, IExporter exporter, ICurrentUser user) =>
            {
                var language = PortalLanguage.Current;
                try
                {
                    var table = await renderer.RenderAsync($"{CubeViewRenderer.Prefix}{id}", new Dictionary<string, string>(), user.ToReportViewer(language), http.RequestAborted);
                    return ExportDownload.File(exporter, table, format, user, $"{CubeViewRenderer.Prefix}{id}");
                }
                catch (KeyNotFoundException)
                {
                    return Results.NotFound();
                }
                catch (UnauthorizedAccessException)
                {
                    return Results.Forbid();
                }
                catch (DataNotDeliveredException ex)
                {
                    return Results.Conflict(new { error = ex.Message, missing = ex.Missing });
                }
            })
            .RequireAuthorization(PortalPolicies.Analysis);

        app.MapGet("/api/cubes/export", (string? state, string? format, HttpContext http, CubeService cubes, CubeViewRenderer renderer, IExporter exporter,
                ICurrentUser user, IStringLocalizer<CubesResource> t, IStringLocalizer<RefusalResource> r) =>
            {
                var language = PortalLanguage.Current;
                var request = CubeState.Decode(state);
                try
                {
                    if (request is null)
                    {
                        return Damaged(http, t, "the state in the link cannot be read", null);
                    }
                    var result = cubes.Run(request, user.Scope, language);
                    var table = result.ToExportTable(language, renderer.Describe(request, user.Scope, language));
                    return ExportDownload.File(exporter, table, format, user, $"cube:{request.Cube}");
                }
                catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException)
                {
                    // the link names a cube, measure or level the cube does not have (any more)
                    return Damaged(http, t, ex.Message, ex is Core.Refusals.IRefusal ? r.Text(ex) : null);
                }
                catch (DataNotDeliveredException ex)
                {
                    return Results.Conflict(new { error = ex.Message, missing = ex.Missing });
                }
            })
            .RequireAuthorization(PortalPolicies.Analysis);
        return app;
    }

    /// <summary>A download link whose state is damaged or names what the cube does not have: export again from the page.</summary>
    private static IResult Damaged(HttpContext http, IStringLocalizer<CubesResource> t, string problem, string? reason) =>
        ExportRefusal.Refused(http, problem, t["ExportLinkDamaged"], "analysis/cubes", t["BackToCubes"], reason);
}
