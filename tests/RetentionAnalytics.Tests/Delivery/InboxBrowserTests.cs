using Microsoft.Playwright;
using RetentionAnalytics.Tests.Exports;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Delivery;

/// <summary>
/// A city manager in Debian's chromium: the KPI report on screen and as an Excel download, a subscription from the
/// report page, a delivery from the inbox, and the delivered file read back by LibreOffice, all holding their city only.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class InboxBrowserTests(PortalHost portal)
{
    private string Url(string path) => new Uri(portal.BaseAddress, path).ToString();

    /// <summary>Downloads a link of the page with the page's own session cookie and reads the sheet as LibreOffice shows it.</summary>
    private async Task<List<string[]>> DownloadSheet(IPage page, string href)
    {
        // links are relative to the portal's base address (<base href>), not to the page's path
        var response = await page.APIRequest.GetAsync(Url(href));
        Assert.True(response.Ok, $"{href}: {response.Status}");
        var path = Path.Combine(Directory.CreateTempSubdirectory("ra-inbox-").FullName, "download.xlsx");
        await File.WriteAllBytesAsync(path, await response.BodyAsync());
        return LibreOffice.ReadAsShown(path);
    }

    /// <summary>The rows below the column headers (the header block above holds title, filters and stamp) and the City column.</summary>
    private static (List<string[]> Rows, int City) Body(List<string[]> sheet)
    {
        // the column headers: the first row with more than a label and a value that names the City column
        var header = sheet.FindIndex(r => r.Count(c => c.Length > 0) > 2 && r.Contains("City"));
        Assert.True(header >= 0, "a City column");
        return (sheet.Skip(header + 1).Where(r => r.Any(c => c.Length > 0)).ToList(), Array.IndexOf(sheet[header], "City"));
    }

    /// <summary>The cities of the data rows, by name (subtotal and total rows say so in the City column).</summary>
    private static List<string> Cities(List<string[]> sheet)
    {
        var (rows, city) = Body(sheet);
        return rows.Where(r => r.Length > city && r[city].Length > 0 && r[city] is not ("Subtotal" or "Total")).Select(r => r[city]).ToList();
    }

    [Fact]
    public async Task A_city_manager_exports_the_kpi_report_subscribes_to_it_and_downloads_the_delivered_copy_of_their_city()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "manager.hz");

            await page.GotoAsync(Url("reports/kpi_overview"));
            await Assertions.Expect(page.Locator("#subscribe")).ToBeEnabledAsync();
            var gridRows = await page.Locator("#report-grid tbody tr").CountAsync();
            Assert.True(gridRows > 0);
            var exported = await DownloadSheet(page, (await page.Locator("#export-xlsx").GetAttributeAsync("href"))!);
            // the screen's rows, subtotals and total included, in the file
            Assert.Equal(gridRows, Body(exported).Rows.Count);
            var exportedCities = Cities(exported);
            Assert.NotEmpty(exportedCities);
            Assert.All(exportedCities, c => Assert.Equal("Hangzhou", c));

            await page.Locator("#subscribe-panel legend").ClickAsync();
            // the panel opens in a render of its own: a click while it renders may reach a button being replaced
            await Assertions.Expect(page.Locator("#subscribe-panel [aria-expanded='true']")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#subscribe")).ToBeEnabledAsync();
            await page.Locator("#subscribe").ClickAsync();
            // the subscription is written and the next delivery computed: slower on a busy machine than Expect's 5 s
            await Assertions.Expect(page.Locator("#subscribe-message")).ToContainTextAsync("Subscribed", new() { Timeout = 30_000 });

            await page.Locator("#subscribe-inbox-link").ClickAsync();
            var subscription = page.Locator("#inbox-subscriptions tbody tr", new() { HasText = "Daily at 07:00" }).First;
            await Assertions.Expect(subscription).ToBeVisibleAsync();
            await Assertions.Expect(subscription.Locator(".subscription-deliver-now")).ToBeEnabledAsync();
            await subscription.Locator(".subscription-deliver-now").ClickAsync();
            await Assertions.Expect(page.Locator("#inbox-message")).ToContainTextAsync("Delivered");

            var file = page.Locator("#inbox-files a.inbox-download").First;
            await Assertions.Expect(file).ToBeVisibleAsync();
            var delivered = Cities(await DownloadSheet(page, (await file.GetAttributeAsync("href"))!));
            // the delivered copy is the report the manager saw: same rows, their city only
            Assert.Equal(exportedCities, delivered);

            await page.Locator("#inbox-tabs").GetByText("Deliveries").ClickAsync();
            await Assertions.Expect(page.Locator("#inbox-runs .run-status").First).ToContainTextAsync("Delivered");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
