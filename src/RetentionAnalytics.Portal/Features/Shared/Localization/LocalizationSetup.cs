using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace RetentionAnalytics.Portal.Features.Shared.Localization;

public static class LocalizationSetup
{
    /// <summary>The portal speaks English, German and Simplified Chinese (BRIEF.md, languages).</summary>
    public static readonly string[] Cultures = ["en", "de", "zh-Hans"];

    /// <summary>
    /// The region whose dates, times and first day of the week each language uses, unless <c>Localization:Formats:&lt;language&gt;</c>
    /// names another region of the same language (e.g. <c>en-US</c>): one date format per language on every page.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> DefaultFormats = new Dictionary<string, string>
    {
        ["en"] = "en-GB",
        ["de"] = "de-DE",
        ["zh-Hans"] = "zh-CN",
    };

    public static WebApplicationBuilder AddPortalLocalization(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        var cultures = Cultures.Select(c => Culture(c, builder.Configuration[$"Localization:Formats:{c}"])).ToList();
        builder.Services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture(cultures[0], cultures[0]);
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
        });
        return builder;
    }

    /// <summary>
    /// The language's culture (its name stays en, de or zh-Hans: texts are looked up by it) with the date and time
    /// formats and first day of the week of a region, set here once so that every page, grid, chart and date picker
    /// formats alike (neutral "en" would write US dates with weeks starting on Sunday).
    /// </summary>
    public static CultureInfo Culture(string language, string? formatRegion = null)
    {
        var culture = (CultureInfo)CultureInfo.GetCultureInfo(language).Clone();
        var region = string.IsNullOrWhiteSpace(formatRegion) ? DefaultFormats[language] : formatRegion.Trim();
        var format = (DateTimeFormatInfo)CultureInfo.GetCultureInfo(region).DateTimeFormat.Clone();
        if (!language.StartsWith("zh", StringComparison.Ordinal))
        {
            // a month in a chart label, a picker or a heading: "Oct 2026", "Okt. 2026" (Chinese keeps 2026年10月)
            format.YearMonthPattern = "MMM yyyy";
        }
        culture.DateTimeFormat = format;
        // shared by every request and circuit: nobody may change it underneath them
        return CultureInfo.ReadOnly(culture);
    }

    /// <summary>
    /// <c>/culture/set?culture=de&amp;redirectUri=/operations</c>: stores the choice in the culture cookie (and, for a
    /// signed-in user, as their preferred language, applied at each sign-in) and goes back. A Blazor circuit keeps
    /// the culture it started with, so the switch is a full page load. Open to everyone: the sign-in page offers it.
    /// </summary>
    public static WebApplication MapCultureSwitch(this WebApplication app)
    {
        app.MapGet("/culture/set", (HttpContext http, AccountStore accounts, string? culture, string? redirectUri) =>
        {
            if (culture is not null && Cultures.Contains(culture, StringComparer.OrdinalIgnoreCase))
            {
                var chosen = Cultures.First(c => c.Equals(culture, StringComparison.OrdinalIgnoreCase));
                WriteCultureCookie(http.Response, chosen);
                // the account's stored preference changes only when the portal's own page asked (Fetch Metadata):
                // a link on another site may switch this browser's language, not the account's
                if (http.User.Identity is { IsAuthenticated: true, Name: { } username }
                    && http.Request.Headers["Sec-Fetch-Site"].ToString() is "" or "same-origin" or "none")
                {
                    accounts.SetLanguage(username, chosen);
                }
            }
            // Only local targets: the parameter comes from the query string.
            var target = redirectUri is { Length: > 0 } && IsLocal(redirectUri) ? redirectUri : "/";
            return Results.LocalRedirect(target);
        }).AllowAnonymous();
        return app;
    }

    /// <summary>The culture cookie that request localization reads (a supported culture, else the default).</summary>
    public static void WriteCultureCookie(HttpResponse response, string culture)
    {
        var chosen = Cultures.FirstOrDefault(c => c.Equals(culture, StringComparison.OrdinalIgnoreCase)) ?? Cultures[0];
        response.Cookies.Append(
            CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(chosen)),
            new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, SameSite = SameSiteMode.Lax, Secure = response.HttpContext.Request.IsHttps });
    }

    private static bool IsLocal(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal);
}
