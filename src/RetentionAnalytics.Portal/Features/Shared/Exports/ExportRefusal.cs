using System.Net;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Portal.Features.Shared.Exports;

/// <summary>
/// A download link the export endpoint refuses (parameters out of bounds, a damaged cube state): a browser opening it
/// (a bookmarked or hand-edited link, a new tab from the page) gets a small page in the reader's language saying what
/// is wrong, with a link back to the screen it came from; an API client gets the problem details as before. Either way
/// the status is 400.
/// </summary>
public static class ExportRefusal
{
    /// <param name="problem">The refusal for API clients (problem+json's detail, as the service words it).</param>
    /// <param name="message">The refusal in the reader's language, for the page.</param>
    /// <param name="back">The screen the link belongs to, within the portal ("reports/kpi_overview").</param>
    /// <param name="backText">That link's text in the reader's language.</param>
    /// <param name="detail">What exactly the service refused, in the reader's language, when the message is a general one.</param>
    public static IResult Refused(HttpContext http, string problem, string message, string back, string backText, string? detail = null)
    {
        if (!WantsPage(http.Request))
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }
        var l = http.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var root = $"{http.Request.PathBase}/";
        return Results.Content(Page(l, message, detail, root, root + back.TrimStart('/'), backText),
            "text/html; charset=utf-8", System.Text.Encoding.UTF8, StatusCodes.Status400BadRequest);
    }

    /// <summary>A browser navigating names HTML among what it accepts; API clients ask for JSON or name no type at all.</summary>
    public static bool WantsPage(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase) && a.Quality is not 0.0);

    private static string Page(IStringLocalizer<SharedResource> l, string message, string? detail, string root, string back, string backText)
    {
        static string E(string text) => WebUtility.HtmlEncode(text);
        var title = l["ExportRefusedTitle"].Value;
        return $$"""
            <!DOCTYPE html>
            <html lang="{{E(System.Globalization.CultureInfo.CurrentUICulture.Name)}}">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>{{E(l["ProductName"].Value)}} · {{E(title)}}</title>
            <link rel="icon" type="image/svg+xml" href="{{E(root)}}favicon.svg">
            <style>
            body { font-family: system-ui, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC", sans-serif; margin: 3rem auto; max-width: 40rem; padding: 0 1rem; color: #262626; line-height: 1.5; }
            h1 { font-size: 1.5rem; font-weight: 600; }
            p#export-refusal { background: #fff7e6; border-left: 4px solid #f0a500; padding: .75rem 1rem; }
            </style>
            </head>
            <body>
            <h1>{{E(title)}}</h1>
            <p id="export-refusal">{{E(message)}}</p>
            {{(detail is null ? "" : $"<p id=\"export-refusal-detail\">{E(detail)}</p>")}}
            <p><a id="export-back" href="{{E(back)}}">{{E(backText)}}</a></p>
            </body>
            </html>
            """;
    }
}
