using Microsoft.Playwright;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Blacklist;

/// <summary>In the browser: a supervisor adds a subscriber to the blacklist the way people click, a double click included.</summary>
[Collection(PortalCollection.Name)]
public sealed class BlacklistBrowserTests(PortalHost portal)
{
    [Fact]
    public async Task A_double_click_on_add_says_the_entry_was_added_and_an_empty_id_is_asked_for()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "supervisor.hz");
            await page.GotoAsync(new Uri(portal.BaseAddress, "culture/set?culture=en&redirectUri=%2Fblacklist").ToString());
            await Assertions.Expect(page.Locator("#blacklist-add")).ToBeEnabledAsync();

            // nothing typed: the page asks for the id rather than looking up a subscriber with none
            await page.Locator("#blacklist-add").ClickAsync();
            await Assertions.Expect(page.Locator("#blacklist-message")).ToContainTextAsync("Enter the subscriber id.");

            // a Hangzhou subscriber of the sample province
            const string subscriber = "S00000004";
            await page.Locator("#blacklist-new-subscriber").FillAsync(subscriber);
            await page.Locator("#blacklist-new-subscriber").PressAsync("Tab");
            await page.Locator("#blacklist-add").DblClickAsync();
            await Assertions.Expect(page.Locator("#blacklist-message")).ToContainTextAsync($"{subscriber} added to the blacklist.");
            // the second click's answer, when there is one, follows the first's within moments
            await page.WaitForTimeoutAsync(1_000);
            await Assertions.Expect(page.Locator("#blacklist-message")).ToContainTextAsync($"{subscriber} added to the blacklist.");
            var row = page.Locator("#blacklist-list tbody tr").Filter(new() { HasText = subscriber });
            await Assertions.Expect(row).ToHaveCountAsync(1);
            // the city by its name, the source in words, the date as the reader writes it
            await Assertions.Expect(row).ToContainTextAsync("Hangzhou");
            await Assertions.Expect(row).ToContainTextAsync("Entered on this page");
            await Assertions.Expect(row).Not.ToContainTextAsync("571");
            await Assertions.Expect(row).ToContainTextAsync(Province.Now.ToString("d", System.Globalization.CultureInfo.GetCultureInfo("en-GB")));

            // the other tests' subscribers stay callable
            await row.GetByRole(AriaRole.Button).ClickAsync();
            await Assertions.Expect(page.Locator("#blacklist-message")).ToContainTextAsync($"{subscriber} removed from the blacklist.");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
