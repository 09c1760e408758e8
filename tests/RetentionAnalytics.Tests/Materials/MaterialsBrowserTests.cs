using System.Globalization;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Materials;

/// <summary>In the browser: the administrator uploads a material and reads when it changed as German readers write dates.</summary>
[Collection(PortalCollection.Name)]
public sealed class MaterialsBrowserTests(PortalHost portal)
{
    [Fact]
    public async Task The_list_dates_a_material_in_the_readers_format()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "admin");
            await page.GotoAsync(new Uri(portal.BaseAddress, "culture/set?culture=de&redirectUri=%2Fmaterials").ToString());
            try
            {
                // the upload form answers once the page is interactive
                await Assertions.Expect(page.Locator("#material-title")).ToBeVisibleAsync();
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                await page.WaitForTimeoutAsync(1_000);
                var title = "Leitfaden " + Guid.NewGuid().ToString("N")[..6];
                await page.Locator("#material-title").FillAsync(title);
                await page.Locator("#material-title").PressAsync("Tab");
                await page.Locator("input[type=file]").First.SetInputFilesAsync(new FilePayload
                {
                    Name = "leitfaden.txt", MimeType = "text/plain", Buffer = "Guten Tag"u8.ToArray(),
                });
                await Assertions.Expect(page.Locator("#materials-message")).ToContainTextAsync(title);
                var row = page.Locator("#materials-list tbody tr").Filter(new() { HasText = title });
                await Assertions.Expect(row).ToHaveCountAsync(1);
                await Assertions.Expect(row).ToContainTextAsync(Province.Now.ToString("d", CultureInfo.GetCultureInfo("de-DE")));
                await Assertions.Expect(row).Not.ToContainTextAsync(Province.Now.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            }
            finally
            {
                // the account keeps the language chosen last; the other tests read English
                await page.GotoAsync(new Uri(portal.BaseAddress, "culture/set?culture=en&redirectUri=%2F").ToString());
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
