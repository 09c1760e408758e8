using RetentionAnalytics.Core.Definitions;
using System.Text;
using System.Text.Json;
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

    /// <summary>The unsaved state of the page in a download link (URL-safe base64 of the request JSON).</summary>
    public static string EncodeState(PivotRequest request) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(CubeViews.Serialize(request))).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static PivotRequest DecodeState(string state)
    {
        var base64 = state.Replace('-', '+').Replace('_', '/');
        base64 = base64.PadRight(base64.Length + (4 - base64.Length % 4) % 4, '=');
        return CubeViews.Deserialize(Encoding.UTF8.GetString(Convert.FromBase64String(base64)));
    }

    /// <summary>
    /// <c>POST /api/cubes/query</c>: a pivot request in, the pivot result out, over the caller's scope.
    /// <c>GET /api/cubes/views/{id}/export</c> and <c>GET /api/cubes/export?state=</c>: the saved view or the screen's
    /// unsaved state as xlsx or csv through the audited <see cref="IExporter"/>.
    /// </summary>
    public static WebApplication MapCubes(this WebApplication app)
    {
        app.MapPost("/api/cubes/query", (PivotRequest request, string? lang, CubeService cubes, ICurrentUser user) =>
            {
                try
                {
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

        app.MapGet("/api/cubes/export", (string state, string? format, CubeService cubes, CubeViewRenderer renderer, IExporter exporter, ICurrentUser user) =>
            {
                var language = PortalLanguage.Current;
                try
                {
                    var request = DecodeState(state);
                    var result = cubes.Run(request, user.Scope, language);
                    var table = result.ToExportTable(language, renderer.Describe(request, user.Scope, language));
                    return ExportDownload.File(exporter, table, format, user, $"cube:{request.Cube}");
                }
                catch (Exception ex) when (ex is ArgumentException or KeyNotFoundException or FormatException or JsonException)
                {
                    return Results.BadRequest(new { error = ex.Message });
                }
                catch (DataNotDeliveredException ex)
                {
                    return Results.Conflict(new { error = ex.Message, missing = ex.Missing });
                }
            })
            .RequireAuthorization(PortalPolicies.Analysis);
        return app;
    }
}
