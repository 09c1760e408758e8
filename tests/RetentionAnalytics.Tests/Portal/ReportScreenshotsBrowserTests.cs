using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// Every report, the KPI overview, the cube page and the operations page in English, German and Chinese at 1280 and
/// 1440 px: no error, nothing wider than the window, and a full-page screenshot of each kept as test output
/// (<c>artifacts/screenshots/reports</c>, or under <c>RA_SCREENSHOTS</c>).
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ReportScreenshotsBrowserTests(PortalHost portal)
{
    private static readonly int[] Widths = [1280, 1440];

    private static IEnumerable<string> ReportPages => Directory.GetFiles(Path.Combine(PortalHost.RepositoryRoot, "reports", "fixed"), "*.yaml")
        .Select(f => "reports/" + Path.GetFileNameWithoutExtension(f)).Order();

    private async Task Walk(string account, string culture, IEnumerable<string> paths)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = Widths[0], Height = 900 } })).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            var checks = new PageChecks(page);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, account);
            // the switch is also the account's preferred language: it goes back to English whatever happens
            await page.GotoAsync(new Uri(portal.BaseAddress, $"culture/set?culture={culture}&redirectUri=/").ToString());
            try
            {
                await WalkPages(page, checks, culture, paths);
            }
            finally
            {
                await page.GotoAsync(new Uri(portal.BaseAddress, "culture/set?culture=en&redirectUri=/").ToString());
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private async Task WalkPages(IPage page, PageChecks checks, string culture, IEnumerable<string> paths)
    {
            foreach (var path in paths)
            {
                await page.GotoAsync(new Uri(portal.BaseAddress, path).ToString());
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                // interactive: charts are drawn once the circuit measured them
                await Assertions.Expect(page.Locator("h1").First).ToBeVisibleAsync();
                foreach (var width in Widths)
                {
                    await page.SetViewportSizeAsync(width, 900);
                    await page.WaitForTimeoutAsync(500);
                    var where = $"{path} in {culture} at {width} px";
                    await checks.AssertHealthy(where);
                    await checks.AssertNoSidewaysOverflow(where);
                    var name = path.Replace('/', '_');
                    var file = await checks.Screenshot(Path.Combine("reports", culture), $"{name}-{width}");
                    Assert.True(new FileInfo(file).Length > 10_000, $"{where}: an empty screenshot");
                }
                await page.SetViewportSizeAsync(Widths[0], 900);
            }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    [InlineData("zh-Hans")]
    public Task The_leaders_pages_render_cleanly_and_are_kept_as_screenshots(string culture) =>
        Walk("leader", culture, ["overview", .. ReportPages, "analysis/cubes"]);

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    [InlineData("zh-Hans")]
    public Task The_operations_page_renders_cleanly_and_is_kept_as_a_screenshot(string culture) =>
        Walk("admin", culture, ["operations"]);
}
