using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>An administrator tunes a detector's thresholds: preview first, a bad value saves nothing, a good one is kept with its history.</summary>
[Collection(PortalCollection.Name)]
public sealed class ScenarioParametersBrowserTests(PortalHost portal)
{
    [Fact]
    public async Task An_administrator_previews_refuses_a_bad_value_and_saves_a_good_one_with_history()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "admin");
            await page.GotoAsync(new Uri(portal.BaseAddress, "admin/scenarios").ToString());
            await Assertions.Expect(page.Locator("#scenario-preview")).ToBeEnabledAsync();
            await page.Locator("div#scenario-select").ClickAsync();
            await page.Locator(".rz-dropdown-item", new() { HasText = "s04_bill_drop" }).ClickAsync();
            await Assertions.Expect(page.Locator("#param-drop_pct")).ToHaveValueAsync("40");

            // a looser threshold flags at least as many, and the preview shows past hit rates
            await page.Locator("#scenario-preview").ClickAsync();
            var atDefault = await FlaggedInPreview(page);
            await page.Locator("#param-drop_pct").FillAsync("20");
            await page.Locator("#param-drop_pct").PressAsync("Tab");
            await page.Locator("#scenario-preview").ClickAsync();
            await Assertions.Expect(page.Locator("#scenario-preview-result h2")).Not.ToHaveTextAsync(PreviewTitle(atDefault));
            Assert.True(await FlaggedInPreview(page) > atDefault);
            await Assertions.Expect(page.Locator("#scenario-hit-rates")).ToContainTextAsync("%");

            await page.Locator("#param-drop_pct").FillAsync("150");
            await page.Locator("#param-drop_pct").PressAsync("Tab");
            await page.Locator("#scenario-save").ClickAsync();
            await Assertions.Expect(page.Locator("#scenario-message")).ToContainTextAsync("drop_pct");
            await Assertions.Expect(page.Locator("#scenario-history")).ToContainTextAsync("No changes yet");

            await page.Locator("#param-drop_pct").FillAsync("35");
            await page.Locator("#param-drop_pct").PressAsync("Tab");
            await page.Locator("#scenario-save").ClickAsync();
            await Assertions.Expect(page.Locator("#scenario-message")).ToContainTextAsync("Saved: drop_pct");
            var history = page.Locator("#scenario-history tbody tr").First;
            await Assertions.Expect(history).ToContainTextAsync("admin");
            await Assertions.Expect(history).ToContainTextAsync("40");
            await Assertions.Expect(history).ToContainTextAsync("35");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task An_administrator_switches_a_scenario_off_and_on_again_and_the_switch_is_kept()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "admin");
            async Task Open()
            {
                await page.GotoAsync(new Uri(portal.BaseAddress, "admin/scenarios").ToString());
                await Assertions.Expect(page.Locator("#scenario-switch")).ToBeEnabledAsync();
                await page.Locator("div#scenario-select").ClickAsync();
                await page.Locator(".rz-dropdown-item", new() { HasText = "a3_vas_analysis" }).ClickAsync();
                await Assertions.Expect(page.Locator("#scenario-card h2")).ToContainTextAsync("VAS");
            }
            await Open();
            await Assertions.Expect(page.Locator("#scenario-state")).ToHaveTextAsync("Runs with every detection run");

            await page.Locator("#scenario-switch").ClickAsync();
            await Assertions.Expect(page.Locator("#scenario-state")).ToHaveTextAsync("Switched off: detection runs leave it out");
            await Assertions.Expect(page.Locator("#scenario-message")).ToContainTextAsync("is switched off");
            await Assertions.Expect(page.Locator("#scenario-switch")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("Switch on"));
            // the page's history of changes has the switch, newest first, by the administrator
            await SwitchChangeIsNewest(page, from: "on", to: "off");

            // kept: a new page reads it back from the server
            await Open();
            await Assertions.Expect(page.Locator("#scenario-state")).ToHaveTextAsync("Switched off: detection runs leave it out");
            await page.Locator("#scenario-switch").ClickAsync();
            await Assertions.Expect(page.Locator("#scenario-state")).ToHaveTextAsync("Runs with every detection run");
            await Open();
            await Assertions.Expect(page.Locator("#scenario-state")).ToHaveTextAsync("Runs with every detection run");
            await SwitchChangeIsNewest(page, from: "off", to: "on");
            await Assertions.Expect(page.Locator("#scenario-history tbody tr", new() { HasText = "Switched on or off" })).ToHaveCountAsync(2);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private static async Task SwitchChangeIsNewest(IPage page, string from, string to)
    {
        var cells = page.Locator("#scenario-history tbody tr").First.Locator("td");
        await Assertions.Expect(cells.Nth(1)).ToHaveTextAsync("admin");
        await Assertions.Expect(cells.Nth(2)).ToHaveTextAsync("Switched on or off");
        await Assertions.Expect(cells.Nth(3)).ToHaveTextAsync(from);
        await Assertions.Expect(cells.Nth(4)).ToHaveTextAsync(to);
    }

    private static System.Text.RegularExpressions.Regex PreviewTitle(int flagged) => new($"Would flag {flagged:N0} subscribers");

    private static async Task<int> FlaggedInPreview(IPage page)
    {
        var title = page.Locator("#scenario-preview-result h2");
        await Assertions.Expect(title).ToContainTextAsync("Would flag");
        var text = await title.InnerTextAsync();
        var match = System.Text.RegularExpressions.Regex.Match(text, @"Would flag ([\d,]+) subscribers");
        return int.Parse(match.Groups[1].Value.Replace(",", ""), System.Globalization.CultureInfo.InvariantCulture);
    }
}
