using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// The report pages, the KPI overview, the cube page and the operations page in Debian's chromium, clicked the way a
/// user clicks them: every drill, Show again, a narrower and a wider window; the charts checked against the rows.
/// </summary>
[Collection(PortalCollection.Name)]
public sealed class ReportPagesBrowserTests(PortalHost portal)
{
    private string Url(string path) => new Uri(portal.BaseAddress, path).ToString();

    public static TheoryData<string> ReportIds => new(Directory.GetFiles(
        Path.Combine(PortalHost.RepositoryRoot, "reports", "fixed"), "*.yaml").Select(Path.GetFileNameWithoutExtension).Order()!);

    private async Task WithPage(string account, Func<IPage, PageChecks, Task> test)
    {
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            var context = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1440, Height = 900 } });
            var page = await context.NewPageAsync();
            page.SetDefaultTimeout(30_000);
            // a machine shared with other builds answers slowly at times
            Assertions.SetDefaultExpectTimeout(15_000);
            var checks = new PageChecks(page);
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, account);
            await test(page, checks);
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    /// <summary>The report's rows as the JSON endpoint gives them to the same session: the oracle for the chart.</summary>
    private async Task<List<Dictionary<string, JsonElement>>> DataRows(IPage page, string id)
    {
        var response = await page.APIRequest.GetAsync(Url($"api/reports/{id}"));
        Assert.True(response.Ok, $"{id}: {response.Status}");
        using var doc = JsonDocument.Parse(await response.TextAsync());
        return doc.RootElement.GetProperty("rows").EnumerateArray()
            .Where(r => r.GetProperty("kind").GetString() == "Data")
            .Select(r => r.GetProperty("cells").EnumerateObject().ToDictionary(c => c.Name, c => c.Value.Clone()))
            .ToList();
    }

    /// <summary>
    /// Every panel of the chart has one category per distinct x value and one series per distinct series value (or per
    /// measure of the panel), and Radzen drew exactly that: a series group each, a bar per category, no label twice.
    /// </summary>
    private static async Task AssertChartMatches(ILocator chart, ReportChart definition, List<Dictionary<string, JsonElement>> rows, string id)
    {
        static string Key(JsonElement e) => e.ValueKind == JsonValueKind.Null ? "" : e.ToString();
        var categories = rows.Select(r => Key(r[definition.X])).Distinct().Count();
        var members = definition.Series is { } s ? rows.Select(r => Key(r[s])).Distinct().Count() : 0;
        var panels = chart.Locator("figure.ra-chart-panel");
        var count = await panels.CountAsync();
        Assert.True(count > 0, $"{id}: no chart panel");
        var seriesDrawn = 0;
        for (var p = 0; p < count; p++)
        {
            var panel = panels.Nth(p);
            var kind = await panel.GetAttributeAsync("data-kind");
            var panelCategories = int.Parse((await panel.GetAttributeAsync("data-categories"))!);
            var panelSeries = int.Parse((await panel.GetAttributeAsync("data-series"))!);
            Assert.True(panelCategories == categories, $"{id} panel {p}: {panelCategories} categories, the rows have {categories}");
            if (definition.Series is not null)
            {
                Assert.Equal(Math.Min(members, 12), panelSeries);
            }
            seriesDrawn += panelSeries;

            // Radzen draws once the browser has measured the chart: wait for the drawing, then count
            var groups = panel.Locator(kind switch { "Line" => "g.rz-line-series", "Bar" => "g.rz-bar-series", _ => "g.rz-column-series" });
            await Assertions.Expect(groups).ToHaveCountAsync(panelSeries);
            if (kind != "Line")
            {
                for (var g = 0; g < panelSeries; g++)
                {
                    await Assertions.Expect(groups.Nth(g).Locator("path")).ToHaveCountAsync(categories);
                }
            }
            var ticks = await panel.Locator("g.rz-category-axis .rz-tick-text").AllTextContentsAsync();
            Assert.NotEmpty(ticks);
            Assert.True(ticks.Count <= categories, $"{id} panel {p}: {ticks.Count} labels for {categories} categories");
            Assert.True(ticks.Distinct().Count() == ticks.Count, $"{id} panel {p}: a category label repeats: {string.Join(", ", ticks)}");
        }
        if (definition.Series is null)
        {
            Assert.Equal(definition.Values.Count, seriesDrawn);
        }
    }

    [Theory]
    [MemberData(nameof(ReportIds))]
    public Task Every_drill_show_again_and_resize_leaves_the_report_working_and_its_chart_matches_its_rows(string id) => WithPage("leader", async (page, checks) =>
    {
        var definition = ReportCatalog.LoadFile(Path.Combine(PortalHost.RepositoryRoot, "reports", "fixed", id + ".yaml"),
            new RetentionAnalytics.Core.Warehouse.SqlFiles(Path.Combine(PortalHost.RepositoryRoot, "sql")));
        await page.GotoAsync(Url($"reports/{id}"));
        await Assertions.Expect(page.Locator("#report-grid, #report-empty").First).ToBeVisibleAsync();
        await checks.AssertHealthy($"{id} opened");
        var rows = await DataRows(page, id);
        if (rows.Count == 0)
        {
            await Assertions.Expect(page.Locator("#report-empty")).ToBeVisibleAsync();
            return;
        }

        var chart = page.Locator("#report-chart");
        await Assertions.Expect(chart.Locator("figure.ra-chart-panel").First).ToBeVisibleAsync();
        await AssertChartMatches(chart, definition.Chart!, rows, id);

        foreach (var drill in definition.Drill)
        {
            await page.Locator($"a.ra-drill[data-column='{drill.Column}']").First.ClickAsync();
            var list = page.Locator("#drill-list");
            await Assertions.Expect(list).ToBeVisibleAsync();
            // the list is scrolled to, not left below the fold
            await Assertions.Expect(list).ToBeInViewportAsync();
            await checks.AssertHealthy($"{id} drill on {drill.Column}");
        }

        await page.Locator("#report-run").ClickAsync();
        await Assertions.Expect(page.Locator("#drill-list")).ToBeHiddenAsync();
        await Assertions.Expect(chart.Locator("figure.ra-chart-panel").First).ToBeVisibleAsync();
        await checks.AssertHealthy($"{id} shown again");

        foreach (var width in new[] { 1280, 1440 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.WaitForTimeoutAsync(700);
            await checks.AssertHealthy($"{id} at {width} px");
            await checks.AssertNoSidewaysOverflow($"{id} at {width} px");
        }
        await AssertChartMatches(chart, definition.Chart!, rows, id);

        // after all that the page still answers: a second drill opens its list
        await page.Locator("a.ra-drill").First.ClickAsync();
        await Assertions.Expect(page.Locator("#drill-grid")).ToBeVisibleAsync();
        await checks.AssertHealthy($"{id} drilled again");
    });

    [Fact]
    public Task Null_rates_read_as_a_dash_and_headers_and_numbers_are_never_cut_off() => WithPage("leader", async (page, checks) =>
    {
        await page.GotoAsync(Url("reports/callback_supervision"));
        var grid = page.Locator("#report-grid");
        await Assertions.Expect(grid).ToBeVisibleAsync();
        // no call made yet in the demo: a reach rate over no attempts is "–", not an empty cell
        var reachRate = await grid.Locator("tbody tr").First.Locator("td").Nth(8).InnerTextAsync();
        Assert.Equal("–", reachRate.Trim());

        try
        {
            foreach (var (culture, width) in new[] { ("de", 1280), ("zh-Hans", 1280), ("en", 1440) })
            {
                await page.GotoAsync(Url($"culture/set?culture={culture}&redirectUri=/reports/kpi_overview"));
                await page.SetViewportSizeAsync(width, 900);
                await Assertions.Expect(page.Locator("#report-grid")).ToBeVisibleAsync();
                var cut = await page.EvaluateAsync<string[]>("""
                    () => [...document.querySelectorAll('#report-grid td .rz-cell-data, #report-grid th .rz-column-title-content')]
                        .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim())
                    """);
                Assert.True(cut.Length == 0, $"{culture} at {width} px, cut off: {string.Join(" | ", cut)}");
                await checks.AssertHealthy($"kpi_overview in {culture}");
            }
        }
        finally
        {
            // the switch is also the account's preferred language
            await page.GotoAsync(Url("culture/set?culture=en&redirectUri=/"));
        }
    });

    /// <summary>
    /// A German reader writes a decimal with a comma: "7,5" on the small-balance report counts the subscribers below 7.5
    /// (as the data endpoint does for small_balance=7.5), not those below 75, and the export link carries 7.5; the default
    /// shows in German too, and "7.5", which a German reader does not write for seven and a half, is refused, not guessed.
    /// </summary>
    [Fact]
    public Task A_decimal_parameter_typed_with_a_german_comma_means_what_the_reader_wrote() => WithPage("leader", async (page, checks) =>
    {
        async Task<long> SmallBalance(string value)
        {
            var response = await page.APIRequest.GetAsync(Url($"api/reports/balance_risk?small_balance={value}"));
            Assert.True(response.Ok, $"small_balance={value}: {response.Status}");
            using var doc = JsonDocument.Parse(await response.TextAsync());
            return doc.RootElement.GetProperty("rows").EnumerateArray().Where(r => r.GetProperty("kind").GetString() == "Data")
                .Sum(r => r.GetProperty("cells").GetProperty("small_balance").GetInt64());
        }
        var belowSevenAndAHalf = await SmallBalance("7.5");
        // the sample tells the two thresholds apart, so a comma read as a group separator shows
        Assert.NotEqual(belowSevenAndAHalf, await SmallBalance("75"));
        var german = System.Globalization.CultureInfo.GetCultureInfo("de-DE");
        try
        {
            await page.GotoAsync(Url("culture/set?culture=de&redirectUri=/reports/balance_risk"));
            var box = page.Locator("input[name=small_balance]");
            // typed once the circuit renders: the prerendered box would be set back
            await page.WaitForSelectorAsync("[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
            await Assertions.Expect(page.Locator("#report-grid")).ToBeVisibleAsync();
            await Assertions.Expect(box).ToHaveValueAsync("10");

            await box.FillAsync("7,5");
            await page.Locator("#report-run").ClickAsync();
            await Assertions.Expect(page.Locator("#export-xlsx")).ToHaveAttributeAsync("href", new Regex(@"small_balance=7\.5(&|$)"));
            var smallBalanceColumn = await page.Locator("#report-grid thead th").AllInnerTextsAsync();
            var index = smallBalanceColumn.Select(h => h.Trim()).ToList().IndexOf("Geringes Guthaben");
            Assert.True(index >= 0, string.Join(" | ", smallBalanceColumn));
            await Assertions.Expect(page.Locator("#report-grid tr.ra-total-row td").Nth(index)).ToHaveTextAsync(belowSevenAndAHalf.ToString("N0", german));
            await Assertions.Expect(page.Locator("#report-error")).ToHaveCountAsync(0);

            await box.FillAsync("7.5");
            await page.Locator("#report-run").ClickAsync();
            await Assertions.Expect(page.Locator("#report-error")).ToContainTextAsync("7.5");
            // the refused run shows no table: the one before would read as its answer
            await Assertions.Expect(page.Locator("#report-grid")).ToHaveCountAsync(0);
            await checks.AssertHealthy("balance_risk with a German decimal");
        }
        finally
        {
            // the switch is also the account's preferred language
            await page.GotoAsync(Url("culture/set?culture=en&redirectUri=/"));
        }
    });

    /// <summary>
    /// Parameters the report refuses give no download either: while a German reader's "7.5" or a period that ends
    /// before it starts stands in the boxes, the Excel and CSV links are off and say why in German (a click would have
    /// opened the export's refusal in a new tab); once the parameters read again, the links carry them.
    /// </summary>
    [Fact]
    public Task Refused_parameters_turn_the_export_links_off_with_the_reason_in_the_readers_language() => WithPage("leader", async (page, checks) =>
    {
        var excel = page.Locator("#export-xlsx");
        var csv = page.Locator("#export-csv");
        var reason = page.Locator("#export-refused");
        try
        {
            await page.GotoAsync(Url("culture/set?culture=de&redirectUri=/reports/balance_risk"));
            await page.WaitForSelectorAsync("[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
            await Assertions.Expect(page.Locator("#report-grid")).ToBeVisibleAsync();
            await Assertions.Expect(excel).ToHaveAttributeAsync("href", new Regex(@"small_balance=10(&|$)"));
            await Assertions.Expect(reason).ToHaveCountAsync(0);

            var box = page.Locator("input[name=small_balance]");
            await box.FillAsync("7.5");
            await box.PressAsync("Tab");
            await Assertions.Expect(reason).ToContainTextAsync("Keine Excel- oder CSV-Datei mit diesen Parametern: „Geringes Guthaben unter“: „7.5“ ist keine Zahl");
            foreach (var link in new[] { excel, csv })
            {
                await Assertions.Expect(link).Not.ToHaveAttributeAsync("href", new Regex("."));
                await Assertions.Expect(link).ToHaveAttributeAsync("title", new Regex("„7.5“ ist keine Zahl"));
            }
            await checks.AssertHealthy("balance_risk with export links off");

            await box.FillAsync("7,5");
            await box.PressAsync("Tab");
            await Assertions.Expect(reason).ToHaveCountAsync(0);
            await Assertions.Expect(csv).ToHaveAttributeAsync("href", new Regex(@"small_balance=7\.5&format=csv$"));

            // a period that ends before it starts
            await page.GotoAsync(Url("reports/kpi_overview"));
            await page.WaitForSelectorAsync("[data-interactive=true]", new() { State = WaitForSelectorState.Attached });
            await Assertions.Expect(page.Locator("#report-grid")).ToBeVisibleAsync();
            var months = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('#report-parameters .rz-dropdown')].map(d => d.textContent.trim())");
            await page.Locator("#report-parameters .rz-dropdown").Nth(1).ClickAsync();
            // the newest month is the first item; the start's default lies two months before it
            await page.Locator(".rz-dropdown-item").Filter(new() { Visible = true }).Last.ClickAsync();
            await Assertions.Expect(reason).ToContainTextAsync("„Bis Monat“ darf nicht vor „Von Monat“ liegen.");
            await Assertions.Expect(excel).Not.ToHaveAttributeAsync("href", new Regex("."));
            Assert.True(months.Length >= 2, string.Join(" | ", months));
            await checks.AssertHealthy("kpi_overview with a reversed period");
        }
        finally
        {
            // the switch is also the account's preferred language
            await page.GotoAsync(Url("culture/set?culture=en&redirectUri=/"));
        }
    });

    /// <summary>
    /// The KPI report at 1280 px with the menu open: its table fits without scrolling sideways in German (single-word
    /// headers such as "Abwanderungsquote", "Neuanschaltungen"), Chinese and English; each kept as a screenshot.
    /// </summary>
    [Fact]
    public Task The_kpi_report_fits_at_1280_px_with_the_menu_open_in_every_language() => WithPage("leader", async (page, checks) =>
    {
        try
        {
            foreach (var culture in new[] { "de", "zh-Hans", "en" })
            {
                await page.SetViewportSizeAsync(1280, 900);
                await page.GotoAsync(Url($"culture/set?culture={culture}&redirectUri=/reports/kpi_overview"));
                await Assertions.Expect(page.Locator("#report-grid")).ToBeVisibleAsync();
                // the menu is open from 1100 px: wait until it has taken its width (it opens with a transition)
                await page.WaitForFunctionAsync("() => document.querySelector('.ra-nav').getBoundingClientRect().width > 200");
                await page.WaitForTimeoutAsync(500);
                var widths = await page.EvaluateAsync<int[]>("""
                    () => { const e = document.querySelector('#report-grid .rz-data-grid-data'); return [e.scrollWidth, e.clientWidth]; }
                    """);
                var columns = await page.EvaluateAsync<string[]>("""
                    () => [...document.querySelectorAll('#report-grid thead th')].map(th => `${th.textContent.trim()} ${Math.round(th.getBoundingClientRect().width)}`)
                    """);
                Assert.True(widths[0] <= widths[1],
                    $"kpi_overview in {culture} at 1280 px scrolls sideways: {widths[0]} px in {widths[1]} px ({string.Join(", ", columns)})");
                await checks.AssertNoSidewaysOverflow($"kpi_overview in {culture} at 1280 px");
                await checks.AssertHealthy($"kpi_overview in {culture} at 1280 px");
                await checks.Screenshot("kpi-fit", $"kpi_overview-{culture}-1280");
            }
        }
        finally
        {
            // the switch is also the account's preferred language
            await page.GotoAsync(Url("culture/set?culture=en&redirectUri=/"));
        }
    });

    [Theory]
    [InlineData("leader", 12)]
    [InlineData("manager.hz", 1)]
    public Task The_kpi_overview_draws_retention_and_churn_as_lines_per_city_on_their_own_scales(string account, int series) => WithPage(account, async (page, checks) =>
    {
        await page.GotoAsync(Url("overview"));
        var panels = page.Locator("#kpi-chart figure.ra-chart-panel");
        await Assertions.Expect(panels).ToHaveCountAsync(2);
        for (var p = 0; p < 2; p++)
        {
            Assert.Equal("Line", await panels.Nth(p).GetAttributeAsync("data-kind"));
            Assert.Equal(series.ToString(System.Globalization.CultureInfo.InvariantCulture), await panels.Nth(p).GetAttributeAsync("data-series"));
            await Assertions.Expect(panels.Nth(p).Locator("g.rz-line-series")).ToHaveCountAsync(series);
            // percent axes, each fitted to its own rate
            var axis = await panels.Nth(p).Locator("g.rz-value-axis .rz-tick-text").AllTextContentsAsync();
            Assert.All(axis, t => Assert.EndsWith("%", t.Trim(), StringComparison.Ordinal));
        }
        var churnAxis = (await panels.Nth(1).Locator("g.rz-value-axis .rz-tick-text").AllTextContentsAsync())
            .Select(t => double.Parse(t.Trim().TrimEnd('%'), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.True(churnAxis.Max() < 50, $"churn lies on an axis up to {churnAxis.Max()} %");
        Assert.DoesNotContain("57", await page.Locator("#overview-scope").InnerTextAsync(), StringComparison.Ordinal);
        if (series > 1)
        {
            // the legend hides a line and shows it again
            var hangzhou = panels.Nth(0).Locator(".ra-legend-item", new() { HasText = "Hangzhou" });
            await hangzhou.ClickAsync();
            await Assertions.Expect(panels.Nth(0).Locator("g.rz-line-series")).ToHaveCountAsync(series - 1);
            await hangzhou.ClickAsync();
            await Assertions.Expect(panels.Nth(0).Locator("g.rz-line-series")).ToHaveCountAsync(series);
        }
        foreach (var width in new[] { 1280, 1440 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.WaitForTimeoutAsync(700);
            await checks.AssertHealthy($"overview at {width} px");
            await checks.AssertNoSidewaysOverflow($"overview at {width} px");
        }
    });

    [Fact]
    public Task A_city_keeps_its_colour_from_the_overview_to_the_kpi_report_in_the_legend_and_the_plot() => WithPage("leader", async (page, checks) =>
    {
        await page.GotoAsync(Url("overview"));
        var overviewPanel = page.Locator("#kpi-chart figure.ra-chart-panel").First;
        await Assertions.Expect(overviewPanel.Locator("g.rz-line-series")).ToHaveCountAsync(12);
        var overview = await SeriesColours(overviewPanel);

        await page.GotoAsync(Url("reports/kpi_overview"));
        var reportPanel = page.Locator("#report-chart figure.ra-chart-panel").First;
        await Assertions.Expect(reportPanel.Locator("g.rz-line-series").First).ToBeVisibleAsync();
        var report = await SeriesColours(reportPanel);
        await checks.AssertHealthy("kpi report");

        // the overview adds the province's line (its own dark grey) to the report's cities
        var cities = report.Keys.Intersect(overview.Keys).ToList();
        Assert.True(cities.Count >= 10, $"the overview and the report share {cities.Count} cities: {string.Join(", ", report.Keys)}");
        Assert.All(cities, city => Assert.Equal(overview[city], report[city]));
        Assert.Equal(report.Count, report.Values.Distinct().Count());
        Assert.DoesNotContain(overview.Single(c => !report.ContainsKey(c.Key)).Value, report.Values);
    });

    /// <summary>Each series' name in the legend with its swatch's colour, checked against the line the plot drew for it.</summary>
    private static async Task<Dictionary<string, string>> SeriesColours(ILocator panel)
    {
        var pairs = await panel.EvaluateAsync<string[][]>("""
            p => [...p.querySelectorAll('.ra-legend-item')].map((item, i) => {
              const line = p.querySelectorAll('g.rz-line-series')[i];
              const stroke = line ? [...line.querySelectorAll('path')].map(x => getComputedStyle(x).stroke).find(c => c && c !== 'none') : null;
              return [item.textContent.trim(), getComputedStyle(item.querySelector('.ra-swatch')).backgroundColor, stroke ?? ''];
            })
            """);
        Assert.All(pairs, pair => Assert.True(pair[1] == pair[2], $"{pair[0]}: legend {pair[1]}, line {pair[2]}"));
        return pairs.ToDictionary(pair => pair[0], pair => pair[1]);
    }

    private static async Task Choose(IPage page, string dropdownId, string item)
    {
        await page.Locator($"div#{dropdownId}").ClickAsync();
        await page.Locator(".rz-dropdown-item")
            .Filter(new() { Visible = true, HasTextRegex = new Regex($@"^\s*{Regex.Escape(item)}\s*$") })
            .First.ClickAsync();
    }

    [Fact]
    public Task The_cube_chart_draws_the_column_dimension_as_series_and_its_filters_name_their_members() => WithPage("analyst", async (page, checks) =>
    {
        await page.GotoAsync(Url("analysis/cubes"));
        await Assertions.Expect(page.Locator("#cube-run")).ToBeEnabledAsync();
        // the page opens with an answer: subscribers by city
        await Assertions.Expect(page.Locator("#pivot tbody tr.pivot-row")).ToHaveCountAsync(11);
        await Choose(page, "column-dimension", "Time");
        await Choose(page, "column-level", "Month");
        await page.Locator("#cube-run").ClickAsync();
        // the column band: the axis title, a header per month, the total
        await Assertions.Expect(page.Locator("#pivot thead tr").First).ToContainTextAsync("Month");
        var months = await page.Locator("#pivot thead tr").First.Locator("th").CountAsync() - 2;
        Assert.True(months > 1);

        await page.GetByRole(AriaRole.Tab, new() { Name = "Chart" }).ClickAsync();
        var panel = page.Locator("#pivot-chart figure.ra-chart-panel");
        await Assertions.Expect(panel).ToHaveCountAsync(1);
        // time runs along the axis, a line per city (the column dimension is the series, rows and columns swapped)
        Assert.Equal("Line", await panel.GetAttributeAsync("data-kind"));
        Assert.Equal(months.ToString(System.Globalization.CultureInfo.InvariantCulture), await panel.GetAttributeAsync("data-categories"));
        Assert.Equal("11", await panel.GetAttributeAsync("data-series"));
        await Assertions.Expect(panel.Locator("g.rz-line-series")).ToHaveCountAsync(11);
        await Assertions.Expect(panel.Locator(".ra-legend-item", new() { HasText = "Hangzhou" })).ToBeVisibleAsync();
        await checks.AssertHealthy("cube chart");

        // a message belongs to its tab: a refused save does not follow to the table
        await page.Locator("#view-save").ClickAsync();
        await Assertions.Expect(page.Locator("#cubes-message")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Tab, new() { Name = "Table" }).ClickAsync();
        await Assertions.Expect(page.Locator("#cubes-message")).ToBeHiddenAsync();

        await page.Locator("#pivot a.pivot-member[data-member='571']").ClickAsync();
        await Assertions.Expect(page.Locator("#cube-filters")).ToContainTextAsync("City = Hangzhou");
        await Assertions.Expect(page.Locator("#cube-filters")).Not.ToContainTextAsync("571");
        await page.GetByRole(AriaRole.Tab, new() { Name = "Chart" }).ClickAsync();
        await Assertions.Expect(page.Locator("#pivot-chart figure.ra-chart-panel")).ToHaveCountAsync(1);
        foreach (var width in new[] { 1280, 1440 })
        {
            await page.SetViewportSizeAsync(width, 900);
            await page.WaitForTimeoutAsync(700);
            await checks.AssertHealthy($"cubes at {width} px");
            await checks.AssertNoSidewaysOverflow($"cubes at {width} px");
        }
    });

    [Fact]
    public Task The_operations_page_lists_the_rejected_rows_of_the_file_picked_as_the_sample_documents_them() => WithPage("admin", async (page, checks) =>
    {
        var defects = File.ReadLines(Path.Combine(PortalHost.RepositoryRoot, "data-samples", "province", "_truth", "defects.csv")).Skip(1)
            .Select(l => l.Split(',')).ToLookup(f => f[0], f => f[1]);
        await page.GotoAsync(Url("operations"));
        var history = page.Locator("#load-history");
        await Assertions.Expect(history).ToContainTextAsync("usage_month_20261031.csv");

        foreach (var file in new[] { "usage_month_20261031.csv", "usage_day_20261031.csv" })
        {
            var rejected = page.Locator("#rejected-rows");
            await Pick(history, file, page.Locator("#rejected-rows"));
            await Assertions.Expect(rejected).Not.ToContainTextAsync("No rejected rows");
            var lines = await rejected.Locator("tbody tr td:first-child").AllInnerTextsAsync();
            Assert.Equal(defects[file].Order(), lines.Select(l => l.Trim()).Order());
            await checks.AssertHealthy($"rejected rows of {file}");
        }

        // a clean file says so
        await history.Locator("tbody tr", new() { HasText = "handset_20261031.csv" }).First.ClickAsync();
        await Assertions.Expect(page.Locator("#rejected-rows")).ToContainTextAsync("No rejected rows");
        await checks.AssertNoSidewaysOverflow("operations");
    });

    /// <summary>Clicks a file of the history until its rejected rows show: a click on the prerendered page, before the page is live, does nothing.</summary>
    private static async Task Pick(ILocator history, string file, ILocator rejected)
    {
        var heading = rejected.Page.Locator("h3", new() { HasText = file });
        for (var attempt = 0; attempt < 10 && !await heading.IsVisibleAsync(); attempt++)
        {
            await history.Locator("tbody tr", new() { HasText = file }).First.ClickAsync();
            await rejected.Page.WaitForTimeoutAsync(1000);
        }
        await Assertions.Expect(heading).ToBeVisibleAsync();
        await Assertions.Expect(rejected).ToBeVisibleAsync();
    }
}
