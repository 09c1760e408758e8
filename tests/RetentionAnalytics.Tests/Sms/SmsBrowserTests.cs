using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Sms;

/// <summary>
/// Its own portal (sample province, pipeline run) with quiet hours off and a dispatch every 2 seconds, so the test
/// does not depend on the time of day; the gateway is the portal's simulator.
/// </summary>
public sealed class SmsPortalFixture : IAsyncLifetime
{
    public PortalHost Portal { get; } = new()
    {
        Environment =
        {
            ["Sms__QuietStart"] = "00:00",
            ["Sms__QuietEnd"] = "00:00",
            ["Sms__DispatchSeconds"] = "2",
            ["Sms__Gateway__Simulator"] = "true",
        },
    };

    public Task InitializeAsync() => Portal.InitializeAsync();
    public Task DisposeAsync() => Portal.DisposeAsync();
}

/// <summary>
/// Runs after the parallel tests, alone: a second portal seeding the sample province next to the shared one and the
/// other tests would crawl on a two-core machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SmsPortalCollection : ICollectionFixture<SmsPortalFixture>
{
    public const string Name = "sms-portal";
}

/// <summary>supervisor.hz writes a template, watches the segment preview, sends to a small audience and sees it delivered.</summary>
[Collection(SmsPortalCollection.Name)]
public sealed class SmsBrowserTests(SmsPortalFixture fixture)
{
    private PortalHost Portal => fixture.Portal;

    [Fact]
    public async Task A_supervisor_writes_a_template_sends_it_to_a_small_audience_and_sees_it_delivered()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, Portal.BaseAddress, "supervisor.hz");
            await page.GotoAsync(new Uri(Portal.BaseAddress, "sms").ToString());
            await Assertions.Expect(page.Locator("#template-save")).ToBeEnabledAsync();

            var id = "winback-" + Guid.NewGuid().ToString("N")[..6];
            await page.Locator("#template-id").FillAsync(id);
            await page.Locator("#template-name").FillAsync("Win-back");
            await page.Locator("#template-body").FillAsync("Hi {first_name}, your plan {plan_name} ends {contract_end}.");
            await Assertions.Expect(page.Locator("#preview-encoding")).ToHaveTextAsync("GSM-7");
            await Assertions.Expect(page.Locator("#preview-segments")).ToHaveTextAsync("1");
            await Assertions.Expect(page.Locator("#template-preview")).ToContainTextAsync("Reply TD to unsubscribe");

            await page.Locator("#template-body").FillAsync("Hi {first_name}, your plan {plan_name} ends {contract_end}. " + new string('x', 120));
            await Assertions.Expect(page.Locator("#preview-segments")).ToHaveTextAsync("2");
            await page.Locator("#template-body").FillAsync("Hi {first_name}, your plan {plan_name} ends {contract_end}. 谢谢");
            await Assertions.Expect(page.Locator("#preview-encoding")).ToHaveTextAsync("UCS-2");
            await page.Locator("#template-body").FillAsync("Hi {firstname}");
            await Assertions.Expect(page.Locator("#template-error")).ToContainTextAsync("{firstname}");

            // saved with fields every subscriber has: a message missing a value ({contract_end} without a contract) is not sent
            await page.Locator("#template-body").FillAsync("Hi {first_name}, your plan {plan_name} has news for you.");
            // a double click saves one version, not two alike
            await page.Locator("#template-save").DblClickAsync();
            await Assertions.Expect(page.Locator("#sms-message")).ToContainTextAsync($"Template {id}/en saved as version");
            // the second click's answer, when there is one, follows the first's within moments
            await page.WaitForTimeoutAsync(1_000);
            await Assertions.Expect(page.Locator("#sms-message")).ToContainTextAsync($"Template {id}/en saved as version 1.");
            await Assertions.Expect(page.Locator("#template-list tbody tr").Filter(new() { HasText = id }).Locator("td").Nth(2)).ToHaveTextAsync("1");

            await page.Locator(".rz-tabview-nav").GetByText("New send").ClickAsync();
            await page.Locator("div#send-template").ClickAsync();
            await page.Locator(".rz-dropdown-item").Filter(new() { Visible = true, HasText = id + "/en" }).First.ClickAsync();
            await page.Locator("div#send-audience").ClickAsync();
            await page.Locator(".rz-dropdown-item").Filter(new() { Visible = true }).First.ClickAsync();
            await page.Locator("#send-count").ClickAsync();
            await Assertions.Expect(page.Locator("#send-total")).ToContainTextAsync("recipients in your scope");
            var recipients = int.Parse(Regex.Match(await page.Locator("#send-total").InnerTextAsync(), @"(\d+) recipients").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.InRange(recipients, 1, 500);
            // a city supervisor's audience: Hangzhou only
            await Assertions.Expect(page.Locator("#send-by-city tbody tr")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("#send-by-city tbody tr").First).ToContainTextAsync("Hangzhou");
            await Assertions.Expect(page.Locator("#send-sample")).ToContainTextAsync("Reply TD to unsubscribe");
            // counted from every recipient's own message (a Chinese name makes it UCS-2)
            await Assertions.Expect(page.Locator("#send-figures")).ToContainTextAsync($"{recipients} messages");

            // a double click requests one send: its recipients get the message once
            await page.Locator("#send-request").DblClickAsync();
            // the answer stands beside the send button, on its own tab
            await Assertions.Expect(page.Locator("#send-message")).ToContainTextAsync("is queued");
            var sendId = Regex.Match(await page.Locator("#send-message").InnerTextAsync(), @"Send (\d+) to").Groups[1].Value;

            await page.Locator(".rz-tabview-nav").GetByText("History").ClickAsync();
            await Assertions.Expect(page.Locator("#history-list tbody tr").Filter(new() { HasText = id + "/en" })).ToHaveCountAsync(1);
            var delivered = page.Locator($"#history-delivered-{sendId}");
            await Portal.WaitFor(async () =>
            {
                await page.Locator("#history-refresh").ClickAsync();
                return await delivered.CountAsync() == 1 && int.Parse(await delivered.InnerTextAsync(), CultureInfo.InvariantCulture) > 0;
            }, TimeSpan.FromSeconds(60), "the send to be delivered");
            Assert.True(int.Parse(await page.Locator($"#history-sent-{sendId}").InnerTextAsync(), CultureInfo.InvariantCulture) > 0);

            // the history's export holds the screen's sends with their figures, in the same order
            var href = await page.Locator("#history-export-csv").GetAttributeAsync("href");
            var csv = await (await page.APIRequest.GetAsync(new Uri(Portal.BaseAddress, href!).ToString())).TextAsync();
            var lines = ExportCsv.Table(csv);
            var onScreen = await page.Locator("#history-list tbody tr td:first-child").AllInnerTextsAsync();
            Assert.Equal(onScreen.Select(t => t.Trim()), lines.Skip(1).Select(l => l[0]));
            var exported = lines.Skip(1).Single(f => f[0] == sendId);
            var header = lines[0];
            Assert.Equal(await page.Locator($"#history-delivered-{sendId}").InnerTextAsync(), exported[Array.IndexOf(header, "Delivered")]);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
