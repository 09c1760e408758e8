using Microsoft.AspNetCore.Localization;

namespace RetentionAnalytics.Portal.Features.Shared.Localization;

public static class LocalizationSetup
{
    /// <summary>The portal speaks English, German and Simplified Chinese (BRIEF.md, languages).</summary>
    public static readonly string[] Cultures = ["en", "de", "zh-Hans"];

    public static WebApplicationBuilder AddPortalLocalization(this WebApplicationBuilder builder)
    {
        builder.Services.AddLocalization();
        builder.Services.Configure<RequestLocalizationOptions>(o => o
            .SetDefaultCulture(Cultures[0])
            .AddSupportedCultures(Cultures)
            .AddSupportedUICultures(Cultures));
        return builder;
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
