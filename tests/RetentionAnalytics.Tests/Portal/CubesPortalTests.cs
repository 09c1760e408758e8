using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RetentionAnalytics.Tests.Support;
using static RetentionAnalytics.Portal.Features.Shared.Access.PortalRoles;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>The analysis page and its JSON endpoint on the real portal: who may query, what a city manager reads, and an analyst's session.</summary>
[Collection(PortalCollection.Name)]
public sealed class CubesPortalTests(PortalHost portal)
{
    private static readonly object CityByMonth = new
    {
        cube = "subscriber_month",
        rows = new[] { new { dimension = "region", level = "city" } },
        columns = new[] { new { dimension = "time", level = "month" } },
        measures = new[] { "churned", "churn_rate" },
    };

    [Fact]
    public async Task The_cube_query_endpoint_answers_the_analysis_roles_only()
    {
        string[] allowed = [Analyst, ProvincialLeader, CityManager, Administrator];
        var wrong = new List<string>();
        foreach (var role in All)
        {
            var http = await AccessMatrixTests.ClientFor(portal, PortalSignIn.AccountOfRole[role]);
            using var response = await http.PostAsJsonAsync("api/cubes/query", CityByMonth);
            var expected = allowed.Contains(role) ? HttpStatusCode.OK : HttpStatusCode.Forbidden;
            if (response.StatusCode != expected)
            {
                wrong.Add($"{role}: expected {(int)expected}, got {(int)response.StatusCode}");
            }
        }
        using var anonymous = PortalSignIn.NewClient(portal.BaseAddress);
        using var refused = await anonymous.PostAsJsonAsync("api/cubes/query", CityByMonth);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.True(wrong.Count == 0, string.Join('\n', wrong));
    }

    [Fact]
    public async Task A_city_managers_cube_query_holds_their_city_only_and_a_bad_name_is_a_bad_request()
    {
        var http = await AccessMatrixTests.ClientFor(portal, "manager.nb");
        var result = JsonDocument.Parse(await (await http.PostAsJsonAsync("api/cubes/query", CityByMonth)).Content.ReadAsStringAsync()).RootElement;
        var cities = result.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("keys")[0].GetString()).ToList();
        Assert.Equal(["574"], cities);

        using var bad = await http.PostAsJsonAsync("api/cubes/query", new
        {
            cube = "subscriber_month",
            rows = new[] { new { dimension = "region", level = "city_code from dw.dim_customer --" } },
            columns = Array.Empty<object>(),
            measures = new[] { "churned" },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    private static async Task Choose(IPage page, string dropdownId, string item)
    {
        await page.Locator($"div#{dropdownId}").ClickAsync();
        await page.Locator(".rz-dropdown-item")
            .Filter(new() { Visible = true, HasTextRegex = new Regex($@"^\s*{Regex.Escape(item)}\s*$") })
            .First.ClickAsync();
    }

    [Fact]
    public async Task An_analyst_builds_city_by_month_churn_rate_drills_into_a_city_saves_the_view_and_reopens_it()
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var page = await (await browser.NewContextAsync()).NewPageAsync();
            page.SetDefaultTimeout(30_000);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "analyst");
            await page.GotoAsync(new Uri(portal.BaseAddress, "analysis/cubes").ToString());
            await Assertions.Expect(page.Locator("#cube-run")).ToBeEnabledAsync();

            await Choose(page, "column-dimension", "Time");
            await Choose(page, "column-level", "Month");
            // open the list by its arrow (the middle of the field holds the default measure's chip and its remove button)
            await page.Locator("div#measures .rz-dropdown-trigger").ClickAsync();
            await page.Locator(".rz-multiselect-item:visible", new() { HasTextRegex = new Regex(@"^\s*Churn rate\s*$") }).First.ClickAsync();
            await Assertions.Expect(page.Locator("div#measures")).ToContainTextAsync("Churn rate");
            await page.Locator("h1").First.ClickAsync();
            await page.Locator("#cube-run").ClickAsync();

            var rows = page.Locator("#pivot tbody tr.pivot-row");
            await Assertions.Expect(rows).ToHaveCountAsync(11);
            await Assertions.Expect(page.Locator("#pivot thead")).ToContainTextAsync("Churn rate");
            await Assertions.Expect(page.Locator("#grand-total-churn_rate")).ToContainTextAsync("%");

            await page.Locator("#pivot a.pivot-member[data-member='571']").ClickAsync();
            await Assertions.Expect(page.Locator("#pivot thead")).ToContainTextAsync("District");
            // the filter names the city, not its code
            await Assertions.Expect(page.Locator("#cube-filters")).ToContainTextAsync("City = Hangzhou");
            var districtRows = await rows.CountAsync();
            Assert.True(districtRows > 0);
            var total = await page.Locator("#grand-total-churn_rate").InnerTextAsync();

            var name = "Hangzhou districts " + Guid.NewGuid().ToString("N")[..6];
            await page.Locator("#view-name").FillAsync(name);
            await page.Locator("#view-name").PressAsync("Tab");
            // a double click saves the view once and says so, not that the name is taken
            await page.Locator("#view-save").DblClickAsync();
            await Assertions.Expect(page.Locator("#cubes-message")).ToContainTextAsync($"View {name} saved.");
            // the second click's answer, when there is one, follows the first's within moments
            await page.WaitForTimeoutAsync(1_000);
            await Assertions.Expect(page.Locator("#cubes-message")).ToContainTextAsync($"View {name} saved.");
            await page.Locator("div#view-select").ClickAsync();
            await Assertions.Expect(page.Locator(".rz-dropdown-item:visible", new() { HasText = name })).ToHaveCountAsync(1);
            await page.Keyboard.PressAsync("Escape");

            // a fresh page: the view comes back from the warehouse with the same state and numbers
            await page.GotoAsync(new Uri(portal.BaseAddress, "analysis/cubes").ToString());
            await Assertions.Expect(page.Locator("#cube-run")).ToBeEnabledAsync();
            await page.Locator("div#view-select").ClickAsync();
            await page.Locator(".rz-dropdown-item", new() { HasText = name }).First.ClickAsync();
            await Assertions.Expect(page.Locator("#pivot thead")).ToContainTextAsync("District");
            await Assertions.Expect(rows).ToHaveCountAsync(districtRows);
            await Assertions.Expect(page.Locator("#grand-total-churn_rate")).ToHaveTextAsync(total);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }
}
