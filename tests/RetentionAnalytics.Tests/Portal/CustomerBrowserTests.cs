using System.Text.Json;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>Customer search and the 360 in Debian's chromium: scope by search and by URL, masking and audited reveals.</summary>
[Collection(PortalCollection.Name)]
public sealed class CustomerBrowserTests(PortalHost portal)
{
    /// <summary>An active Hangzhou (571) line of the sample province's newest subscription snapshot.</summary>
    private static readonly Lazy<(string SubscriberId, string Msisdn)> HangzhouLine = new(() =>
    {
        var file = Directory.GetFiles(Path.Combine(PortalHost.RepositoryRoot, "data-samples", "province"), "subscription_*.csv").Max()!;
        var row = File.ReadLines(file).Skip(1).Select(l => l.Split(','))
            .First(f => f[9] == "571" && f[6] == "A" && f[14].Length == 0);
        return (row[0], row[2]);
    });

    private async Task WithPage(string account, Func<IPage, Task> test)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(20_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, account);
            await test(page);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private string Url(string path) => new Uri(portal.BaseAddress, path).ToString();

    private static async Task Search(IPage page, string key)
    {
        await Assertions.Expect(page.Locator("#customer-search-button")).ToBeEnabledAsync();
        await page.Locator("#customer-search-key").FillAsync(key);
        await page.Locator("#customer-search-button").ClickAsync();
    }

    /// <summary>
    /// The 360's current plan in Chinese: the plan family the extract delivers as a code (youth) and the voice allowance's
    /// unit read in the reader's language. S00000712 is a Hangzhou line on the youth plan "Youth card 38" in the sample.
    /// </summary>
    [Fact]
    public Task The_current_plan_names_its_family_and_unit_in_the_readers_language() => WithPage("manager.hz", async page =>
    {
        try
        {
            await page.GotoAsync(Url("culture/set?culture=zh-Hans&redirectUri=/customers/S00000712"));
            var family = page.Locator("xpath=//dt[normalize-space()='套餐系列']/following-sibling::dd[1]");
            await Assertions.Expect(family).ToHaveTextAsync("青春");
            await Assertions.Expect(page.Locator("xpath=//dt[normalize-space()='通话分钟数']/following-sibling::dd[1]")).ToHaveTextAsync("100 分钟");
        }
        finally
        {
            // the switch is also the account's preferred language
            await page.GotoAsync(Url("culture/set?culture=en&redirectUri=/"));
        }
    });

    [Fact]
    public Task A_city_manager_finds_a_customer_of_their_city_with_the_number_masked() => WithPage("manager.hz", async page =>
    {
        var (subscriberId, msisdn) = HangzhouLine.Value;
        await page.GotoAsync(Url("customers"));

        await Search(page, msisdn);

        // a single exact hit opens the 360 directly
        await page.WaitForURLAsync(u => u.EndsWith("/customers/" + subscriberId, StringComparison.Ordinal));
        await Assertions.Expect(page.Locator("#customer-header")).ToBeVisibleAsync();
        var masked = msisdn[..3] + "****" + msisdn[^4..];
        await Assertions.Expect(page.Locator("#customer-msisdn")).ToContainTextAsync(masked);
        Assert.DoesNotContain(msisdn, await page.ContentAsync());
    });

    [Fact]
    public Task A_city_manager_cannot_reach_another_citys_customer_by_search_or_by_url() => WithPage("manager.nb", async page =>
    {
        var (subscriberId, msisdn) = HangzhouLine.Value;
        await page.GotoAsync(Url("customers"));

        await Search(page, msisdn);
        await Assertions.Expect(page.Locator("#customer-search-count")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#customer-search-results a[href*='customers/S']").CountAsync());

        await page.GotoAsync(Url("customers/" + subscriberId));
        await Assertions.Expect(page.Locator("#customer-not-found")).ToBeVisibleAsync();
        Assert.Equal(0, await page.Locator("#customer-header").CountAsync());

        var admin = await AccessMatrixTests.ClientFor(portal, "admin");
        var denials = JsonDocument.Parse(await admin.GetStringAsync("api/admin/audit?action=denied&user=manager.nb"))
            .RootElement.EnumerateArray().Select(e => e.GetProperty("target").GetString()).ToList();
        Assert.Contains(subscriberId, denials);
    });

    [Fact]
    public Task Revealing_a_masked_number_shows_it_and_is_audited() => WithPage("leader", async page =>
    {
        var (subscriberId, msisdn) = HangzhouLine.Value;
        await page.GotoAsync(Url("customers/" + subscriberId));
        await Assertions.Expect(page.Locator("#customer-msisdn")).Not.ToContainTextAsync(msisdn);

        await page.Locator("#reveal-msisdn").ClickAsync();

        await Assertions.Expect(page.Locator("#customer-msisdn")).ToContainTextAsync(msisdn);
        var admin = await AccessMatrixTests.ClientFor(portal, "admin");
        var audit = await admin.GetStringAsync("api/admin/audit?action=reveal&user=leader");
        var reveals = JsonDocument.Parse(audit).RootElement.EnumerateArray().Select(e => e.GetProperty("target").GetString()).ToList();
        Assert.Contains(subscriberId, reveals);
        Assert.DoesNotContain(msisdn, audit);
    });

    [Fact]
    public Task An_agent_sees_the_full_number_during_a_call() => WithPage("agent.hz1", async page =>
    {
        var (subscriberId, msisdn) = HangzhouLine.Value;
        await page.GotoAsync(Url("customers/" + subscriberId));

        await Assertions.Expect(page.Locator("#customer-msisdn")).ToContainTextAsync(msisdn);
        await Assertions.Expect(page.Locator("#usage-chart")).ToBeAttachedAsync();
    });
}
