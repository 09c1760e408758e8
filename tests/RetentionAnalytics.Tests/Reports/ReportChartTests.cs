using System.Globalization;
using Dapper;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Portal.Features.Reports;
using RetentionAnalytics.Portal.Features.Shared.Charts;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Tests.Reports;

/// <summary>
/// The reports' charts on the sample province: one point per category and series however many table rows share it,
/// each point DuckDB's own aggregate of those rows, and panels a reader can read (a 2 % rate never on a 100 % axis).
/// </summary>
[Collection(ReportsCollection.Name)]
public sealed class ReportChartTests(ReportsFixture f)
{
    private static readonly Dictionary<string, string> Defaults = [];

    public static TheoryData<string> ChartedReports => new(Directory.GetFiles(Path.Combine(Support.PortalHost.RepositoryRoot, "reports", "fixed"), "*.yaml")
        .Where(file => File.ReadAllText(file).Contains("\nchart:", StringComparison.Ordinal))
        .Select(file => Path.GetFileNameWithoutExtension(file)!).Order());

    private ReportResult Run(string id, string language = "en") =>
        f.Engine.Run(id, Defaults, ReportsFixture.Leader with { Roles = f.Catalog.Find(id)!.Roles.ToHashSet(), Language = language });

    [Theory]
    [MemberData(nameof(ChartedReports))]
    public void Each_chart_point_is_the_aggregate_duckdb_computes_over_the_rows_of_its_category_and_series(string id)
    {
        var result = Run(id);
        var chart = result.Definition.Chart!;
        var data = ReportChartData.From(result, CultureInfo.InvariantCulture)!;
        var rows = result.Rows.Where(r => r.Kind == ExportRowKind.Data).ToList();
        Assert.NotEmpty(rows);

        // the categories are the x column's distinct values in the table's order, each once
        var x = result.Column(chart.X).Index;
        Assert.Equal(rows.Select(r => ReportEngine.KeyText(r.Cells[x])).Distinct(), data.Categories.Select(c => c.Key));
        var series = chart.Series is { } s ? rows.Select(r => ReportEngine.KeyText(r.Cells[result.Column(s).Index])).Distinct().ToList() : [];
        Assert.Equal(series, data.Series.Select(m => m.Key));

        var sql = f.Db.Sql.Get(result.Definition.Sql).TrimEnd().TrimEnd(';');
        using var c = f.Db.Connect();
        for (var m = 0; m < chart.Values.Count; m++)
        {
            var column = result.Definition.Column(chart.Values[m])!;
            var expression = column.Total == TotalKinds.Sum
                ? $"sum({column.Name})"
                : $"sum({column.Numerator}) / nullif(sum({column.Denominator}), 0)";
            var by = chart.Series is null ? "''" : $"cast({chart.Series} as varchar)";
            var expected = c.Query<(string Category, string Series, double? Value)>(
                $"select cast({chart.X} as varchar), {by}, cast({expression} as double) from ({sql}) as report group by all",
                ReportEngineTests.Arguments(result, sql)).ToDictionary(e => (e.Category, e.Series), e => e.Value);
            // every (category, series) DuckDB groups is a point of the chart with its value; every other point is empty
            Assert.All(expected.Keys, k => Assert.Contains(k.Category, data.Categories.Select(c => c.Key)));
            for (var ci = 0; ci < data.Categories.Count; ci++)
            {
                for (var si = 0; si < Math.Max(1, data.Series.Count); si++)
                {
                    var key = (data.Categories[ci].Key, chart.Series is null ? "" : data.Series[si].Key);
                    var actual = data.Value(m, si, ci);
                    if (expected.TryGetValue(key, out var value) && value is double v)
                    {
                        Assert.True(actual is not null, $"{id} {column.Name} {key}: DuckDB has {v}, the chart nothing");
                        Assert.Equal(v, actual.Value, 9);
                    }
                    else
                    {
                        Assert.True(actual is null, $"{id} {column.Name} {key}: the chart has {actual}, DuckDB nothing");
                    }
                }
            }
        }
    }

    [Fact]
    public void The_kpi_report_draws_a_line_per_city_over_the_months_with_churn_on_its_own_scale()
    {
        var english = LocalizationSetup.Culture("en");
        var result = Run("kpi_overview");
        var panels = ChartLayout.Plan(ReportChartData.From(result, english)!, english);

        Assert.Equal(["retention_rate", "churn_rate"], panels.Select(p => p.Key));
        Assert.All(panels, p =>
        {
            Assert.Equal(ChartKind.Line, p.Kind);
            Assert.Equal(ColumnFormat.Percent, p.Format);
            Assert.Equal(3, p.Categories.Count);
            Assert.Equal(11, p.Series.Count);
            Assert.Equal(p.Series.Select(s => s.Title).Distinct().Count(), p.Series.Count);
        });
        // cities by name, months in the reader's words
        Assert.Contains(panels[0].Series, s => s.Title == "Hangzhou");
        Assert.Equal([.. Enumerable.Range(0, 3).Select(i => f.LatestMonth.AddMonths(i - 2).ToString("MMM yyyy", CultureInfo.GetCultureInfo("en-GB")))],
            panels[0].Categories);
    }

