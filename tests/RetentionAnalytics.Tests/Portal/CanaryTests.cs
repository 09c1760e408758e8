using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// Canary personal data typed into every input the portal has (sign-in form, user administration,
/// the audit log's filter, the culture endpoint's query, the customer search and the 360's address) must reach no log sink: the log files, the console,
/// ops.audit_log and meta.job_run.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class CanaryTests(PortalHost portal)
{
    private static readonly string[] Canaries = ["张伟", "13800138000", "330102199001011234"];
    private const string CanaryText = "张伟 13800138000 330102199001011234";

    [Fact]
    public async Task Canary_personal_data_typed_anywhere_reaches_no_log_sink()
    {
        // the sign-in form: each canary as username and as password
        using (var anonymous = PortalSignIn.NewClient(portal.BaseAddress))
        {
            foreach (var canary in Canaries.Append(CanaryText))
            {
                using var refused = await PortalSignIn.PostSignInAsync(anonymous, canary, canary, "/" + canary);
                Assert.Contains("error=SignInInvalid", refused.Headers.Location?.ToString());
            }
            // the culture endpoint's query, anonymous
            await anonymous.GetAsync($"culture/set?culture={Uri.EscapeDataString(CanaryText)}&redirectUri={Uri.EscapeDataString("/" + CanaryText)}");
        }
        var admin = await AccessMatrixTests.ClientFor(portal, "admin");
        await admin.GetAsync($"culture/set?culture=13800138000&redirectUri=/330102199001011234");
        await admin.GetAsync($"api/admin/audit?user={Uri.EscapeDataString(CanaryText)}&action=13800138000");
        await admin.GetAsync("admin/330102199001011234");

        await TypeIntoUserAdministrationAndAuditFilter();
        await TypeIntoCustomerSearch();

        var logs = new StringBuilder(portal.Output);
        if (Directory.Exists(portal.LogFolder))
        {
            foreach (var file in Directory.GetFiles(portal.LogFolder, "*", SearchOption.AllDirectories))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                logs.Append(new StreamReader(stream).ReadToEnd());
            }
        }
        var audit = AllStrings(await admin.GetStringAsync("api/admin/audit"));
        var jobRuns = AllStrings(await admin.GetStringAsync("api/admin/job-runs"));

        Assert.True(logs.Length > 0, "the portal wrote no log at all");
        Assert.Contains("canary.user", audit);
        foreach (var canary in Canaries)
        {
            Assert.DoesNotContain(canary, logs.ToString());
            Assert.DoesNotContain(canary, audit);
            Assert.DoesNotContain(canary, jobRuns);
        }
    }

    private async Task TypeIntoUserAdministrationAndAuditFilter()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            page.SetDefaultTimeout(20_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "admin");

            await page.GotoAsync(new Uri(portal.BaseAddress, "admin/users").ToString());
            await page.Locator("#new-user").ClickAsync();
            await Assertions.Expect(page.Locator("#user-form")).ToBeVisibleAsync();
            await page.Locator("#user-username").FillAsync("canary.user");
            await page.Locator("#user-username").PressAsync("Tab");
            await page.Locator("#user-display-name").FillAsync(CanaryText);
            await page.Locator("#user-display-name").PressAsync("Tab");
            await page.Locator("#user-roles [role=checkbox][aria-label='General user']").ClickAsync();
            await page.Locator("#user-province").ClickAsync();
            await page.Locator("#save-user").ClickAsync();
            await Assertions.Expect(page.Locator("#users-message")).ToContainTextAsync("canary.user");
            await Assertions.Expect(page.Locator("#users-grid")).ToContainTextAsync(CanaryText);

            await page.GotoAsync(new Uri(portal.BaseAddress, "admin/audit").ToString());
            // typed once the page is live, or the circuit's first render would clear the box
            await Assertions.Expect(page.Locator("#audit-apply")).ToBeEnabledAsync();
            await page.Locator("#audit-user").FillAsync(CanaryText);
            await page.Locator("#audit-user").PressAsync("Tab");
            await page.Locator("#audit-apply").ClickAsync();
            await Assertions.Expect(page.Locator("#audit-grid")).ToContainTextAsync("No audit entries");
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>The customer search box and the 360's address, where an agent types whatever the caller says.</summary>
    private async Task TypeIntoCustomerSearch()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync();
            page.SetDefaultTimeout(20_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "analyst");
            await page.GotoAsync(new Uri(portal.BaseAddress, "customers").ToString());
            await Assertions.Expect(page.Locator("#customer-search-button")).ToBeEnabledAsync();
            foreach (var typed in Canaries.Append(CanaryText))
            {
                await page.Locator("#customer-search-key").FillAsync(typed);
                await page.Locator("#customer-search-button").ClickAsync();
                await Assertions.Expect(page.Locator("#customer-search-count, #customer-search-problem").First).ToBeVisibleAsync();
            }
            await page.GotoAsync(new Uri(portal.BaseAddress, "customers/330102199001011234").ToString());
            await Assertions.Expect(page.Locator("#customer-not-found")).ToBeVisibleAsync();
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>Every string value of a JSON document, unescaped (JSON escapes Chinese as \u sequences).</summary>
    private static string AllStrings(string json)
    {
        var text = new StringBuilder();
        void Walk(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.String: text.Append(e.GetString()).Append('\n'); break;
                case JsonValueKind.Array: foreach (var item in e.EnumerateArray()) { Walk(item); } break;
                case JsonValueKind.Object: foreach (var p in e.EnumerateObject()) { Walk(p.Value); } break;
            }
        }
        Walk(JsonDocument.Parse(json).RootElement);
        return text.ToString();
    }
}
