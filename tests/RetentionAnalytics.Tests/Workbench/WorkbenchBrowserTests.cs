using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RetentionAnalytics.Core.Sms;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Workbench;

/// <summary>
/// A portal of its own on a server clock in UTC, for a province in Asia/Shanghai (UTC+8) whose calling hours run from
/// two hours before to three hours after the moment the tests start, Hangzhou time: calls can be saved whenever the
/// tests run -- and could not be if the hours were read on the server's clock, eight hours behind. The calling-hours
/// rule itself is tested in <see cref="RegionTimeTests"/>.
/// </summary>
public sealed class WorkbenchPortal : IAsyncLifetime
{
    public static readonly TimeZoneInfo Hangzhou = TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai");

    /// <summary>Hangzhou's wall clock when the portal was configured.</summary>
    public static DateTime HangzhouAtStart { get; } = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Hangzhou).DateTime;

    public static TimeOnly CallingFrom { get; } = TimeOnly.FromDateTime(HangzhouAtStart.AddHours(-2));
    public static TimeOnly CallingUntil { get; } = TimeOnly.FromDateTime(HangzhouAtStart.AddHours(3));

    public PortalHost Host { get; } = new()
    {
        Environment =
        {
            ["TZ"] = "UTC",
            ["Region__TimeZone"] = "Asia/Shanghai",
            ["Workbench__CallingFrom"] = CallingFrom.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
            ["Workbench__CallingUntil"] = CallingUntil.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
        },
    };

    public Task InitializeAsync() => Host.InitializeAsync();
    public Task DisposeAsync() => Host.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class WorkbenchPortalCollection : ICollectionFixture<WorkbenchPortal>
{
    public const string Name = "workbench-portal";
}

/// <summary>The call list to the agent's call and callback in Debian's chromium, and another agent kept out by URL.</summary>
[Collection(WorkbenchPortalCollection.Name)]
public sealed class WorkbenchBrowserTests(WorkbenchPortal fixture)
{
    private PortalHost Portal => fixture.Host;

    private string Url(string path) => new Uri(Portal.BaseAddress, path).ToString();

