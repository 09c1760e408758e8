using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Definitions;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Shared.Access;

using RetentionAnalytics.Portal.Features.Shared.Exports;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Portal.Features.Reports;

public static class ReportsSetup
{
    /// <summary>
    /// <c>GET /api/reports/{id}</c> (the rows as JSON) and <c>GET /api/reports/{id}/export?format=xlsx|csv</c> (the same
    /// rows as a file, through the audited exporter). Both read the report's parameters from the query string, check the
    /// report's own roles on the server and scope the rows by the signed-in user. A download link with refused parameters
    /// answers a browser with a page in the reader's language (<see cref="ExportRefusal"/>), an API client with problem details.
    /// </summary>
    public static WebApplication MapReports(this WebApplication app)
    {
        // a broken definition stops the start here, with the file and the fault in the message
        app.Services.GetRequiredService<ReportCatalog>();

        var group = app.MapGroup("/api/reports").RequireAuthorization(PortalPolicies.Reports);
        group.MapGet("/{id}", (string id, HttpContext http, ReportEngine engine, ICurrentUser user) =>
            Guarded(() =>
            {
                var result = engine.Run(id, QueryParameters(http), user.ToReportViewer());
                var visible = result.Visible;
                return Results.Ok(new
                {
                    id,
                    title = result.Title,
                    dataAsOf = result.DataAsOf,
                    filters = result.Filters,
                    columns = visible.Select(c => new { name = c.Name, header = c.Header, format = c.Format.ToString() }),
                    rows = result.Rows.Select(r => new
                    {
                        kind = r.Kind.ToString(),
                        cells = visible.ToDictionary(c => c.Name, c => r.Cells[c.Index]),
                    }),
                });
            }));
        group.MapGet("/{id}/export", async (string id, string? format, HttpContext http, IEnumerable<IReportRenderer> renderers, IExporter exporter, ICurrentUser user,
            ReportCatalog catalog, IStringLocalizer<RefusalResource> r, IStringLocalizer<ReportsResource> t) =>
        {
            if (renderers.FirstOrDefault(r => r.Handles(id)) is not { } renderer)
            {
                return Results.NotFound();
            }
            ExportTable table;
            try
            {
                table = await renderer.RenderAsync(id, QueryParameters(http, "format"), user.ToReportViewer(), http.RequestAborted);
            }
            catch (ArgumentException ex)
            {
                // a link with parameters the page would refuse too: said in the reader's language to a browser
                var title = catalog.Find(id)?.Title.In(PortalLanguage.Current) ?? id;
                return ExportRefusal.Refused(http, ex.Message, r.Text(ex), $"reports/{Uri.EscapeDataString(id)}", t["BackToReport", title]);
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or KeyNotFoundException or DataNotDeliveredException)
            {
                return Refusal(ex);
            }
            return ExportDownload.File(exporter, table, format, user, "report:" + id);
        });
        return app;
    }

    /// <summary>The signed-in user as the report engine sees them, texts in the page's language.</summary>
    public static ReportViewer ToReportViewer(this ICurrentUser user) => new(
        user.Username ?? "", user.Roles, user.Scope, PortalLanguage.Current, user.SeesUnmaskedIdentifiers);

    private static Dictionary<string, string> QueryParameters(HttpContext http, params string[] skip) =>
        http.Request.Query.Where(q => !skip.Contains(q.Key)).ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);

    private static IResult Guarded(Func<IResult> run)
    {
        try
        {
            return run();
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or KeyNotFoundException or ArgumentException or DataNotDeliveredException)
        {
            return Refusal(ex);
        }
    }

    private static IResult Refusal(Exception ex) => ex switch
    {
        UnauthorizedAccessException => Results.StatusCode(StatusCodes.Status403Forbidden),
        KeyNotFoundException => Results.NotFound(),
        // the warehouse lacks an extract the report needs: the request is fine, the data is not there (yet)
        DataNotDeliveredException => Results.Problem(ex.Message, statusCode: StatusCodes.Status409Conflict),
        _ => Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest),
    };
}
