using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>Signing in, landing, switching language and signing out in Debian's chromium, as a person does.</summary>
[Collection(PortalCollection.Name)]
public sealed class SignInBrowserTests(PortalHost portal)
{
    private async Task WithPage(Func<IPage, Task> test)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var context = await browser.NewContextAsync();
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(20_000);
            await test(page);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private string Url(string path) => new Uri(portal.BaseAddress, path).ToString();

    [Theory]
    [InlineData("admin", "/operations", "#job-runs")]
    [InlineData("leader", "/overview", "[data-kpi=retention-rate]")]
    [InlineData("manager.nb", "/overview", "#kpi-by-city")]
    [InlineData("analyst", "/overview", "#kpi-chart")]
    [InlineData("user", "/overview", "[data-kpi=subscribers]")]
    [InlineData("supervisor.hz", "/call-lists", "h1")]
    [InlineData("agent.hz1", "/my-tasks", "#my-tasks")]
    public Task Each_role_signs_in_and_lands_on_its_start_page(string account, string start, string shows) => WithPage(async page =>
    {
        await PortalSignIn.SignInAsync(page, portal.BaseAddress, account);

        Assert.Equal(start, new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator(shows).First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#signed-in-user")).ToBeVisibleAsync();
    });

    [Fact]
    public Task A_wrong_password_stays_on_the_sign_in_page_with_a_message() => WithPage(async page =>
    {
        await PortalSignIn.SignInAsync(page, portal.BaseAddress, "manager.hz", "not-the-password");

        Assert.Equal("/account/signin", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator("#signin-error")).ToContainTextAsync("wrong");
        await page.GotoAsync(Url("overview"));
        Assert.Equal("/account/signin", new Uri(page.Url).AbsolutePath);
    });

    [Fact]
    public Task The_menu_follows_the_language_switch_to_german_and_chinese() => WithPage(async page =>
    {
        await PortalSignIn.SignInAsync(page, portal.BaseAddress, "analyst");
        var nav = page.Locator("#main-nav");
        await Assertions.Expect(nav).ToContainTextAsync("KPI overview");
        try
        {
            await SwitchLanguage(page, "Deutsch");
            await Assertions.Expect(nav).ToContainTextAsync("KPI-Übersicht");
            await Assertions.Expect(page.Locator("#sign-out")).ToContainTextAsync("Abmelden", new() { IgnoreCase = true });

            await SwitchLanguage(page, "简体中文");
            await Assertions.Expect(nav).ToContainTextAsync("KPI 概览");
            await Assertions.Expect(page.Locator("#sign-out")).ToContainTextAsync("退出");
        }
        finally
        {
            // the choice is the analyst's stored preference: back to English for other tests' sign-ins
            await page.GotoAsync(Url("culture/set?culture=en&redirectUri=/overview"));
        }
    });

    /// <summary>The header's language drop-down; clicks until the circuit is live and the list opens.</summary>
    private static async Task SwitchLanguage(IPage page, string language)
    {
        var option = page.Locator(".rz-dropdown-item", new() { HasText = language });
        for (var attempt = 0; attempt < 20 && !await option.IsVisibleAsync(); attempt++)
        {
            await page.Locator("#language-switch").ClickAsync();
            await page.WaitForTimeoutAsync(500);
        }
        await option.ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }

    [Fact]
    public Task Signing_out_ends_the_session_so_back_and_the_address_show_no_data() => WithPage(async page =>
    {
        await PortalSignIn.SignInAsync(page, portal.BaseAddress, "manager.hz");
        await Assertions.Expect(page.Locator("[data-kpi=subscribers]")).ToBeVisibleAsync();
        var cookies = await page.Context.CookiesAsync();

        await page.Locator("#sign-out").ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Equal("/account/signin", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator("#signed-out")).ToBeVisibleAsync();
        await page.GoBackAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await Assertions.Expect(page.Locator("[data-kpi=subscribers]")).ToHaveCountAsync(0);
        await page.GotoAsync(Url("overview"));
        Assert.Equal("/account/signin", new Uri(page.Url).AbsolutePath);

        // the old session cookie, replayed, is refused by the server: the session ended there, not only in the browser
        await page.Context.AddCookiesAsync(cookies.Select(c => new Cookie { Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path }));
        await page.GotoAsync(Url("overview"));
        Assert.Equal("/account/signin", new Uri(page.Url).AbsolutePath);
        await Assertions.Expect(page.Locator("[data-kpi=subscribers]")).ToHaveCountAsync(0);
    });
}
