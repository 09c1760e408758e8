using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace RetentionAnalytics.Tests.Support;

/// <summary>
/// Signing in to a real portal the way a browser does: fetch the sign-in form for its antiforgery token and cookie,
/// post it, keep the session cookie. Demo accounts and their password are those of docs/portal.md.
/// </summary>
public static partial class PortalSignIn
{
    public const string DemoPassword = "Retention-2026";

    /// <summary>One demo account per role (common brief).</summary>
    public static readonly IReadOnlyDictionary<string, string> AccountOfRole = new Dictionary<string, string>
    {
        ["administrator"] = "admin",
        ["leader"] = "leader",
        ["city_manager"] = "manager.hz",
        ["analyst"] = "analyst",
        ["user"] = "user",
        ["supervisor"] = "supervisor.hz",
        ["agent"] = "agent.hz1",
    };

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();

    /// <summary>A client with its own cookie jar; redirects are not followed unless asked, so tests see them.</summary>
    public static HttpClient NewClient(Uri baseAddress, bool followRedirects = false, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = followRedirects, UseCookies = true })
        {
            BaseAddress = baseAddress,
            Timeout = TimeSpan.FromSeconds(60),
        };

    /// <summary>The antiforgery token of a page's first form (the cookie half lands in the client's jar).</summary>
    public static async Task<string> FormTokenAsync(HttpClient http, string path)
    {
        var html = await http.GetStringAsync(path);
        var match = TokenPattern().Match(html);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : throw new InvalidOperationException($"no antiforgery token on {path}");
    }

    /// <summary>Posts the sign-in form; the response is the redirect (to the start page, or back with an error).</summary>
    public static async Task<HttpResponseMessage> PostSignInAsync(HttpClient http, string username, string password, string returnUrl = "/")
    {
        var token = await FormTokenAsync(http, "account/signin");
        return await http.PostAsync("account/signin", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token,
            ["Username"] = username,
            ["Password"] = password,
            ["ReturnUrl"] = returnUrl,
        }));
    }

    /// <summary>A client signed in as the account; fails the test when the sign-in is refused.</summary>
    public static async Task<HttpClient> SignedInAsync(Uri baseAddress, string username, string password = DemoPassword, bool followRedirects = false)
    {
        var cookies = new CookieContainer();
        using (var signIn = NewClient(baseAddress, followRedirects: false, cookies))
        {
            using var response = await PostSignInAsync(signIn, username, password);
            var location = response.Headers.Location?.ToString() ?? "";
            if (response.StatusCode != HttpStatusCode.Redirect || location.Contains("error=", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"sign-in as {username} refused: {(int)response.StatusCode} {location}");
            }
        }
        var client = NewClient(baseAddress, followRedirects, cookies);
        await AddAntiforgeryHeaderAsync(client);
        return client;
    }

    /// <summary>
    /// The session's antiforgery token as a default header, as a script calling the data endpoints does: every POST,
    /// PUT and DELETE needs it (GET /api/antiforgery).
    /// </summary>
    public static async Task AddAntiforgeryHeaderAsync(HttpClient http)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("api/antiforgery"));
        http.DefaultRequestHeaders.Remove(doc.RootElement.GetProperty("headerName").GetString()!);
        http.DefaultRequestHeaders.Add(doc.RootElement.GetProperty("headerName").GetString()!, doc.RootElement.GetProperty("token").GetString());
    }

    /// <summary>Signs the browser page in through the form, as a person would.</summary>
    public static async Task SignInAsync(IPage page, Uri baseAddress, string username, string password = DemoPassword)
    {
        await page.GotoAsync(new Uri(baseAddress, "account/signin").ToString());
        await page.Locator("#username").FillAsync(username);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#signin").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }
}
