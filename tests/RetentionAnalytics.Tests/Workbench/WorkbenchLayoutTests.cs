using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;
using Xunit.Abstractions;

namespace RetentionAnalytics.Tests.Workbench;

/// <summary>
/// The agent's and the supervisor's pages as they are used, in Debian's chromium at a laptop's 1280 px (and 1440 px) in
/// English, German and Chinese: nothing runs off sideways, the 360's tabs all answer a click, the customer, the reasons,
/// the script and Save are on screen together, messages stand beside their buttons, names rather than codes. Full-page
/// screenshots of each page are kept as test output (bin/…/screenshots/workbench).
/// </summary>
[Collection(WorkbenchPortalCollection.Name)]
public sealed partial class WorkbenchLayoutTests(WorkbenchPortal fixture, ITestOutputHelper output)
{
    private const int Height = 900;
    private static readonly string[] Languages = ["en", "de", "zh"];

    private PortalHost Portal => fixture.Host;

    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots", "workbench");

    private string Url(string path) => new Uri(Portal.BaseAddress, path).ToString();

    private async Task WithPage(string account, string language, int width, Func<IPage, Task> test)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = width, Height = Height } })).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            var errors = new List<string>();
            page.PageError += (_, e) => errors.Add(e);
            await PortalSignIn.SignInAsync(page, Portal.BaseAddress, account);
            await page.GotoAsync(Url($"culture/set?culture={(language == "zh" ? "zh-Hans" : language)}&redirectUri=%2F"));
            await test(page);
            Assert.Empty(errors);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>Opens a page and waits until the circuit has rendered it (no spinner left).</summary>
    private async Task Open(IPage page, string path)
    {
        await page.GotoAsync(Url(path));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        await page.WaitForFunctionAsync("() => !document.querySelector('.rz-progressbar-circular')", null, new() { Timeout = 60_000 });
        Assert.Equal(0, await page.Locator("#blazor-error-ui:visible").CountAsync());
    }

    /// <summary>How far the page or its scrolling body runs past the window's right edge, in pixels.</summary>
    private static Task<int> SidewaysOverflow(IPage page) => page.EvaluateAsync<int>("""
        () => {
            const d = document.documentElement, b = document.querySelector('.rz-body') || d;
            return Math.max(d.scrollWidth - d.clientWidth, b.scrollWidth - b.clientWidth);
        }
        """);

    /// <summary>The whole page as one picture: the layout scrolls inside .rz-body, so the window grows to its height first.</summary>
    private async Task Screenshot(IPage page, string name, string language, int width)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var height = await page.EvaluateAsync<int>("() => (document.querySelector('.rz-body') || document.documentElement).scrollHeight + 60");
        await page.SetViewportSizeAsync(width, Math.Max(Height, height));
        await page.WaitForTimeoutAsync(300);
        var file = Path.Combine(ScreenshotFolder, $"{name}-{language}-{width}.png");
        await page.ScreenshotAsync(new() { Path = file, FullPage = true });
        await page.SetViewportSizeAsync(width, Height);
        output.WriteLine(file);
    }

    private async Task<long> FirstTask(IPage page)
    {
        await Open(page, "my-tasks");
        var link = page.Locator("#my-tasks .task-link").First;
        await Assertions.Expect(link).ToBeVisibleAsync();
        return long.Parse(await link.InnerTextAsync(), CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task At_1280_the_task_page_keeps_customer_reasons_script_and_save_in_view_and_every_360_tab_answers()
    {
        foreach (var language in Languages)
        {
            await WithPage("agent.hz2", language, 1280, async page =>
            {
                var task = await FirstTask(page);
                // the queue names the customer, and it is the customer the task page shows
                var queuedName = (await page.Locator("#my-tasks tbody tr").First.Locator(".customer-name").InnerTextAsync()).Trim();
                Assert.NotEmpty(queuedName);

                await Open(page, $"my-tasks/{task}");
                await Assertions.Expect(page.Locator("#outcome-form")).ToBeVisibleAsync();
                Assert.Equal(0, await SidewaysOverflow(page));
                Assert.StartsWith(queuedName, (await page.Locator("#customer-name").InnerTextAsync()).Trim());

                // a live call: who, why, what to say and Save on one screen without scrolling
                foreach (var part in new[] { "#customer-header", "#task-reasons", "#task-questionnaire" })
                {
                    var box = await page.Locator(part).BoundingBoxAsync();
                    Assert.True(box is { Y: < Height - 60 }, $"{part} starts below the first screen ({language}): {box?.Y}");
                }
                var save = await page.Locator("#save-outcome").BoundingBoxAsync();
                Assert.True(save is { } s && s.Y + s.Height <= Height, $"Save is below the first screen ({language}): {save?.Y}");
                // the calling hours are the customer's, with their zone
                await Assertions.Expect(page.Locator("#calling-hours")).ToContainTextAsync(
                    language switch { "de" => "Chinesische Normalzeit (UTC+8)", "zh" => "中国标准时间 (UTC+8)", _ => "China Standard Time (UTC+8)" });

                // an agent works with the name and the number, not with the national ID in full
                await Assertions.Expect(page.Locator("#customer-id-number")).ToContainTextAsync("*");

                // offers keep their whole names in the narrow column
                foreach (var name in await page.Locator(".ra-offer-name").AllAsync())
                {
                    Assert.True(await name.EvaluateAsync<bool>("e => e.scrollWidth <= e.clientWidth + 1"), $"offer name cut off: {await name.InnerTextAsync()}");
                }

                // every tab of the 360 takes the click (nothing lies over it) and shows its panel
                var tabs = page.Locator("#customer-tabs .rz-tabview-nav li");
                var count = await tabs.CountAsync();
                Assert.True(count >= 8, $"{count} tabs");
                for (var i = 0; i < count; i++)
                {
                    await tabs.Nth(i).ClickAsync(new() { Timeout = 5_000 });
                    await Assertions.Expect(tabs.Nth(i)).ToHaveClassAsync(new Regex("rz-tabview-selected"));
                }
                Assert.Equal(0, await SidewaysOverflow(page));
                await Screenshot(page, "task", language, 1280);
            });
        }
    }

    [Fact]
    public async Task A_call_saved_on_a_utc_server_in_hangzhous_calling_hours_is_accepted_and_answered_beside_save()
    {
        await WithPage("agent.hz2", "en", 1280, async page =>
        {
            var task = await FirstTask(page);
            await Open(page, $"my-tasks/{task}");
            await Assertions.Expect(page.Locator("#outcome-form")).ToBeVisibleAsync();

            await page.Locator("#outcome").GetByText("No answer", new() { Exact = true }).ClickAsync();
            await page.Locator("#save-outcome").ClickAsync();

            // the server's clock (UTC) is eight hours outside these hours; the customer's is inside
            var message = page.Locator("#task-message");
            await Assertions.Expect(message).ToContainTextAsync("Saved. The task is now: Assigned.");
            // the task went back to the queue for a retry, so the form closed: the answer stays where Save was, under the script
            var messageBox = await message.BoundingBoxAsync();
            Assert.True(messageBox is { Y: < Height }, $"the answer is out of view at {messageBox?.Y}");
            Assert.Equal(0, await page.Locator("#save-outcome").CountAsync());
            await Assertions.Expect(page.Locator("#task-contacts")).ToContainTextAsync("No answer");
            await Assertions.Expect(page.Locator("#task-contacts")).ToContainTextAsync("Hangzhou retention agent 2");
        });
    }

    [Fact]
    public async Task The_supervisors_desk_reads_at_1280_in_german_with_names_and_one_workload_bar_per_agent()
    {
        await WithPage("supervisor.hz", "de", 1280, async page =>
        {
            await Open(page, "call-lists");
            await Assertions.Expect(page.Locator("#refresh")).ToBeEnabledAsync();
            Assert.Equal(0, await SidewaysOverflow(page));

            // the campaign column is wide enough for a title, and titles are names in German, not keys
            var campaignHeader = await page.Locator("#campaigns thead th").First.BoundingBoxAsync();
            Assert.True(campaignHeader!.Width >= 180, $"campaign column {campaignHeader.Width} px");
            var firstCampaign = (await page.Locator("#campaigns tbody tr").First.Locator("td").First.InnerTextAsync()).Trim();
            Assert.DoesNotMatch(@"^[a-z0-9_]+:\d{4}-\d{2}$", firstCampaign);
            Assert.Matches(@"(Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}", firstCampaign);

            // one bar per agent, by display name, none over another
            var rows = await page.Locator("#workload-chart .ra-workload-row").AllAsync();
            Assert.True(rows.Count >= 3, $"{rows.Count} agents");
            var boxes = new List<LocatorBoundingBoxResult>();
            foreach (var row in rows)
            {
                var name = await row.Locator(".ra-workload-name").InnerTextAsync();
                Assert.DoesNotMatch(@"^(am\.|agent\.)", name.Trim());
                boxes.Add((await row.BoundingBoxAsync())!);
            }
            for (var i = 0; i < boxes.Count; i++)
            {
                for (var j = i + 1; j < boxes.Count; j++)
                {
                    var (a, b) = (boxes[i], boxes[j]);
                    var overlap = a.X < b.X + b.Width && b.X < a.X + a.Width && a.Y < b.Y + b.Height && b.Y < a.Y + a.Height;
                    Assert.False(overlap, $"workload rows {i} and {j} overlap");
                }
            }

            // the task list: the customer by name, scenarios by name, the agent by display name
            var first = page.Locator("#tasks tbody tr").First;
            await Assertions.Expect(first.Locator(".agent-name")).Not.ToHaveTextAsync(new Regex(@"^(am\.|agent\.)"));
            Assert.DoesNotMatch(@"\bs\d\d_[a-z_]+", await page.Locator("#tasks").InnerTextAsync());

            // one task changed reads as done, in German, beside the buttons
            await page.Locator("#tasks .task-select").First.ClickAsync();
            await page.Locator("#priority").ClickAsync();
            await page.Locator(".rz-dropdown-item:visible").Filter(new() { HasText = "3" }).First.ClickAsync();
            await page.Locator("#apply-schedule").ClickAsync();
            await Assertions.Expect(page.Locator("#call-lists-message .rz-alert-message")).ToHaveTextAsync("1 Aufgabe geändert.");
            var bulk = await page.Locator("#bulk-actions").BoundingBoxAsync();
            var note = await page.Locator("#call-lists-message").BoundingBoxAsync();
            Assert.True(note!.Y - (bulk!.Y + bulk.Height) < 40, "the message is not beside the buttons");
        });
    }

    [Fact]
    public async Task Screenshots_of_the_agents_and_supervisors_pages_in_three_languages_at_1280_and_1440_show_no_sideways_overflow()
    {
        string? subscriber = null;
        long task = 0;
        foreach (var width in new[] { 1280, 1440 })
        {
            foreach (var language in Languages)
            {
                await WithPage("agent.hz2", language, width, async page =>
                {
                    task = task == 0 ? await FirstTask(page) : task;
                    await Open(page, "my-tasks");
                    await Check(page, "my-tasks", language, width);
                    await Open(page, $"my-tasks/{task}");
                    await Assertions.Expect(page.Locator("#customer-header")).ToBeVisibleAsync();
                    subscriber ??= Regex.Match(await page.Locator("#customer-header").InnerTextAsync(), @"S\d{8}").Value;
                    await Check(page, "task", language, width);
                    await Open(page, $"customers/{subscriber}");
                    await Assertions.Expect(page.Locator("#customer-tabs")).ToBeVisibleAsync();
                    await Check(page, "customer-360", language, width);
                    await Open(page, "my-tasks/callbacks");
                    await Assertions.Expect(page.Locator("#callbacks-zone")).ToBeVisibleAsync();
                    await Check(page, "callbacks", language, width);
                });
                await WithPage("supervisor.hz", language, width, async page =>
                {
                    await Open(page, "call-lists");
                    await Check(page, "call-lists", language, width);
                    await Open(page, "work-orders");
                    await Check(page, "work-orders", language, width);
                    await Open(page, "sms");
                    await Check(page, "sms", language, width);
                    await page.Locator("#sms-tabs .rz-tabview-nav li").Nth(1).ClickAsync();
                    await Assertions.Expect(page.Locator("#quiet-hours")).ToBeVisibleAsync();
                    await Check(page, "sms-send", language, width);
                });
            }
        }
    }

    private async Task Check(IPage page, string name, string language, int width)
    {
        Assert.Equal(0, await SidewaysOverflow(page));
        await Screenshot(page, name, language, width);
    }
}
