using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Workbench;

/// <summary>
/// Inbound calls in Debian's chromium: the CTI simulator (an administrator, demo mode) rings an agent through the
/// portal's own <c>POST /api/cti/calls</c>; the agent's open portal pops the customer with reasons and the open task, the
/// other agent's does not; a number of another region pops nothing of that customer; a wrong key is refused.
/// </summary>
[Collection(WorkbenchPortalCollection.Name)]
public sealed class ScreenPopBrowserTests(WorkbenchPortal fixture)
{
    private PortalHost Portal => fixture.Host;

    private string Url(string path) => new Uri(Portal.BaseAddress, path).ToString();

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>An open task of agent.hz1 and its customer's number, as the supervisor of Hangzhou sees it (no claim).</summary>
    private async Task<(long TaskId, string SubscriberId, string Msisdn, string Name)> AgentTaskAsync()
    {
        using var agent = await PortalSignIn.SignedInAsync(Portal.BaseAddress, "agent.hz1");
        using var queue = JsonDocument.Parse(await agent.GetStringAsync("api/my-tasks?limit=100"));
        var task = queue.RootElement.EnumerateArray().First(t => t.GetProperty("status").GetString() is "assigned" or "callback" or "in_progress");
        var taskId = task.GetProperty("taskId").GetInt64();
        using var supervisor = await PortalSignIn.SignedInAsync(Portal.BaseAddress, "supervisor.hz");
        using var opened = await supervisor.PostAsync($"api/my-tasks/{taskId}/open", null);
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        using var view = JsonDocument.Parse(await opened.Content.ReadAsStringAsync());
        Assert.False(view.RootElement.GetProperty("claimed").GetBoolean());
        var profile = view.RootElement.GetProperty("customer").GetProperty("profile");
        return (taskId, profile.GetProperty("subscriberId").GetString()!, profile.GetProperty("msisdn").GetString()!,
            profile.GetProperty("customerName").GetString()!);
    }

    /// <summary>A current Ningbo (574) line of the sample province: outside agent.hz1's regions.</summary>
    private static (string Msisdn, string Customer) NingboLine()
    {
        var file = Directory.GetFiles(Path.Combine(PortalHost.RepositoryRoot, "data-samples", "province"), "subscription_*.csv").Max()!;
        var row = File.ReadLines(file).Skip(1).Select(l => l.Split(',')).First(c => c[9] == "574" && c[6] == "A");
        return (row[2], row[1]);
    }

    private async Task<HttpResponseMessage> RingAsync(HttpClient admin, string agent, string number) =>
        await admin.PostAsJsonAsync("cti-simulator/ring", new { agent, number }, Json);

