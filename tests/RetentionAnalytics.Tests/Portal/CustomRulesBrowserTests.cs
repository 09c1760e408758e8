using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>An analyst builds a custom reminder rule without SQL: preview, save, list, disable; a bad value saves nothing.</summary>
[Collection(PortalCollection.Name)]
public sealed class CustomRulesBrowserTests(PortalHost portal)
{
    private async Task WithPage(string account, Func<IPage, Task> test)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, account);
            await page.GotoAsync(new Uri(portal.BaseAddress, "analysis/rules").ToString());
            await Assertions.Expect(page.Locator("#rule-new")).ToBeEnabledAsync();
            await test(page);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    private static Task Choose(IPage page, string dropdownId, string item) => RadzenDropDowns.ChooseAsync(page, dropdownId, item);

    private static async Task Condition(IPage page, string key, string field, string op, string value)
    {
        await Choose(page, $"rule-field-{key}", field);
        await Assertions.Expect(page.Locator($"#rule-meaning-{key}")).ToBeVisibleAsync();
        await Choose(page, $"rule-operator-{key}", op);
        await page.Locator($"#rule-value-{key}").FillAsync(value);
        await page.Locator($"#rule-value-{key}").PressAsync("Tab");
    }

    [Fact]
    public Task An_analyst_builds_previews_saves_and_disables_a_rule_with_two_conditions() => WithPage("analyst", async page =>
    {
        var name = "Bill drop high value " + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("#rule-new").ClickAsync();
        await page.Locator("#rule-name").FillAsync(name);
        await page.Locator("#rule-name").PressAsync("Tab");
        // fields and worded operators by their names, not the warehouse's column names
        await Condition(page, "0-0", "Bill trend", "<", "0.8");
        await page.Locator("#rule-add-condition-0").ClickAsync();
        await Condition(page, "0-1", "Value tier", "is one of", "high, mid");
        await Assertions.Expect(page.Locator("#rule-readable")).ToHaveTextAsync("Bill trend < 0.8 AND Value tier is one of [high, mid]");

        await page.Locator("#rule-preview").ClickAsync();
        var title = page.Locator("#rule-preview-title");
        await Assertions.Expect(title).ToContainTextAsync("Would flag");
        var flagged = long.Parse(Regex.Match(await title.InnerTextAsync(), @"Would flag ([\d,]+)").Groups[1].Value,
            NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
        Assert.True(flagged > 0, "the sample province has high and mid value subscribers whose bill dropped");
        await Assertions.Expect(page.Locator("#rule-preview-chart")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#rule-hit-rates")).ToContainTextAsync("%");

        await page.Locator("#rule-save").ClickAsync();
        await Assertions.Expect(page.Locator("#rules-message")).ToContainTextAsync($"Rule {name} saved.");
        await Assertions.Expect(page.Locator("#rule-editor")).Not.ToBeVisibleAsync();
        var row = page.Locator("#rules-list tbody tr", new() { HasText = name });
        await Assertions.Expect(row).ToContainTextAsync("Bill trend < 0.8 AND Value tier is one of [high, mid]");
        await Assertions.Expect(row).ToContainTextAsync("analyst");
        await Assertions.Expect(row.Locator(".rz-badge")).ToHaveTextAsync("on");

        await row.Locator("button[id^=rule-toggle-]").ClickAsync();
        await Assertions.Expect(row.Locator(".rz-badge")).ToHaveTextAsync("off");
        // kept, not only shown: a fresh page reads it back from the warehouse
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#rules-list tbody tr", new() { HasText = name }).Locator(".rz-badge")).ToHaveTextAsync("off");
    });

    [Fact]
    public Task Text_for_a_numeric_field_shows_the_service_message_and_saves_nothing() => WithPage("analyst", async page =>
    {
        var name = "Bad tenure " + Guid.NewGuid().ToString("N")[..6];
        await page.Locator("#rule-new").ClickAsync();
        await page.Locator("#rule-name").FillAsync(name);
        await page.Locator("#rule-name").PressAsync("Tab");
        await Condition(page, "0-0", "Tenure (months)", ">", "twelve");

        await page.Locator("#rule-save").ClickAsync();
        var problem = page.Locator("#rule-problem");
        await Assertions.Expect(problem).ToContainTextAsync("The rule was not saved");
        await Assertions.Expect(problem).ToContainTextAsync("Tenure (months) needs a whole number, not \"twelve\"");
        await Assertions.Expect(page.Locator("#rule-editor")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#rule-new")).ToBeEnabledAsync();
        await Assertions.Expect(page.Locator("#rules-list")).Not.ToContainTextAsync(name);
    });
}
