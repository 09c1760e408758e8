using Microsoft.Playwright;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.SpecialCampaigns;

/// <summary>In the browser: a supervisor creates a special campaign the way people click, a double click included.</summary>
[Collection(PortalCollection.Name)]
public sealed class SpecialCampaignBrowserTests(PortalHost portal)
{
    [Fact]
    public async Task A_double_click_on_create_makes_one_campaign()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "supervisor.hz");
            await page.GotoAsync(new Uri(portal.BaseAddress, "campaigns/special").ToString());
            await Assertions.Expect(page.Locator("#special-create")).ToBeEnabledAsync();

            var name = "Double click " + Guid.NewGuid().ToString("N")[..6];
            await page.Locator("#special-name").FillAsync(name);
            await page.Locator("#special-name").PressAsync("Tab");
            // a segment nobody is in: the campaign is made, and the other tests' tasks stay as they are
            await page.Locator("#special-segment").FillAsync("""{"op": "and", "conditions": [{"field": "months_to_contract_end", "operator": "<", "value": -1000}]}""");
            await page.Locator("#special-segment").PressAsync("Tab");
            await page.Locator("#special-create").DblClickAsync();

            await Assertions.Expect(page.Locator("#special-message")).ToContainTextAsync(name);
            // the second click's answer, when there is one, follows the first's within moments
            await page.WaitForTimeoutAsync(1_000);
            await Assertions.Expect(page.Locator("#special-list tbody tr").Filter(new() { HasText = name })).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#special-problem")).ToHaveCountAsync(0);
            // a column is headed as a column, not with the word of a running sentence
            await Assertions.Expect(page.Locator("#special-list thead")).ToContainTextAsync("Tasks");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