    [Fact]
    public void One_month_of_the_kpi_report_compares_the_cities_side_by_side_instead_of_drawing_dots()
    {
        var month = f.LatestMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var result = f.Engine.Run("kpi_overview", new Dictionary<string, string> { ["from_month"] = month, ["to_month"] = month }, ReportsFixture.Leader);
        var panels = ChartLayout.Plan(ReportChartData.From(result, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture);

        Assert.All(panels, p =>
        {
            Assert.Equal(ChartKind.Column, p.Kind);
            Assert.Equal(11, p.Categories.Count);
            Assert.Single(p.Series);
        });
    }

    [Fact]
    public void Close_rates_get_the_axis_decimals_that_tell_their_ticks_apart()
    {
        static ChartPanel Line(params double[] rates) => ChartLayout.Plan(new ChartData(
            rates.Select((_, i) => new ChartMember($"2026-0{i + 1}", $"M{i + 1}")).ToList(), [],
            [new ChartMeasure("churn_rate", "Churn rate", ColumnFormat.Percent)], (_, _, c) => rates[c], categoriesAreTime: true),
            CultureInfo.InvariantCulture).Single();

        // a city's churn rate moving between 2.12 % and 2.14 %: ticks a fifth of that apart read apart
        var close = Line(0.0214, 0.0214, 0.0212);
        var ticks = new[] { 0.0212, 0.02125, 0.0213, 0.02135, 0.0214 }.Select(t => close.Axis(t)).ToList();
        Assert.Equal(ticks.Count, ticks.Distinct().Count());
        Assert.Equal("2.125 %", close.Axis(0.02125));
        // rates spread over points keep one decimal; counts stay whole
        Assert.Equal("1.5 %", Line(0.01, 0.02, 0.03).Axis(0.015));
    }

    [Fact]
    public void Counts_and_rates_of_one_report_get_separate_panels_and_the_rate_axis_reads_in_german()
    {
        var result = Run("snapshot_base", "de");
        var panels = ChartLayout.Plan(ReportChartData.From(result, LocalizationSetup.Culture("de"))!, LocalizationSetup.Culture("de"));

        // base members and retained share a scale; the retention rate has its own percent axis
        Assert.Equal(["base_size+retained", "retention_rate"], panels.Select(p => p.Key));
        Assert.Equal(ColumnFormat.Percent, panels[1].Format);
        Assert.Equal("1,5 %", panels[1].Axis(0.015));
        Assert.Equal("2.327", panels[0].Axis(2327.0));
        // one column per city, not one per city and value tier
        Assert.Equal(11, panels[0].Categories.Count);
        Assert.Contains(panels[0].Series, s => s.Title == "Gehalten");
    }

    [Fact]
    public void Many_or_long_categories_are_drawn_as_horizontal_bars_with_their_names()
    {
        var result = Run("alerts_by_scenario", "zh");
        var panels = ChartLayout.Plan(ReportChartData.From(result, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture);

        var panel = Assert.Single(panels);
        Assert.Equal(ChartKind.Bar, panel.Kind);
        Assert.True(panel.Categories.Count > ChartLayout.ManyCategories);
        var names = f.Warehouse.Query<string>("select name_zh from det.scenario").ToHashSet();
        Assert.All(panel.Categories, c => Assert.Contains(c, names));
    }

    [Fact]
    public void A_chart_refuses_a_repeated_category_instead_of_drawing_it_twice()
    {
        var ex = Assert.Throws<ArgumentException>(() => new ChartData(
            [new("571", "Hangzhou"), new("571", "Hangzhou")], [], [new("n", "N", ColumnFormat.Integer)], (_, _, _) => 1));

        Assert.Contains("aggregate the rows first", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_members_with_one_name_are_told_apart_by_their_keys()
    {
        var data = new ChartData([new("57102", "Xihu"), new("57302", "Xihu")], [], [new("n", "N", ColumnFormat.Integer)], (_, _, c) => c);

        Assert.Equal(["Xihu (57102)", "Xihu (57302)"], data.Categories.Select(c => c.Label));
    }

    [Theory]
    [InlineData("values: [rate]", "chart value 'rate' must be a number column with total: sum or ratio")]
    [InlineData("values: [city_code]", "chart value 'city_code' must be a number column")]
    [InlineData("values: [churned], series: nothing", "chart series 'nothing' is not a column")]
    [InlineData("values: [churned], type: pie", "chart type must be one of")]
    public void A_chart_that_cannot_add_up_its_rows_fails_the_definition(string chart, string expected)
    {
        var folder = Directory.CreateTempSubdirectory("ra-report-chart-").FullName;
        try
        {
            var file = Path.Combine(folder, "broken.yaml");
            File.WriteAllText(file, $$"""
                id: broken
                group: test
                title: { en: B, de: B, zh: B }
                sql: reports/kpi_overview.sql
                roles: [leader]
                parameters:
                  - { name: from_month, type: month, default: latest, label: { en: F, de: F, zh: F } }
                  - { name: to_month, type: month, default: latest, label: { en: T, de: T, zh: T } }
                  - { name: city, type: city, optional: true, label: { en: C, de: C, zh: C } }
                columns:
                  - { name: city_code, header: { en: C, de: C, zh: C }, names: city }
                  - { name: churned, header: { en: N, de: N, zh: N }, format: Integer, total: sum }
                  - { name: rate, header: { en: R, de: R, zh: R }, format: Percent }
                chart: { x: city_code, {{chart}} }
                """);

            var ex = Assert.Throws<ReportDefinitionException>(() => ReportCatalog.LoadFile(file, f.Db.Sql));

            Assert.Contains("broken.yaml", ex.Message, StringComparison.Ordinal);
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(folder, true);
        }
    }

    [Fact]
    public void Codes_are_named_in_the_readers_language_on_screen_and_in_the_export_while_keys_stay_codes()
    {
        var zh = Run("alerts_by_scenario", "zh");
        var de = Run("snapshot_base", "de");

        var table = zh.ToExportTable();
        var scenario = table.Columns.ToList().FindIndex(c => c.Header == "场景");
        var city = table.Columns.ToList().FindIndex(c => c.Header == "城市");
        var data = table.Rows.Where(r => r.Kind == ExportRowKind.Data).ToList();
        var names = f.Warehouse.Query<(string Id, string Zh)>("select scenario_id, name_zh from det.scenario").ToDictionary(n => n.Id, n => n.Zh);
        Assert.All(data, r => Assert.Contains((string)r.Cells[scenario]!, names.Values));
        Assert.Contains(data, r => (string?)r.Cells[city] == "杭州");
        // sorting and the drill-through still get the code
        Assert.All(zh.Rows.Where(r => r.Kind == ExportRowKind.Data), r => Assert.Contains((string)r.Cells[zh.Column("scenario_id").Index]!, names.Keys));

        var tier = de.Column("value_tier");
        Assert.Equal(["Hochwertig", "Mittelwertig", "Niedrigwertig"],
            de.Rows.Where(r => r.Kind == ExportRowKind.Data).Select(r => (string)de.Shown(r, tier)!).Distinct().Order());
        // a subtotal row keeps the name its whole group shares
        var subtotal = de.Rows.First(r => r.Kind == ExportRowKind.Subtotal);
        Assert.Equal("Zwischensumme", de.Shown(subtotal, tier));
        Assert.False(string.IsNullOrEmpty((string?)de.Shown(subtotal, de.Column("city_code"))));
    }

    [Fact]
    public void The_report_s_own_codes_read_as_their_labels()
    {
        var result = Run("loyalty_tiers", "de");
        var tier = result.Column("loyalty_tier");

        var shown = result.Rows.Where(r => r.Kind == ExportRowKind.Data).Select(r => (string)result.Shown(r, tier)!).Distinct().ToList();

        Assert.Subset(new HashSet<string> { "Treu", "Gefestigt", "Neu", "Gefährdet" }, shown.ToHashSet());
        Assert.DoesNotContain(shown, s => s.Contains('_') || char.IsDigit(s[0]));
    }

    [Fact]
    public void A_drill_list_names_districts_plans_tiers_and_statuses()
    {
        var result = Run("arrears_suspension", "de");
        var row = result.Rows.First(r => r.Kind == ExportRowKind.Data && r.Cells[result.Column("suspended").Index] is long n && n > 0);
        var keys = new Dictionary<string, string>
        {
            ["city_code"] = (string)row.Cells[result.Column("city_code").Index]!,
            ["value_tier"] = (string)row.Cells[result.Column("value_tier").Index]!,
        };

        var list = f.Engine.Drill("arrears_suspension", Defaults, "suspended", keys, ReportsFixture.Leader with { Language = "de" });

        int Index(string name) => list.Names.ToList().IndexOf(name);
        Assert.NotEmpty(list.Rows);
        Assert.All(list.Rows, r =>
        {
            Assert.Equal("Gesperrt", r[Index("status")]);
            Assert.Matches("^[A-Z][a-z]+", (string)r[Index("district_code")]!);
            Assert.DoesNotMatch("^[PQ][0-9]+$", (string)r[Index("plan_code")]!);
            Assert.EndsWith("wertig", (string)r[Index("value_tier")]!, StringComparison.Ordinal);
            Assert.True(Convert.ToInt64(r[Index("days_suspended")], CultureInfo.InvariantCulture) >= 0);
        });
        // the days are a figure under a header in the reader's language, not an English sentence
        Assert.Equal("Tage gesperrt", list.Columns[Index("days_suspended")].Header);
        Assert.DoesNotContain("detail", list.Names);
        // the filter line names the clicked city and tier too
        Assert.Contains(list.Filters, x => x.Value.EndsWith("wertig", StringComparison.Ordinal));
    }
}
