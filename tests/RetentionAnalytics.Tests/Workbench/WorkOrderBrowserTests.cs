using Microsoft.Playwright;
using RetentionAnalytics.Tests.Portal;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Workbench;

/// <summary>In the browser: an agent sends a work order from a task the way people click, a double click included.</summary>
[Collection(PortalCollection.Name)]
public sealed class WorkOrderBrowserTests(PortalHost portal)
{
    [Fact]
    public async Task A_double_click_on_send_work_order_sends_one_and_says_so()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "agent.hz1");
            await page.GotoAsync(new Uri(portal.BaseAddress, "culture/set?culture=en&redirectUri=%2Fmy-tasks").ToString());
            var task = page.Locator("#my-tasks .task-link").First;
            await Assertions.Expect(task).ToBeVisibleAsync();
            await page.GotoAsync(new Uri(portal.BaseAddress, (await task.GetAttributeAsync("href"))!.TrimStart('/')).ToString());
            await Assertions.Expect(page.Locator("#work-order-form")).ToBeVisibleAsync();

            var description = "Double click " + Guid.NewGuid().ToString("N")[..6];
            await page.Locator("#department").ClickAsync();
            await page.Locator(".rz-dropdown-item:visible").Filter(new() { HasText = "Network fault" }).First.ClickAsync();
            await page.Locator("#work-order-description").FillAsync(description);
            await page.Locator("#work-order-description").PressAsync("Tab");
            await page.Locator("#dispatch").DblClickAsync();

            await Assertions.Expect(page.Locator("#work-order-message")).ToContainTextAsync("sent");
            // the second click's answer, when there is one, follows the first's within moments
            await page.WaitForTimeoutAsync(1_000);
            await Assertions.Expect(page.Locator("#work-order-message")).ToContainTextAsync("sent");
            await Assertions.Expect(page.Locator("#work-order-message")).Not.ToContainTextAsync("Choose a department");
            await Assertions.Expect(page.Locator("#task-work-orders tbody tr").Filter(new() { HasText = description })).ToHaveCountAsync(1);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
