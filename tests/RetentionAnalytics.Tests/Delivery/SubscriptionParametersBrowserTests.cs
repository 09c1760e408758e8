using Microsoft.Playwright;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Delivery;

/// <summary>
/// An analyst subscribes to a report in each language: the inbox lists the subscription's parameters by the labels and
/// with the values the report page shows (its month, "all cities", a decimal with the reader's mark), never as
/// name=value; a refused value is named by its label.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class SubscriptionParametersBrowserTests(PortalHost portal)
{
    private string Url(string path) => new Uri(portal.BaseAddress, path).ToString();

    public static TheoryData<string, string, string, string, string, string> Languages => new()
    {
        // culture, the decimal as typed, the month's, the city's and the decimal's label, "all cities"
        { "en", "7.5", "Month", "City", "Small balance below", "All cities" },
        { "de", "7,5", "Monat", "Stadt", "Geringes Guthaben unter", "Alle Städte" },
        { "zh-Hans", "7.5", "月份", "城市", "小余额阈值", "全部城市" },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_inbox_shows_a_subscriptions_parameters_as_the_report_page_does(
        string culture, string smallBalance, string monthLabel, string cityLabel, string balanceLabel, string allCities)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "analyst");
            try
            {
                await page.GotoAsync(Url($"culture/set?culture={culture}&redirectUri=%2Freports%2Fbalance_risk"));
                await Assertions.Expect(page.Locator("#subscribe")).ToBeEnabledAsync();
                // the month as the page's field shows it in the reader's words
                var month = (await page.Locator("#report-parameters .rz-dropdown-label").First.InnerTextAsync()).Trim();
                var separator = culture == "zh-Hans" ? "：" : ": ";

                await page.Locator("#subscribe-panel legend").ClickAsync();
                await Assertions.Expect(page.Locator("#subscribe-panel [aria-expanded='true']")).ToBeVisibleAsync();
                await page.Locator("div#subscribe-latest").ClickAsync();
                await Assertions.Expect(page.Locator("div#subscribe-latest")).ToHaveAttributeAsync("aria-checked", "false");

                // a value out of the report's bounds is refused, naming the field by its label
                var balance = page.Locator("input[name='small_balance']");
                await balance.FillAsync("5000");
                await balance.PressAsync("Tab");
                await page.Locator("#subscribe").ClickAsync();
                await Assertions.Expect(page.Locator("#subscribe-message")).ToContainTextAsync(balanceLabel, new() { Timeout = 30_000 });
                await Assertions.Expect(page.Locator("#subscribe-message")).Not.ToContainTextAsync("small_balance");

                await balance.FillAsync(smallBalance);
                await balance.PressAsync("Tab");
                await page.Locator("#subscribe").ClickAsync();
                await Assertions.Expect(page.Locator("#subscribe-inbox-link")).ToBeVisibleAsync(new() { Timeout = 30_000 });
                await page.Locator("#subscribe-inbox-link").ClickAsync();

                var grid = page.Locator("#inbox-subscriptions");
                var row = grid.Locator("tbody tr")
                    .Filter(new() { HasText = $"{monthLabel}{separator}{month}" })
                    .Filter(new() { HasText = $"{balanceLabel}{separator}{smallBalance}" });
                await Assertions.Expect(row.First).ToBeVisibleAsync();
                await Assertions.Expect(row.First).ToContainTextAsync($"{cityLabel}{separator}{allCities}");
                await Assertions.Expect(grid).Not.ToContainTextAsync("small_balance");
                await Assertions.Expect(grid).Not.ToContainTextAsync("period=");
            }
            finally
            {
                // the language chosen is the analyst's stored preference: back to English for other tests' sign-ins
                await page.GotoAsync(Url("culture/set?culture=en&redirectUri=%2F"));
            }
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
