using System.Net.Http.Json;
using Microsoft.Playwright;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;
using Xunit.Abstractions;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// The portal on a warehouse built from IBM Telco alone, and on an empty one, in Debian's chromium: every page a role
/// opens answers below 500 without the error bar, every fixed report shows its rows or what it needs in the reader's
/// language, and the report and cube endpoints answer 200 or 409 with the missing extract — never a 500.
/// </summary>
public sealed class CoreOnlyPortalTests(ITestOutputHelper output)
{
    private static readonly string[] Pages =
    [
        "", "overview", "reports", "analysis/cubes", "analysis/rules", "customers", "call-lists", "callbacks/new-subscribers",
        "campaigns/special", "my-tasks", "my-tasks/callbacks", "work-orders", "sms", "blacklist", "materials", "inbox",
        "operations", "admin", "admin/audit", "admin/offers", "admin/questionnaires", "admin/regions", "admin/scenarios",
        "admin/schedules", "admin/teams", "admin/users",
    ];

    private static readonly string[] Accounts = ["admin", "leader", "analyst", "manager.hz", "supervisor.hz", "agent.hz1"];

    [Fact]
    public Task On_an_ibm_only_warehouse_every_page_report_and_cube_answers_without_an_error() =>
        Walk(ibm: true);

    [Fact]
    public Task On_an_empty_warehouse_every_page_report_and_cube_answers_without_an_error() =>
        Walk(ibm: false);

    private async Task Walk(bool ibm)
    {
        var portal = new PortalHost { WaitForSeed = false };
        if (ibm)
        {
            LoadIbm(portal.DatabasePath);
        }
        await portal.InitializeAsync();
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var reports = Directory.GetFiles(Path.Combine(PortalHost.RepositoryRoot, "reports", "fixed"), "*.yaml")
                .Select(Path.GetFileNameWithoutExtension).Order().ToList();
            var failures = new List<string>();
            foreach (var account in Accounts)
            {
                var context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
                var page = await context.NewPageAsync();
                page.SetDefaultTimeout(30_000);
                await PortalSignIn.SignInAsync(page, portal.BaseAddress, account);
                var paths = Pages.Concat(account is "leader" or "analyst" ? reports.Select(r => $"reports/{r}") : []);
                foreach (var path in paths)
                {
                    var response = await page.GotoAsync(new Uri(portal.BaseAddress, path).ToString());
                    await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
                    if (response is not { Status: < 500 })
                    {
                        failures.Add($"{account} /{path}: HTTP {response?.Status}");
                    }
                    else if (await page.Locator("#blazor-error-ui:visible").CountAsync() > 0)
                    {
                        failures.Add($"{account} /{path}: the error bar shows");
                    }
                }
                await context.CloseAsync();
            }
            Assert.True(failures.Count == 0, string.Join("\n", failures) + "\n" + string.Join("\n", portal.Output.Split('\n').Where(l => l.Contains("ERR") || l.Contains("Exception")).Take(20)));

            // a report that needs what was not delivered names it, in the reader's language
            var leader = await browser.NewPageAsync();
            await PortalSignIn.SignInAsync(leader, portal.BaseAddress, "leader");
            foreach (var (culture, text, core) in new[]
                     {
                         ("en", "Needs prepaid balances (balance): not delivered", "Needs subscriber snapshots (subscription): not delivered"),
                         ("de", "Benötigt Prepaid-Guthaben (balance): nicht geliefert", "Benötigt Teilnehmer-Stichtage (subscription): nicht geliefert"),
                         ("zh-Hans", "需要 余额 (balance)：尚未交付", "需要 用户快照 (subscription)：尚未交付"),
                     })
            {
                await leader.GotoAsync(new Uri(portal.BaseAddress, $"culture/set?culture={culture}&redirectUri=/reports/balance_risk").ToString());
                await leader.WaitForLoadStateAsync(LoadState.NetworkIdle);
                var expected = ibm ? text : core;
                await Assertions.Expect(leader.Locator("#report-error")).ToContainTextAsync(expected);
            }
            await Screenshots.TakeAsync(leader, portal, "reports/balance_risk", ibm ? "ibm-balance-risk" : "empty-balance-risk");
            await Screenshots.TakeAsync(leader, portal, "reports/churn_by_plan", ibm ? "ibm-churn-by-plan" : "empty-churn-by-plan");

            using var http = await PortalSignIn.SignedInAsync(portal.BaseAddress, "leader");
            foreach (var report in reports)
            {
                var answer = await http.GetAsync($"api/reports/{report}");
                output.WriteLine($"{report}: {(int)answer.StatusCode}");
                Assert.True((int)answer.StatusCode is 200 or 403 or 409, $"/api/reports/{report}: {(int)answer.StatusCode} {await answer.Content.ReadAsStringAsync()}");
            }
            var byPlan = await http.GetAsync("api/reports/churn_by_plan");
            Assert.Equal(ibm ? 200 : 409, (int)byPlan.StatusCode);
            if (ibm)
            {
                using var json = System.Text.Json.JsonDocument.Parse(await byPlan.Content.ReadAsStringAsync());
                var rates = json.RootElement.GetProperty("rows").EnumerateArray()
                    .Where(r => r.GetProperty("kind").GetString() == "Data")
                    .ToDictionary(r => r.GetProperty("cells").GetProperty("plan_name").GetString()!,
                        r => Math.Round(r.GetProperty("cells").GetProperty("churn_rate").GetDouble() * 100, 2));
                Assert.Equal(new Dictionary<string, double> { ["Month-to-month"] = 42.71, ["One year"] = 11.27, ["Two year"] = 2.83 }, rates);
            }
            await PortalSignIn.AddAntiforgeryHeaderAsync(http);
            var cube = await http.PostAsJsonAsync("api/cubes/query?lang=en",
                new { cube = "subscriber_month", rows = new[] { new { dimension = "plan", level = "plan" } }, columns = Array.Empty<object>(), measures = new[] { "churn_rate" } });
            Assert.Equal(ibm ? 200 : 409, (int)cube.StatusCode);
        }
        finally
        {
            await browser.CloseAsync();
            playwright.Dispose();
            await portal.DisposeAsync();
        }
    }

    private static void LoadIbm(string databasePath)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(databasePath)!);
        using var db = Db.Open(new WarehouseOptions { DatabasePath = databasePath, Threads = 2 });
        Migrator.Apply(db);
        var contracts = ContractCatalog.LoadFolder(db.Options.ContractRoot);
        var loader = new Loader(db, contracts, new QualityChecks(db, contracts));
        Assert.Equal("loaded", loader.LoadFile(TelcoChurnLoadTests.SampleFile).Status);
        new TransformRunner(db, contracts).Run();
    }
}