    private async Task WithPage(string account, Func<IPage, Task> test)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(20_000);
            await PortalSignIn.SignInAsync(page, Portal.BaseAddress, account);
            // the accounts keep the language chosen last, and other tests on this portal choose German and Chinese
            await page.GotoAsync(Url("culture/set?culture=en&redirectUri=%2F"));
            await test(page);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task A_supervisor_assigns_a_task_the_agent_calls_and_schedules_a_callback_and_another_agent_is_refused_it()
    {
        long taskId = 0;
        var subscriberId = "";
        var smsTemplate = "missed-" + Guid.NewGuid().ToString("N")[..6];
        await WithPage("supervisor.hz", async page =>
        {
            // a task of agent.hz1's (or, if they hold none, any assigned one): back to the pool, then to agent.hz1
            await page.GotoAsync(Url("call-lists?agent=agent.hz1"));
            var rows = page.Locator("#tasks .task-select");
            await Assertions.Expect(page.Locator("#refresh")).ToBeEnabledAsync();
            // the desk says whose lists these are by the team's name, not its id
            await Assertions.Expect(page.GetByText("(team Hangzhou retention)")).ToBeVisibleAsync();
            if (await rows.CountAsync() == 0)
            {
                await page.GotoAsync(Url("call-lists"));
                await Assertions.Expect(page.Locator("#refresh")).ToBeEnabledAsync();
            }
            await Assertions.Expect(rows.First).ToBeVisibleAsync();
            var firstRow = page.Locator("#tasks tbody tr").First;
            taskId = long.Parse(await firstRow.Locator("td").Nth(1).InnerTextAsync(), CultureInfo.InvariantCulture);
            var campaign = (await firstRow.Locator(".campaign-name").InnerTextAsync()).Trim();
            subscriberId = (await firstRow.Locator(".subscriber-id").InnerTextAsync()).Trim();
            await rows.First.ClickAsync();
            await page.Locator("#unassign").ClickAsync();
            await Assertions.Expect(page.Locator("#call-lists-message .rz-alert-message")).ToHaveTextAsync("1 task changed.");

            // the campaign's unassigned tasks distributed by the generator's routing rule (the task goes to an agent)
            var campaignRow = page.Locator("#campaigns tbody tr", new() { HasText = campaign });
            for (var pageNo = 0; pageNo < 20 && await campaignRow.CountAsync() == 0; pageNo++)
            {
                await page.Locator("#campaigns .rz-pager-next").ClickAsync();
                await page.WaitForTimeoutAsync(200);
            }
            await campaignRow.First.ClickAsync();
            await page.Locator("#distribute").ClickAsync();
            // the message stands beside the campaign's buttons: all of them, or how many and why the rest wait
            await Assertions.Expect(page.Locator("#campaign-message .rz-alert-message")).ToHaveTextAsync(new Regex(@"^(1 task distributed\.|All [1-9]\d* unassigned tasks distributed\.|[1-9]\d* of \d+ unassigned tasks distributed)"));

            await page.GotoAsync(Url("call-lists?subscriber=" + subscriberId));
            await Assertions.Expect(page.Locator("#refresh")).ToBeEnabledAsync();
            await Assertions.Expect(page.Locator("#tasks tbody tr").First).ToContainTextAsync(taskId.ToString(CultureInfo.InvariantCulture));
            await page.Locator("#tasks .task-select").First.ClickAsync();
            await page.Locator("#assign-to").ClickAsync();
            await page.Locator(".rz-dropdown-item:visible").Filter(new() { HasText = "Hangzhou retention agent 1 (" }).First.ClickAsync();
            await page.Locator("#assign").ClickAsync();
            await Assertions.Expect(page.Locator("#call-lists-message .rz-alert-message")).ToHaveTextAsync("1 task changed.");
            await Assertions.Expect(page.Locator("#tasks tbody tr").First.Locator(".agent-name")).ToHaveTextAsync("Hangzhou retention agent 1");

            // an SMS template the agent can send instead of calling
            await page.GotoAsync(Url("sms"));
            await Assertions.Expect(page.Locator("#template-save")).ToBeEnabledAsync();
            await page.Locator("#template-id").FillAsync(smsTemplate);
            await page.Locator("#template-name").FillAsync("Missed you");
            await page.Locator("#template-body").FillAsync("Hi {first_name}, we tried to call you about your plan {plan_name}.");
            await page.Locator("#template-save").ClickAsync();
            await Assertions.Expect(page.Locator("#sms-message")).ToContainTextAsync($"Template {smsTemplate}/en saved");
        });

        // tomorrow in Hangzhou, half an hour into the calling hours: a callback on the customer's clock
        var tomorrow = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, WorkbenchPortal.Hangzhou).Date.AddDays(1);
        var callback = tomorrow + WorkbenchPortal.CallingFrom.ToTimeSpan() + TimeSpan.FromMinutes(30);
        await WithPage("agent.hz1", async page =>
        {
            await page.GotoAsync(Url("my-tasks?subscriber=" + subscriberId));
            await Assertions.Expect(page.Locator("#my-tasks").GetByRole(AriaRole.Link, new() { Name = taskId.ToString(CultureInfo.InvariantCulture), Exact = true })).ToBeVisibleAsync();

            await page.GotoAsync(Url($"my-tasks/{taskId}"));
            await Assertions.Expect(page.Locator("#outcome-form")).ToBeVisibleAsync();
            await Assertions.Expect(page.Locator("#task-status")).ToContainTextAsync("In progress");
            await Assertions.Expect(page.Locator("#customer-header")).ToBeVisibleAsync();

            // an SMS instead of (another) call: rendered for this subscriber, queued through the compliance checks
            await Assertions.Expect(page.Locator("#task-sms-none")).ToHaveCountAsync(0);
            await page.Locator("#task-sms-template").ClickAsync();
            await page.Locator(".rz-dropdown-item:visible").Filter(new() { HasText = "Missed you (English)" }).First.ClickAsync();
            await Assertions.Expect(page.Locator("#task-sms-preview")).ToContainTextAsync("we tried to call you about your plan");
            // the names are the sample province's (often Chinese): the count follows the rendered text's encoding
            var rendered = SmsSegments.Measure(await page.Locator("#task-sms-preview").InnerTextAsync());
            await Assertions.Expect(page.Locator("#task-sms-segments")).ToContainTextAsync(
                $"{(rendered.Encoding == SmsSegments.Gsm7 ? "GSM-7" : "UCS-2")} · {rendered.Segments} segment");
            await page.Locator("#task-sms-send").ClickAsync();
            await Assertions.Expect(page.Locator("#task-sms-message")).ToContainTextAsync("SMS queued");

            // the campaign's questionnaire, answered during the call (stored with the outcome, in one transaction)
            await page.Locator("#q-considering_leaving").GetByText("No", new() { Exact = true }).ClickAsync();
            await page.Locator("#q-satisfaction").GetByText("4", new() { Exact = true }).ClickAsync();

            await page.Locator("#outcome").GetByText("Reached", new() { Exact = true }).ClickAsync();
            await page.Locator("#result").ClickAsync();
            await page.Locator(".rz-dropdown-item:visible").Filter(new() { HasText = "Will consider" }).First.ClickAsync();
            var input = page.Locator("#callback-at input").First;
            await input.FillAsync(callback.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
            await input.PressAsync("Tab");
            await page.Locator("#save-outcome").ClickAsync();

            await Assertions.Expect(page.Locator("#task-message")).ToContainTextAsync("Callback");
            await Assertions.Expect(page.Locator("#task-status")).ToContainTextAsync("Callback");

            await page.GotoAsync(Url("my-tasks/callbacks?date=" + callback.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
            await Assertions.Expect(page.Locator("#callback-calendar")).ToContainTextAsync($"Task {taskId}");

            // an edited address with a day the calendar cannot show opens on today, not on an error page
            var far = await page.GotoAsync(Url("my-tasks/callbacks?date=9999-12-31"));
            Assert.Equal(200, far!.Status);
            await Assertions.Expect(page.Locator("#callback-calendar")).ToBeVisibleAsync();
        });

        await WithPage("agent.hz2", async page =>
        {
            await page.GotoAsync(Url($"my-tasks/{taskId}"));
            await Assertions.Expect(page.Locator("#task-denied")).ToBeVisibleAsync();
            Assert.Equal(0, await page.Locator("#customer-header").CountAsync());
            Assert.Equal(0, await page.Locator("#outcome-form").CountAsync());
        });

        var admin = await AccessMatrixTests.ClientFor(Portal, "admin");
        var denials = JsonDocument.Parse(await admin.GetStringAsync("api/admin/audit?action=task_denied&user=agent.hz2"))
            .RootElement.EnumerateArray().Select(e => e.GetProperty("target").GetString()).ToList();
        Assert.Contains($"task:{taskId}", denials);
    }
}
