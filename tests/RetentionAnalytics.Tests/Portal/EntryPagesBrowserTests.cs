using System.Net;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// The first screens everyone sees — sign-in, 403, 404 — in Debian's chromium, in English, German and Chinese at 1280
/// and 1440 px: the theme's font (issue 12 item 12: they fell back to Times New Roman), styled language links, a
/// favicon, and under the Content Security Policy no violation and no script error (issue 13 item 6). Full-page
/// screenshots are kept in <c>screenshots/entry-pages</c> under the test output.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class EntryPagesBrowserTests(PortalHost portal)
{
    public static string ScreenshotFolder => Path.Combine(AppContext.BaseDirectory, "screenshots", "entry-pages");

    private string Url(string path) => new Uri(portal.BaseAddress, path).ToString();

    /// <summary>A page that records what the browser complains about: CSP violations, console errors, uncaught errors.</summary>
    private static async Task<(IPage Page, List<string> Problems)> OpenAsync(IBrowser browser, int width)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        var problems = new List<string>();
        page.Console += (_, message) =>
        {
            // a 403 or 404 page the test opened on purpose is reported as a failed load of that document itself
            var ownStatus = message.Text.StartsWith("Failed to load resource: the server responded with a status of 40", StringComparison.Ordinal)
                && message.Location is { } at && Path.GetExtension(new Uri(at).AbsolutePath) == "";
            if (message.Type is "error" or "warning" && !ownStatus)
            {
                problems.Add($"console {message.Type}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => problems.Add($"page error: {error}");
        // the browser's own report of a blocked resource or script, before any console message
        await page.AddInitScriptAsync("""
            document.addEventListener('securitypolicyviolation', e =>
                console.error('CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));
            """);
        return (page, problems);
    }

    private async Task SwitchLanguage(IPage page, string culture)
    {
        await page.GotoAsync(Url("account/signin"));
        await page.Locator($".ra-languages a[data-culture='{culture}']").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", culture);
    }

    private static async Task AssertStyledEntryPage(IPage page, string culture)
    {
        var font = await page.Locator(".ra-account-card h1").EvaluateAsync<string>("e => getComputedStyle(e).fontFamily");
        Assert.Contains("Roboto", font);
        var body = await page.Locator(".ra-account").EvaluateAsync<string>("e => getComputedStyle(e).fontFamily");
        Assert.DoesNotContain("Times", body);
        var current = page.Locator($".ra-languages a[data-culture='{culture}']");
        Assert.Equal("true", await current.GetAttributeAsync("aria-current"));
        Assert.Equal("none", await page.Locator(".ra-languages a").First.EvaluateAsync<string>("e => getComputedStyle(e).textDecorationLine"));
        // the absolute address the browser resolves against the page's <base>
        var icon = await page.Locator("link[rel=icon]").EvaluateAsync<string>("e => e.href");
        var response = await page.APIRequest.GetAsync(icon);
        Assert.Equal(200, response.Status);
        Assert.StartsWith("image/svg+xml", response.Headers["content-type"]);
    }

    [Theory]
    [InlineData("en", "Sign in", "Access denied", "not found")]
    [InlineData("de", "Anmelden", "Zugriff verweigert", "nicht gefunden")]
    [InlineData("zh-Hans", "登录", "拒绝访问", "未找到")]
    public async Task Sign_in_403_and_404_use_the_portals_type_and_styles_without_a_csp_violation(string culture, string signIn, string denied, string notFound)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            Directory.CreateDirectory(ScreenshotFolder);
            foreach (var width in new[] { 1280, 1440 })
            {
                var (page, problems) = await OpenAsync(browser, width);
                await SwitchLanguage(page, culture);
                await Assertions.Expect(page.Locator("h1")).ToContainTextAsync(signIn);
                await AssertStyledEntryPage(page, culture);
                await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"signin-{culture}-{width}.png"), FullPage = true });

                // an agent opening the administrators' page, and an address no page answers; the sign-in applies the
                // account's stored language, so the status page's own language links switch it (and switch it back)
                await page.Locator("#username").FillAsync("agent.hz2");
                await page.Locator("#password").FillAsync(PortalSignIn.DemoPassword);
                await page.Locator("#signin").ClickAsync();
                await page.WaitForURLAsync("**/my-tasks**");
                try
                {
                    var forbidden = await page.GotoAsync(Url("admin/users"));
                    Assert.Equal((int)HttpStatusCode.Forbidden, forbidden!.Status);
                    await page.Locator($".ra-languages a[data-culture='{culture}']").ClickAsync();
                    await page.WaitForURLAsync("**/admin/users");
                    await Assertions.Expect(page.Locator("#status-title")).ToContainTextAsync(denied);
                    await Assertions.Expect(page.Locator("#status-code")).ToHaveTextAsync("403");
                    await AssertStyledEntryPage(page, culture);
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"403-{culture}-{width}.png"), FullPage = true });

                    var missing = await page.GotoAsync(Url("no/such/page"));
                    Assert.Equal((int)HttpStatusCode.NotFound, missing!.Status);
                    await Assertions.Expect(page.Locator("#status-title")).ToContainTextAsync(notFound, new() { IgnoreCase = true });
                    await AssertStyledEntryPage(page, culture);
                    await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, $"404-{culture}-{width}.png"), FullPage = true });
                }
                finally
                {
                    await page.GotoAsync(Url("no/such/page"));
                    await page.Locator(".ra-languages a[data-culture='en']").ClickAsync();
                    await page.WaitForURLAsync("**/no/such/page");
                }
                await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "en");
                Assert.True(problems.Count == 0, string.Join('\n', problems));
                await page.Context.CloseAsync();
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Theory]
    [InlineData("leader", "overview")]
    [InlineData("leader", "reports/kpi_overview")]
    [InlineData("analyst", "analysis/cubes")]
    [InlineData("admin", "operations")]
    [InlineData("supervisor.hz", "call-lists")]
    [InlineData("agent.hz1", "my-tasks")]
    public async Task Interactive_pages_work_under_the_content_security_policy(string account, string path)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var (page, problems) = await OpenAsync(browser, 1440);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, account);
            await page.GotoAsync(Url(path));
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            // a pivot's drill link is an anchor the server answers; the browser must not try to run its javascript: href
            if (await page.Locator("a.pivot-member").CountAsync() > 0)
            {
                await page.Locator("a.pivot-member").First.ClickAsync();
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            }
            // the circuit is up: a click inside the page is answered by the server (the navigation menu opens a page)
            await Assertions.Expect(page.Locator("#main-nav")).ToBeVisibleAsync();
            var link = page.Locator("#main-nav a[href]").Last;
            var target = await link.GetAttributeAsync("href");
            await link.ClickAsync();
            await page.WaitForURLAsync(url => new Uri(url).AbsolutePath.TrimStart('/') == target!.TrimStart('/'));
            await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
            await Assertions.Expect(page.Locator("#blazor-error-ui")).ToBeHiddenAsync();
            Assert.True(problems.Count == 0, string.Join('\n', problems));
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
