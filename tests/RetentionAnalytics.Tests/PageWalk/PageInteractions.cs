using Microsoft.Playwright;

namespace RetentionAnalytics.Tests.PageWalk;

/// <summary>Something a user does on a page; false when the page does not offer it (nothing to click).</summary>
public sealed record Interaction(string Name, Func<IPage, Task<bool>> Run);

/// <summary>
/// The interactions each page offers, as a user would try them: run a report and drill into it, pick a row, open a
/// tab, search, preview, save where saving changes nothing. Step names are the same in every language, so the German
/// and Chinese states can be compared with the English one.
/// </summary>
public static class PageInteractions
{
    /// <summary>A Hangzhou (571) subscriber of the sample that every customer-reading role of the walk may open.</summary>
    public static string HangzhouSubscriber { get; set; } = "";

    public static IReadOnlyList<Interaction> For(string page) => page switch
    {
        "overview" => [Click("drill", "#kpi-by-city a, #kpi-by-city .ra-drill")],
        "reports" => [],
        _ when page.StartsWith("reports/", StringComparison.Ordinal) =>
            [Click("show", "#report-run"), Click("drill", "#report-grid .ra-drill, #report-grid a[href^='javascript']", then: "#drill-list")],
        "customers" => [Search()],
        "analysis/rules" => [FirstRow("rule", "#rules-list"), Click("preview", "#rule-preview")],
        "analysis/cubes" => [Click("run", "#cube-run")],
        "call-lists" => [FirstRow("campaign", "#campaigns")],
        "callbacks/new-subscribers" => [FirstRow("list", "#callback-lists")],
        "campaigns/special" => [FirstRow("campaign", "#special-list")],
        "admin/questionnaires" => [FirstRow("questionnaire", "#questionnaire-list")],
        "admin/offers" => [FirstRow("offer", "#offer-list")],
        "blacklist" => [Click("search", "#blacklist-search-button")],
        "materials" => [FirstRow("material", "#materials-list")],
        "admin/users" => [FirstRow("user", "#users-grid")],
        // saving a team unchanged is safe: same values, a new version of nothing
        "admin/teams" => [FirstRow("team", "#teams-grid"), Click("save", "#save-team")],
        "admin/scenarios" => [Click("preview", "#scenario-preview")],
        "operations" => [FirstRow("load", "#load-history")],
        "admin/audit" => [Click("apply", "#audit-apply")],
        _ => [],
    };

    /// <summary>Each tab of the page's tab strips, by position (tab-2, tab-3, …); the first is open already.</summary>
    public static async Task<IReadOnlyList<Interaction>> TabsAsync(IPage page)
    {
        var count = await page.Locator(".rz-tabview-nav [role=tab]:visible").CountAsync();
        return Enumerable.Range(1, Math.Max(0, count - 1))
            .Select(i => new Interaction($"tab-{i + 1}", async p =>
            {
                var tab = p.Locator(".rz-tabview-nav [role=tab]:visible").Nth(i);
                if (await tab.CountAsync() == 0)
                {
                    return false;
                }
                await tab.ClickAsync();
                return true;
            }))
            .ToList();
    }

    /// <summary>Clicks the first visible match; optionally waits for what the click should show.</summary>
    public static Interaction Click(string name, string selector, string? then = null) => new(name, async page =>
    {
        var target = page.Locator(selector).Filter(new() { Visible = true }).First;
        if (await target.CountAsync() == 0 || !await target.IsEnabledAsync())
        {
            return false;
        }
        await target.ClickAsync();
        if (then is not null)
        {
            await page.Locator(then).First.WaitForAsync(new() { State = WaitForSelectorState.Visible });
        }
        return true;
    });

    /// <summary>Picks the first data row of a grid (a click on its first cell).</summary>
    public static Interaction FirstRow(string name, string grid) => new(name, async page =>
    {
        var cell = page.Locator($"{grid} tbody tr:not(.rz-datatable-emptymessage-row) td").Filter(new() { Visible = true }).First;
        if (await cell.CountAsync() == 0)
        {
            return false;
        }
        await cell.ClickAsync();
        return true;
    });

    private static Interaction Search() => new("search", async page =>
    {
        var key = page.Locator("#customer-search-key");
        if (HangzhouSubscriber.Length == 0 || await key.CountAsync() == 0)
        {
            return false;
        }
        await key.FillAsync(HangzhouSubscriber);
        await page.Locator("#customer-search-button").ClickAsync();
        return true;
    });
}
