using System.Net;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>The audit page and its export give an administrator each entry's detail in words of the reader's language.</summary>
[Collection(PortalCollection.Name)]
public sealed class AuditLogBrowserTests(PortalHost portal)
{
    [Fact]
    public async Task A_german_administrator_reads_an_accounts_creation_with_role_and_city_names()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "admin");
            await page.GotoAsync(new Uri(portal.BaseAddress, "culture/set?culture=de&redirectUri=%2Fadmin%2Faudit").ToString());
            // typed once the page is interactive: text typed into the prerendered field is lost when the circuit takes over
            await Assertions.Expect(page.Locator("#audit-apply")).ToBeEnabledAsync(new() { Timeout = 15_000 });
            await page.Locator("#audit-user").FillAsync("system");
            await page.Locator("#audit-apply").ClickAsync();

            // the demo accounts as the seed created them, e.g. created;roles=agent;scope=571
            var grid = page.Locator("#audit-grid");
            await Assertions.Expect(grid).ToContainTextAsync("angelegt; Rollen: Kundenbindungs-Agent; Bereich: Hangzhou", new() { Timeout = 15_000 });
            await Assertions.Expect(grid).Not.ToContainTextAsync("roles=");

            // the export the page links to words it the same way
            using var http = await PortalSignIn.SignedInAsync(portal.BaseAddress, "admin", followRedirects: true);
            await http.GetAsync("culture/set?culture=de&redirectUri=/admin/audit");
            var csv = WebUtility.HtmlDecode(await http.GetStringAsync("api/admin/audit/export?user=system&action=user_change&format=csv"));
            await http.GetAsync("culture/set?culture=en&redirectUri=/admin");
            Assert.Contains("Rollen: Kundenbindungs-Agent", csv);
            Assert.DoesNotContain("roles=", csv);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
