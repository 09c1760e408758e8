using Microsoft.Playwright;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Offers;

/// <summary>In the browser: the administrator reads the offers' rules in words, in German.</summary>
[Collection(PortalCollection.Name)]
public sealed class OffersAdminBrowserTests(PortalHost portal)
{
    [Fact]
    public async Task The_rules_name_value_tiers_payment_types_and_scenarios_in_the_readers_language()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "admin");
            await page.GotoAsync(new Uri(portal.BaseAddress, "culture/set?culture=de&redirectUri=%2Fadmin%2Foffers").ToString());
            try
            {
                // the sample offers of the demo: loyalty_discount_20 for high and mid tiers on postpaid,
                // contract_renewal_handset for postpaid subscribers in the contract-expiry scenario
                var loyalty = page.Locator("#offer-list tbody tr").Filter(new() { HasText = "loyalty_discount_20" });
                await Assertions.Expect(loyalty).ToContainTextAsync("Wertstufen: Hochwertig, Mittelwertig");
                await Assertions.Expect(loyalty).ToContainTextAsync("Zahlungsarten: Postpaid");
                await Assertions.Expect(loyalty).Not.ToContainTextAsync("high,mid");
                // a tenure rule in words, with its unit
                await Assertions.Expect(loyalty).ToContainTextAsync("Laufzeit: mindestens 12 Monate");
                await Assertions.Expect(page.Locator("#offer-list tbody tr").Filter(new() { HasText = "welcome_bundle" })).ToContainTextAsync("Laufzeit: höchstens 3 Monate");

                var renewal = page.Locator("#offer-list tbody tr").Filter(new() { HasText = "contract_renewal_handset" });
                await Assertions.Expect(renewal).ToContainTextAsync("Szenarien:");
                await Assertions.Expect(renewal).Not.ToContainTextAsync("s08_contract_expiry");
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