    private async Task<IPage> SignedInPageAsync(IBrowser browser, string account, string path = "my-tasks")
    {
        var page = await (await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } })).NewPageAsync();
        page.SetDefaultTimeout(20_000);
        await PortalSignIn.SignInAsync(page, Portal.BaseAddress, account);
        await page.GotoAsync(Url($"culture/set?culture=en&redirectUri=%2F{Uri.EscapeDataString(path)}"));
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        return page;
    }

    [Fact]
    public async Task A_ringing_agent_sees_the_customer_with_reasons_and_the_open_task_and_no_other_agent_does()
    {
        var (taskId, _, msisdn, name) = await AgentTaskAsync();
        using var admin = await PortalSignIn.SignedInAsync(Portal.BaseAddress, "admin");
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var hz1 = await SignedInPageAsync(browser, "agent.hz1", "customers");
            var hz2 = await SignedInPageAsync(browser, "agent.hz2", "my-tasks");

            var clock = Stopwatch.StartNew();
            using (var ring = await RingAsync(admin, "agent.hz1", "+86 " + msisdn))
            {
                Assert.Equal(HttpStatusCode.OK, ring.StatusCode);
            }
            var pop = hz1.Locator("#screen-pop");
            await Assertions.Expect(pop.Locator("#screen-pop-customer")).ToContainTextAsync(name, new() { Timeout = 5_000 });
            var shownAfter = clock.Elapsed;
            await Assertions.Expect(pop.Locator("#screen-pop-open-task")).ToBeVisibleAsync();
            Assert.True(await pop.Locator("#screen-pop-reasons li").CountAsync() + await pop.GetByText("No probable reasons").CountAsync() > 0);
            // the other agent's portal, open at the same time, shows nothing
            await hz2.WaitForTimeoutAsync(1_000);
            Assert.Equal(0, await hz2.Locator("#screen-pop").CountAsync());
            Console.WriteLine($"screen pop on screen {shownAfter.TotalMilliseconds:N0} ms after the ring was accepted");

            // the agent takes the call on the task: the task page opens for that call (on a loaded machine the click once
            // did not navigate within 20 s; a person whose click shows nothing clicks again, and so does the test)
            bool OnTheTask(string url) => url.Contains($"my-tasks/{taskId}?call=", StringComparison.Ordinal);
            await pop.Locator("#screen-pop-open-task").ClickAsync();
            try
            {
                await hz1.WaitForURLAsync(OnTheTask, new() { Timeout = 15_000 });
            }
            catch (TimeoutException)
            {
                // the pop still offers the task: the click was not taken, so click again; the pop gone: the click was
                // taken and the navigation is on its way over a slow circuit, so wait for it
                if (await pop.Locator("#screen-pop-open-task").CountAsync() == 1)
                {
                    Console.WriteLine("the pop's open-task click did not navigate within 15 s; clicked again");
                    await pop.Locator("#screen-pop-open-task").ClickAsync();
                }
                await hz1.WaitForURLAsync(OnTheTask, new() { Timeout = 30_000 });
            }
            await Assertions.Expect(hz1.Locator("#task-reasons")).ToBeVisibleAsync();

            await ScreenshotsOfThePopAsync(hz1, admin, msisdn);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>
    /// From the click on a task in the queue to the customer's 360 (name and reasons) on the task page, for one agent:
    /// printed for docs/benchmarks.md, not a timed assertion. Then the task page in en/de/zh (RA_SCREENSHOTS).
    /// </summary>
    [Fact]
    public async Task Clicking_a_task_in_the_queue_shows_the_customer_360_and_its_reasons()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await SignedInPageAsync(browser, "agent.hz2", "my-tasks");
            var timings = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                await page.GotoAsync(Url("my-tasks"));
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                var link = page.Locator("a.task-link").Nth(i);
                var href = await link.GetAttributeAsync("href");
                var clock = Stopwatch.StartNew();
                await link.ClickAsync();
                await Assertions.Expect(page.Locator("#customer-name")).ToBeVisibleAsync();
                await Assertions.Expect(page.Locator("#task-reasons")).ToBeVisibleAsync();
                timings.Add(clock.Elapsed.TotalMilliseconds);
                Assert.EndsWith(href!, page.Url, StringComparison.Ordinal);
            }
            timings.Sort();
            Console.WriteLine($"click on a task → 360 on screen, 5 tasks: {string.Join(", ", timings.Select(t => $"{t:N0}"))} ms");
            await Screenshots.TakeAsync(page, Portal, page.Url.Replace(Portal.BaseAddress.ToString(), "", StringComparison.Ordinal), "task-page");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task A_number_of_another_region_pops_nothing_of_the_customer_but_the_search_with_the_number()
    {
        var (msisdn, customerId) = NingboLine();
        using var admin = await PortalSignIn.SignedInAsync(Portal.BaseAddress, "admin");
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var hz1 = await SignedInPageAsync(browser, "agent.hz1");
            using (var ring = await RingAsync(admin, "agent.hz1", msisdn))
            {
                Assert.Equal(HttpStatusCode.OK, ring.StatusCode);
            }
            await Assertions.Expect(hz1.Locator("#screen-pop-unknown")).ToContainTextAsync(msisdn, new() { Timeout = 5_000 });
            await hz1.WaitForURLAsync(url => url.Contains("customers?q=" + msisdn, StringComparison.Ordinal));
            await Assertions.Expect(hz1.Locator("#customer-search-results")).ToBeVisibleAsync();
            Assert.Equal(0, await hz1.Locator("#screen-pop-customer").CountAsync());
            Assert.DoesNotContain(customerId, await hz1.ContentAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task Only_a_configured_key_may_announce_a_call_and_only_administrators_may_ring_the_simulator()
    {
        using var anonymous = PortalSignIn.NewClient(Portal.BaseAddress);
        var body = new { agent = "agent.hz1", number = "13800000000" };
        using (var none = await anonymous.PostAsJsonAsync("api/cti/calls", body, Json))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        }
        using (var request = new HttpRequestMessage(HttpMethod.Post, "api/cti/calls") { Content = JsonContent.Create(body) })
        {
            request.Headers.Add("X-Integration-Key", "demo-gateway-token");
            using var wrong = await anonymous.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }
        using var agent = await PortalSignIn.SignedInAsync(Portal.BaseAddress, "agent.hz1");
        using var refused = await agent.PostAsJsonAsync("cti-simulator/ring", body, Json);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    /// <summary>The pop in English, German and Chinese at 1280 and 1440 px (RA_SCREENSHOTS), each from a fresh ring.</summary>
    private async Task ScreenshotsOfThePopAsync(IPage page, HttpClient admin, string msisdn)
    {
        if (Environment.GetEnvironmentVariable("RA_SCREENSHOTS") is not { Length: > 0 } folder)
        {
            return;
        }
        Directory.CreateDirectory(folder);
        try
        {
            foreach (var culture in new[] { "en", "de", "zh-Hans" })
            {
                await page.GotoAsync(Url($"culture/set?culture={culture}&redirectUri=%2Fmy-tasks"));
                await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                using (var ring = await RingAsync(admin, "agent.hz1", msisdn))
                {
                    Assert.Equal(HttpStatusCode.OK, ring.StatusCode);
                }
                await Assertions.Expect(page.Locator("#screen-pop-customer")).ToBeVisibleAsync(new() { Timeout = 5_000 });
                foreach (var width in new[] { 1280, 1440 })
                {
                    await page.SetViewportSizeAsync(width, 900);
                    await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"screen-pop-{culture}-{width}.png"), FullPage = false });
                }
            }
        }
        finally
        {
            await page.GotoAsync(Url("culture/set?culture=en&redirectUri=%2F"));
        }
    }
}
