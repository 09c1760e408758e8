using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>The operations page says which tables a build refreshed, how and why.</summary>
[Collection(PortalCollection.Name)]
public sealed class BuildHistoryBrowserTests(PortalHost portal)
{
    [Fact]
    public async Task A_daily_file_in_the_inbox_refreshes_only_its_day_and_the_newest_month_and_the_operations_page_says_so()
    {
        // the ODS delivers the last day's usage once more, byte for byte different (CRLF) and row for row the same
        Directory.CreateDirectory(portal.Inbox);
        var sample = Path.Combine(PortalHost.RepositoryRoot, "data-samples", "province", "usage_day_20261031.csv");
        var delivered = Path.Combine(portal.Inbox, "usage_day_20261031_1.csv");
        await File.WriteAllTextAsync(delivered + ".tmp", (await File.ReadAllTextAsync(sample)).ReplaceLineEndings("\r\n"));
        File.Move(delivered + ".tmp", delivered);
        await portal.WaitFor(() => Task.FromResult(!File.Exists(delivered)), TimeSpan.FromMinutes(3), "the inbox delivery to be processed");
        await portal.WaitFor(async () => (await portal.LatestRun())?.Status is "succeeded" or "failed", TimeSpan.FromMinutes(3), "the inbox run to end");

        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "admin");
            await page.GotoAsync(new Uri(portal.BaseAddress, "operations").ToString());

            var models = page.Locator("#build-models");
            await Assertions.Expect(models).ToContainTextAsync("dw.fct_usage_day");
            await Assertions.Expect(Row(models, "dw.fct_usage_day")).ToContainTextAsync("incremental");
            await Assertions.Expect(Row(models, "dw.fct_usage_day")).ToContainTextAsync("1 day(s): 2026-10-31");
            await Assertions.Expect(Row(models, "mart.mart_subscriber_features")).ToContainTextAsync("1 month(s): 2026-10");
            await Assertions.Expect(Row(models, "dw.fct_subscriber_month")).ToHaveCountAsync(0);
            await Assertions.Expect(Row(models, "mart.cube_subscriber_month")).ToHaveCountAsync(0);

            // an earlier build (the first start's) was a full one; the grid answers clicks once the page is live
            await Assertions.Expect(page.Locator("#run-pipeline")).ToBeEnabledAsync(new() { Timeout = 30_000 });
            await page.Locator("#build-list tbody tr").Last.Locator("td").First.ClickAsync();
            await Assertions.Expect(Row(models, "dw.dim_subscriber")).ToContainTextAsync("full");

            await Screenshots.TakeAsync(page, portal, "operations", "operations-builds");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>The grid row of a table: the one whose first cell is its name (reasons name other tables too).</summary>
    private static ILocator Row(ILocator grid, string model) =>
        grid.Locator("tr").Filter(new() { Has = grid.Page.Locator("td:first-child", new() { HasTextRegex = new System.Text.RegularExpressions.Regex($"^\\s*{System.Text.RegularExpressions.Regex.Escape(model)}\\s*$") }) });
}
