using Microsoft.Playwright;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Questionnaires;

/// <summary>In the browser: an administrator publishes a new questionnaire version; a supervisor generates a callback list.</summary>
[Collection(PortalCollection.Name)]
public sealed class QuestionnaireBrowserTests(PortalHost portal)
{
    private async Task WithPage(string account, string path, Func<IPage, Task> test)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, account);
            await page.GotoAsync(new Uri(portal.BaseAddress, path).ToString());
            await test(page);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public Task An_administrator_adds_a_question_and_publishes_a_new_version() => WithPage("admin", "admin/questionnaires", async page =>
    {
        var before = int.Parse(await page.Locator("#published-broadband").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("#edit-broadband")).ToBeEnabledAsync();
        await page.Locator("#edit-broadband").ClickAsync();
        await Assertions.Expect(page.Locator("#draft-editor")).ToBeVisibleAsync();
        var count = await page.Locator("#draft-editor fieldset").CountAsync();
        await page.Locator("#draft-add-question").ClickAsync();
        await page.Locator($"#qid-{count}").FillAsync("would_recommend");
        await page.Locator($"#qid-{count}").PressAsync("Tab");
        await page.Locator($"#qlabel-en-{count}").FillAsync("Would you recommend us?");
        await page.Locator($"#qlabel-en-{count}").PressAsync("Tab");
        await page.Locator("#draft-publish").ClickAsync();

        await Assertions.Expect(page.Locator("#questionnaire-message")).ToContainTextAsync($"Broadband retention version {before + 1} published");
        await Assertions.Expect(page.Locator("#version-list")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("h2").Filter(new() { HasText = "Versions of" })).ToHaveTextAsync("Versions of Broadband retention");
        await Assertions.Expect(page.Locator("#published-broadband")).ToHaveTextAsync((before + 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#version-list [data-status='published']")).ToHaveCountAsync(before + 1);
    });

    [Theory]
    [InlineData("en", "Published", @"^\d{2}/\d{2}/\d{4} \d{2}:\d{2}$")]
    [InlineData("de", "Veröffentlicht", @"^\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}$")]
    [InlineData("zh-Hans", "已发布", @"^\d{4}/\d{1,2}/\d{1,2} \d{1,2}:\d{2}$")]
    public Task A_version_reads_its_status_in_words_and_its_date_in_the_readers_format(string culture, string published, string date) =>
        WithPage("admin", $"culture/set?culture={culture}&redirectUri=%2Fadmin%2Fquestionnaires", async page =>
        {
            try
            {
                await Assertions.Expect(page.Locator("#versions-broadband")).ToBeEnabledAsync();
                await page.Locator("#versions-broadband").ClickAsync();
                var version = page.Locator("#version-list tbody tr").Filter(new() { Has = page.Locator("[data-status='published']") }).First;
                await Assertions.Expect(version.Locator("[data-status='published']")).ToHaveTextAsync(published);
                await Assertions.Expect(version.Locator("td").Nth(2)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(date));
            }
            finally
            {
                // the language chosen is the administrator's stored preference: back to English for other tests' sign-ins
                await page.GotoAsync(new Uri(portal.BaseAddress, "culture/set?culture=en&redirectUri=%2F").ToString());
            }
        });

    [Fact]
    public Task A_supervisor_generates_a_new_subscriber_callback_list_and_sees_its_count() => WithPage("supervisor.hz", "callbacks/new-subscribers", async page =>
    {
        await Assertions.Expect(page.Locator("#callback-generate")).ToBeEnabledAsync();
        await page.Locator("#callback-days").Locator("input").FillAsync("120");
        await page.Locator("#callback-days").Locator("input").PressAsync("Tab");
        await page.Locator("#callback-generate").ClickAsync();

        await Assertions.Expect(page.Locator("#callback-count")).ToBeVisibleAsync();
        // the answer names the list as people read it, with the window in the reader's dates, not its key and ISO dates
        var result = page.Locator("#callback-result");
        await Assertions.Expect(result).ToContainTextAsync("New subscribers · October 2026 (activated ");
        await Assertions.Expect(result).Not.ToContainTextAsync("new_subscriber:");
        await Assertions.Expect(result).ToContainTextAsync("/2026 .. 31/10/2026)");
        await Assertions.Expect(page.Locator("#callback-lists thead")).ToContainTextAsync("Tasks");
        var shown = long.Parse(await page.Locator("#callback-count").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        // the history shows the same list with the same number of tasks (counted in the supervisor's city)
        // the list is named for people (its key is the name's hover text)
        var row = page.Locator("#callback-lists tr").Filter(new() { Has = page.Locator("span[title='new_subscriber:2026-10']") });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        await Assertions.Expect(row.Locator("td").Nth(5)).ToHaveTextAsync(shown.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(shown > 0);
        await Assertions.Expect(row).ToContainTextAsync("New subscribers");
    });
}
