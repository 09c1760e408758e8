using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Cubes;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Cubes;

[Collection(CubesCollection.Name)]
public sealed class CubeQueryTests(CubesFixture fixture)
{
    private static readonly AxisLevel City = new("region", "city");
    private static readonly AxisLevel District = new("region", "district");
    private static readonly AxisLevel Month = new("time", "month");

    private static PivotRequest CityByMonth(params string[] measures) =>
        new("subscriber_month", [City], [Month], measures.Length == 0 ? ["churned", "active_at_month_start", "churn_rate"] : measures);

    private static int Index(PivotResult result, string measure) => result.Measures.ToList().FindIndex(m => m.Id == measure);

    private sealed record KpiRow(DateOnly month, string city_code, long churned, long? active_previous_month, double? churn_rate,
        long subscribers, double? retention_rate);

    [Fact]
    public void Every_cube_definition_loads_validates_and_answers_every_level_and_measure()
    {
        var cubes = CubeCatalog.LoadFolder(Path.Combine(PortalHost.RepositoryRoot, "reports", "cubes")).All;
        Assert.Contains(cubes, c => c.Id == "subscriber_month");
        Assert.Contains(cubes, c => c.Id == "operations");
        foreach (var cube in cubes)
        {
            foreach (var dimension in cube.Dimensions)
            {
                foreach (var level in dimension.Levels)
                {
                    var result = fixture.Cubes.Run(
                        new PivotRequest(cube.Id, [new AxisLevel(dimension.Id, level.Id)], [], cube.Measures.Select(m => m.Id).ToList()),
                        RegionScope.WholeProvince, "zh");
                    Assert.NotEmpty(result.Rows);
                    Assert.All(result.Rows, r => Assert.False(string.IsNullOrEmpty(r.Labels[0])));
                }
            }
        }
    }

    [Fact]
    public void A_definition_with_a_column_that_is_not_an_identifier_is_refused()
    {
        var cube = fixture.Catalog.Get("subscriber_month");
        var broken = CubeCatalog.LoadFile(Path.Combine(PortalHost.RepositoryRoot, "reports", "cubes", "subscriber_month.yaml"));
        broken.Dimensions[0].Levels[0].Key = "year; drop table dw.fct_bill";
        Assert.Throws<CubeDefinitionException>(() => CubeCatalog.Validate(broken));
        broken = CubeCatalog.LoadFile(Path.Combine(PortalHost.RepositoryRoot, "reports", "cubes", "subscriber_month.yaml"));
        broken.Measures.First(m => m.Id == "churn_rate").Denominator = "nothing";
        Assert.Throws<CubeDefinitionException>(() => CubeCatalog.Validate(broken));
        Assert.Equal("subscriber_month", cube.Id);
    }

    [Fact]
    public void A_cube_file_with_a_misspelt_key_or_an_unclosed_bracket_says_what_and_where_as_contracts_and_reports_do()
    {
        var folder = Directory.CreateTempSubdirectory("ra-cube-yaml-").FullName;
        try
        {
            var misspelt = Path.Combine(folder, "misspelt.yaml");
            File.WriteAllText(misspelt, "id: misspelt\nsorce: cubes/x.sql\n");
            var unclosed = Path.Combine(folder, "unclosed.yaml");
            File.WriteAllText(unclosed, "id: unclosed\nmeasures: [ { id: a\n");

            var why = Assert.Throws<CubeDefinitionException>(() => CubeCatalog.LoadFile(misspelt)).Message;
            Assert.Contains("sorce", why);
            Assert.DoesNotContain("Exception during deserialization", why);
            var unread = Assert.Throws<CubeDefinitionException>(() => CubeCatalog.LoadFile(unclosed)).Message;
            Assert.Contains("Line: 3", unread);
            Assert.DoesNotContain("Operation is not valid", unread);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void City_by_month_churn_rate_equals_hand_written_sql_cell_by_cell_and_totals_are_ratios_of_sums()
    {
        var result = fixture.Cubes.Run(CityByMonth(), RegionScope.WholeProvince, "en");
        // the cube's churn rate: churned in the month / lines of the month's snapshot active at its start (not activated
        // in it), counted where the line is at month end; the first month has no previous month end
        var expected = fixture.Warehouse.Query<(string City, string Month, long Churned, long Active)>("""
            select city_code, strftime(month, '%Y-%m'),
                   count(*) filter (where churned_in_month),
                   count(*) filter (where not is_new and month > (select min(month) from dw.fct_subscriber_month))
            from dw.fct_subscriber_month group by all
            """);
        var churned = Index(result, "churned");
        var rate = Index(result, "churn_rate");
        Assert.Equal(expected.Select(k => k.City).Distinct().Order(), result.Rows.Select(r => r.Keys[0]!).Order());
        Assert.Equal(expected.Count, result.Rows.Count * result.Columns.Count);
        for (var r = 0; r < result.Rows.Count; r++)
        {
            for (var c = 0; c < result.Columns.Count; c++)
            {
                var e = expected.Single(k => k.City == result.Rows[r].Keys[0] && k.Month == result.Columns[c].Keys[0]);
                Assert.Equal(e.Churned, result.Cells[r][c][churned]);
                Assert.Equal(e.Active == 0 ? null : (double)e.Churned / e.Active, result.Cells[r][c][rate]);
            }
        }

        // the grand total is all churned over all month-start actives, which is not the average of the cells' rates
        var counted = expected.Where(e => e.Active > 0).ToList();
        var averageOfRates = counted.Average(e => (double)e.Churned / e.Active);
        Assert.Equal((double)expected.Sum(e => e.Churned) / expected.Sum(e => e.Active), result.GrandTotals[rate]!.Value, 12);
        Assert.NotEqual(averageOfRates, result.GrandTotals[rate]!.Value, 6);
        Assert.Equal(expected.Sum(e => e.Churned), result.GrandTotals[churned]);

        // a row total (one city over all months) and a column total (one month over all cities) are ratios of sums too
        var hz = result.Rows.ToList().FindIndex(m => m.Keys[0] == "571");
        var hzRows = expected.Where(k => k.City == "571").ToList();
        Assert.Equal((double)hzRows.Sum(k => k.Churned) / hzRows.Sum(k => k.Active), result.RowTotals[hz][rate]!.Value, 12);
        var last = result.Columns.Count - 1;
        var lastMonth = expected.Where(k => k.Month == result.Columns[last].Keys[0]).ToList();
        Assert.Equal((double)lastMonth.Sum(k => k.Churned) / lastMonth.Sum(k => k.Active), result.ColumnTotals[last][rate]!.Value, 12);
    }

    [Fact]
    public void Province_churn_by_month_agrees_with_the_kpi_mart_except_for_lines_missing_from_a_snapshot()
    {
        var result = fixture.Cubes.Run(
            new PivotRequest("subscriber_month", [Month], [], ["churned", "active_at_month_start"]), RegionScope.WholeProvince, "en");
        // the mart counts the previous month's actives; the cube counts this month's rows not activated in it, so a
        // line the ODS left out of one month-end snapshot is not in that month's cube denominator, and counts again in
        // the month it reappears
        var kpi = fixture.Warehouse.Query<(string Month, long Churned, long? ActivePrevious, long Missing, long Reappearing)>("""
            select strftime(kpi.month, '%Y-%m'), kpi.churned, kpi.active_previous_month,
                   (select count(*) from dw.fct_subscriber_month as previous
                    where previous.month = kpi.month - interval 1 month and previous.is_active
                      and not exists (select 1 from dw.fct_subscriber_month as this
                                      where this.subscriber_id = previous.subscriber_id and this.month = kpi.month)),
                   (select count(*) from dw.fct_subscriber_month as this
                    where this.month = kpi.month and not this.is_new
                      and not exists (select 1 from dw.fct_subscriber_month as previous where previous.is_active
                                      and previous.subscriber_id = this.subscriber_id and previous.month = kpi.month - interval 1 month))
            from mart.mart_retention_kpi_city_month as kpi where kpi.city_code = 'ALL'
            """);
        Assert.Equal(kpi.Count, result.Rows.Count);
        foreach (var k in kpi)
        {
            var r = result.Rows.ToList().FindIndex(m => m.Keys[0] == k.Month);
            Assert.Equal(k.Churned, result.RowTotals[r][0]);
            Assert.Equal(k.ActivePrevious is null ? 0 : k.ActivePrevious - k.Missing + k.Reappearing, result.RowTotals[r][1]);
        }
    }

    [Fact]
    public void Retention_rate_by_month_equals_the_province_kpi()
    {
        var result = fixture.Cubes.Run(new PivotRequest("subscriber_month", [Month], [], ["retention_rate"]), RegionScope.WholeProvince, "en");
        var kpi = fixture.Warehouse.Query<KpiRow>("""
            select month, city_code, churned, active_previous_month, churn_rate, subscribers, retention_rate
            from mart.mart_retention_kpi_city_month where city_code = 'ALL'
            """);
        Assert.Contains(kpi, k => k.retention_rate is not null);
        foreach (var k in kpi)
        {
            var r = result.Rows.ToList().FindIndex(m => m.Keys[0] == k.month.ToString("yyyy-MM"));
            Assert.Equal(k.retention_rate ?? -1, result.RowTotals[r][0] ?? -1, 12);
        }
    }

    [Fact]
    public void Plan_by_value_tier_arpu_equals_hand_written_sql()
    {
        var result = fixture.Cubes.Run(
            new PivotRequest("subscriber_month", [new AxisLevel("plan", "plan")], [new AxisLevel("value_tier", "value_tier")], ["arpu"]),
            RegionScope.WholeProvince, "de");
        var expected = fixture.Warehouse.Query<(string Plan, string Tier, double Arpu)>("""
            select plan_code, value_tier, coalesce(sum(bill_amount), 0) / count(*) filter (where is_active)
            from dw.fct_subscriber_month group by all having count(*) filter (where is_active) > 0
            """);
        Assert.Equal(new[] { "high", "mid", "low" }, result.Columns.Select(c => c.Keys[0]).ToArray());
        Assert.Equal("Hochwertig", result.Columns[0].Labels[0]);
        foreach (var e in expected)
        {
            var r = result.Rows.ToList().FindIndex(m => m.Keys[0] == e.Plan);
            var c = result.Columns.ToList().FindIndex(m => m.Keys[0] == e.Tier);
            Assert.Equal(e.Arpu, result.Cells[r][c][0]!.Value, 6);
        }
        var total = fixture.Warehouse.Scalar<double>(
            "select sum(bill_amount) / count(*) filter (where is_active) from dw.fct_subscriber_month");
        Assert.Equal(total, result.GrandTotals[0]!.Value, 6);
    }

    public static TheoryData<string> GrainPivots => ["district x month", "month x plan, top 5 plans", "quarter x city", "month x city, two months"];

    [Theory]
    [MemberData(nameof(GrainPivots))]
    public void A_month_counted_by_rows_at_the_cubes_grain_gives_the_distinct_counts_in_every_cell_and_total(string pivot)
    {
        var (plan, quarter) = (new AxisLevel("plan", "plan"), new AxisLevel("time", "quarter"));
        string[] measures = ["subscribers", "churned", "churn_rate", "active"];
        var request = pivot switch
        {
            "district x month" => new PivotRequest("subscriber_month", [District], [Month], measures),
            "month x plan, top 5 plans" => new PivotRequest("subscriber_month", [plan, Month], [], measures, Top: new TopN(0, 5, "subscribers")),
            "quarter x city" => new PivotRequest("subscriber_month", [quarter], [City], measures),
            _ => new PivotRequest("subscriber_month", [Month], [City], measures,
                [new MemberFilter("time", "month", fixture.Warehouse.Query<string>("select distinct strftime(month, '%Y-%m') from dw.fct_subscriber_month order by 1 desc limit 2"))]),
        };
        var cube = fixture.Catalog.Get("subscriber_month");
        Assert.NotNull(cube.GrainKey);
        // the same definition without its grain counts distinct subscribers in every cell: the reference
        var distinct = new CubeService(fixture.Warehouse.Db, new CubeCatalog([cube.WithoutGrain()])).Run(request, RegionScope.WholeProvince, "en");
        var atGrain = fixture.Cubes.Run(request, RegionScope.WholeProvince, "en");

        Assert.NotEmpty(atGrain.Rows);
        Assert.Equal(distinct.Rows.Select(r => string.Join("|", r.Keys)), atGrain.Rows.Select(r => string.Join("|", r.Keys)));
        Assert.Equal(distinct.Columns.Select(c => string.Join("|", c.Keys)), atGrain.Columns.Select(c => string.Join("|", c.Keys)));
        Assert.Equal(distinct.Rows.Select(r => string.Join("|", r.Labels)), atGrain.Rows.Select(r => string.Join("|", r.Labels)));
        Assert.Equal(Flat(distinct.Cells.SelectMany(r => r)), Flat(atGrain.Cells.SelectMany(r => r)));
        Assert.Equal(Flat(distinct.RowTotals), Flat(atGrain.RowTotals));
        Assert.Equal(Flat(distinct.ColumnTotals), Flat(atGrain.ColumnTotals));
        Assert.Equal(Flat([distinct.GrandTotals]), Flat([atGrain.GrandTotals]));

        // the month's cells are the grain's block of the query; the totals over months are not
        var sql = CubeQuery.Build(cube, "select 1", request, RegionScope.WholeProvince, "en").Sql;
        Assert.Equal(pivot == "quarter x city" ? 0 : 1, System.Text.RegularExpressions.Regex.Matches(sql, "union all").Count);
        static IEnumerable<string> Flat(IEnumerable<double?[]> values) => values.Select(v => string.Join(";", v.Select(x => x?.ToString("R"))));
    }

    [Fact]
    public void A_grain_that_names_no_level_or_a_measure_at_the_grain_without_one_is_refused()
    {
        CubeDefinition Fresh() => CubeCatalog.LoadFile(Path.Combine(PortalHost.RepositoryRoot, "reports", "cubes", "subscriber_month.yaml"));
        var broken = Fresh();
        broken.Grain = new CubeGrain { Dimension = "time", Level = "week" };
        Assert.Contains("grain time.week", Assert.Throws<CubeDefinitionException>(() => CubeCatalog.Validate(broken)).Message);
        broken = Fresh();
        broken.Grain = null;
        Assert.Contains("sql_at_grain needs the cube's grain", Assert.Throws<CubeDefinitionException>(() => CubeCatalog.Validate(broken)).Message);
        broken = Fresh();
        broken.Measures.First(m => m.Id == "churned").SqlAtGrain = "count(*); drop table dw.fct_bill";
        Assert.Throws<CubeDefinitionException>(() => CubeCatalog.Validate(broken));
    }

    [Fact]
    public void Subscribers_over_a_year_are_counted_once_each()
    {
        var result = fixture.Cubes.Run(
            new PivotRequest("subscriber_month", [new AxisLevel("time", "year")], [new AxisLevel("payment_type", "payment_type")], ["subscribers"]),
            RegionScope.WholeProvince, "en");
        var expected = fixture.Warehouse.Query<(long Year, string Payment, long Subscribers)>("""
            select year(month), payment_type, count(distinct subscriber_id) from dw.fct_subscriber_month group by all
            """);
        foreach (var e in expected)
        {
            var r = result.Rows.ToList().FindIndex(m => m.Keys[0] == e.Year.ToString());
            var c = result.Columns.ToList().FindIndex(m => m.Keys[0] == e.Payment);
            Assert.Equal(e.Subscribers, result.Cells[r][c][0]);
        }
        var distinctAll = fixture.Warehouse.Scalar<long>("select count(distinct subscriber_id) from dw.fct_subscriber_month");
        var subscriberMonths = fixture.Warehouse.Scalar<long>("select count(*) from dw.fct_subscriber_month");
        Assert.Equal(distinctAll, result.GrandTotals[0]);
        Assert.True(distinctAll < subscriberMonths);
    }

    [Fact]
    public void Top_districts_by_churned_are_the_largest_ones_and_drilling_a_city_shows_its_districts_only()
    {
        var top = fixture.Cubes.Run(
            new PivotRequest("subscriber_month", [District], [], ["churned"], Top: new TopN(0, 3, "churned"), Sort: new PivotSort("churned", true)),
            RegionScope.WholeProvince, "en");
        var expected = fixture.Warehouse.Query<(string District, long Churned)>("""
            select district_code, count(*) from dw.fct_subscriber_month where churned_in_month
            group by 1 order by 2 desc, 1 limit 3
            """);
        Assert.Equal(expected.Select(e => e.District), top.Rows.Select(r => r.Keys[0]!));
        Assert.Equal(expected.Select(e => (double?)e.Churned), top.RowTotals.Select(t => t[0]));
        Assert.Equal(expected.Sum(e => e.Churned), top.GrandTotals[0]);

        var cube = fixture.Catalog.Get("subscriber_month");
        var drilled = PivotDrill.Down(cube, CityByMonth("churned"), onRows: true, axis: 0, memberKey: "571");
        Assert.Equal("district", drilled.Rows[0].Level);
        var result = fixture.Cubes.Run(drilled, RegionScope.WholeProvince, "en");
        var districts = fixture.Warehouse.Query<string>("select distinct district_code from dw.fct_subscriber_month where city_code = '571'");
        Assert.Equal(districts.Order(), result.Rows.Select(r => r.Keys[0]!).Order());
        var up = PivotDrill.Up(cube, drilled, onRows: true, axis: 0);
        Assert.Equal(CityByMonth("churned").Rows, up.Rows);
        Assert.Empty(up.FilterList);
    }

    [Fact]
    public void A_city_managers_pivot_holds_only_their_city_and_its_totals_are_the_citys_own_numbers()
    {
        var province = fixture.Cubes.Run(CityByMonth(), RegionScope.WholeProvince, "en");
        var mine = fixture.Cubes.Run(CityByMonth(), CubesFixture.Hangzhou, "en");
        Assert.Equal(["571"], mine.Rows.Select(r => r.Keys[0]!));
        var hz = province.Rows.ToList().FindIndex(m => m.Keys[0] == "571");
        Assert.Equal(province.RowTotals[hz], mine.GrandTotals);
        Assert.Equal(province.Cells[hz], mine.Cells[0]);
        for (var c = 0; c < mine.Columns.Count; c++)
        {
            Assert.Equal(province.Cells[hz][c], mine.ColumnTotals[c]);
        }
    }

    [Fact]
    public void No_scope_reads_no_rows()
    {
        var result = fixture.Cubes.Run(CityByMonth(), RegionScope.None, "en");
        Assert.Empty(result.Rows);
        Assert.Empty(result.Columns);
        Assert.All(result.GrandTotals, v => Assert.Null(v));
    }

    [Fact]
    public void An_injection_attempt_in_a_filter_value_is_a_harmless_unknown_member()
    {
        var request = CityByMonth("churned") with
        {
            Filters = [new MemberFilter("region", "city", ["571') or true or ('", "x'; drop table dw.fct_subscriber_month; --"])],
        };
        var result = fixture.Cubes.Run(request, RegionScope.WholeProvince, "en");
        Assert.Empty(result.Rows);
        Assert.True(fixture.Warehouse.Scalar<long>("select count(*) from dw.fct_subscriber_month") > 0);
        var query = fixture.Cubes.Plan(request, RegionScope.WholeProvince, "en");
        Assert.DoesNotContain("drop table", query.Sql);
    }

    [Theory]
    [InlineData("region; drop table dw.fct_bill", "city", "churned")]
    [InlineData("region", "city_code) or (1=1", "churned")]
    [InlineData("region", "city", "count(*) from dw.dim_customer --")]
    public void A_dimension_level_or_measure_not_in_the_definition_is_refused(string dimension, string level, string measure)
    {
        var request = new PivotRequest("subscriber_month", [new AxisLevel(dimension, level)], [], [measure]);
        Assert.Throws<CubeRequestException>(() => fixture.Cubes.Run(request, RegionScope.WholeProvince, "en"));
        var filtered = CityByMonth("churned") with { Filters = [new MemberFilter(dimension, level + "x", ["571"])] };
        Assert.Throws<CubeRequestException>(() => fixture.Cubes.Run(filtered, RegionScope.WholeProvince, "en"));
    }

    [Fact]
    public void Operations_success_rate_by_team_and_churn_reasons_equal_hand_written_sql()
    {
        var result = fixture.Cubes.Run(
            new PivotRequest("operations", [new AxisLevel("team", "team")], [], ["tasks", "contacted", "succeeded", "success_rate", "alerts"]),
            RegionScope.WholeProvince, "en");
        var expected = fixture.Warehouse.Query<(string Team, long Tasks, long Contacted, long Succeeded)>("""
            select task.team_id,
                   count(distinct task.task_id),
                   count(distinct contact.subscriber_id) filter (where contact.outcome = 'reached'),
                   count(distinct contact.subscriber_id) filter (where contact.result in ('retained', 'accepted_offer'))
            from ops.task as task left join ops.contact as contact on contact.task_id = task.task_id
            group by 1
            """);
        Assert.NotEmpty(expected);
        foreach (var e in expected)
        {
            var r = result.Rows.ToList().FindIndex(m => m.Keys[0] == e.Team);
            Assert.Equal(e.Tasks, result.RowTotals[r][0]);
            Assert.Equal(e.Contacted, result.RowTotals[r][1]);
            Assert.Equal(e.Succeeded, result.RowTotals[r][2]);
            Assert.Equal((double)e.Succeeded / e.Contacted, result.RowTotals[r][3]!.Value, 9);
        }
        Assert.Equal(fixture.Warehouse.Scalar<long>("select count(*) from det.alert"), result.GrandTotals[4]);

        var reasons = fixture.Cubes.Run(
            new PivotRequest("operations", [new AxisLevel("churn_reason", "churn_reason")], [], ["contacts"]), RegionScope.WholeProvince, "zh");
        var price = reasons.Rows.ToList().FindIndex(m => m.Keys[0] == "price");
        Assert.Equal("资费太高", reasons.Rows[price].Labels[0]);
        Assert.Equal(fixture.Warehouse.Scalar<long>("select count(*) from ops.contact where churn_reason_id = 'price'"), reasons.RowTotals[price][0]);
    }

    [Fact]
    public void The_export_table_of_a_pivot_has_the_pivoted_layout_and_totals()
    {
        var request = CityByMonth("churned", "churn_rate");
        var result = fixture.Cubes.Run(request, RegionScope.WholeProvince, "en");
        var table = result.ToExportTable("en", []);
        var measures = 2;
        Assert.Equal(1 + measures * result.Columns.Count + measures, table.Columns.Count);
        Assert.Equal("City", table.Columns[0].Header);
        Assert.Equal(ColumnFormat.Percent, table.Columns[2].Format);
        var band = Assert.Single(table.HeaderBands!);
        Assert.Equal(table.Columns.Count, band.Count);
        Assert.Equal(result.Columns[0].Labels[0], band[1]);
        Assert.Equal(result.Columns[0].Labels[0], band[2]);
        Assert.Equal("Total", band[^1]);
        var rows = table.Rows.ToList();
        Assert.Equal(result.Rows.Count + 1, rows.Count);
        Assert.Equal(ExportRowKind.Total, rows[^1].Kind);
        Assert.Equal(result.GrandTotals[0], rows[^1].Cells[^2]);
        Assert.Equal(result.RowTotals[0][1], rows[0].Cells[^1]);
        Assert.Equal(result.Cells[0][0][0], rows[0].Cells[1]);
        Assert.Equal(result.ColumnTotals[^1][0], rows[^1].Cells[^4]);
    }

    [Fact]
    public void A_pivot_with_months_down_its_rows_exports_them_as_dates_and_its_total_row_as_text()
    {
        var result = fixture.Cubes.Run(new PivotRequest("subscriber_month", [Month], [City], ["churned"]), RegionScope.WholeProvince, "de");
        var table = result.ToExportTable("de", []);

        Assert.Equal(ColumnFormat.Month, table.Columns[0].Format);
        Assert.Equal(ColumnFormat.Text, fixture.Cubes.Run(CityByMonth("churned"), RegionScope.WholeProvince, "de").ToExportTable("de", []).Columns[0].Format);
        Exports.MonthCells.AssertExportedAsDates(fixture.Warehouse.Db, fixture.Warehouse.Folder, table, 0,
            [.. result.Rows.Select(r => r.Labels[0]), PivotResult.TotalLabel("de")]);
    }

    [Theory]
    [InlineData("en", "Hangzhou")]
    [InlineData("zh", "杭州")]
    public void An_exports_filters_name_their_members_as_the_page_does_not_by_their_codes(string language, string hangzhou)
    {
        var request = CityByMonth("churned") with { Filters = [new MemberFilter("region", "city", ["571"])] };

        var filters = fixture.Renderer.Describe(request, RegionScope.WholeProvince, language);

        Assert.Equal(hangzhou, Assert.Single(filters).Value);
    }

    [Fact]
    public async Task A_saved_view_reopens_with_identical_numbers_and_a_private_view_is_refused_to_another_user()
    {
        var request = CityByMonth("churned", "churn_rate") with { Filters = [new MemberFilter("time", "year", ["2026"])] };
        var before = fixture.Cubes.Run(request, RegionScope.WholeProvince, "en");
        var id = fixture.Views.Save("analyst", "Churn 2026 " + Guid.NewGuid().ToString("N")[..6], request);

        var opened = fixture.Views.Open(id, "analyst");
        Assert.Equal(request.Rows, opened.Request.Rows);
        Assert.Equal(request.FilterList[0].Members, opened.Request.FilterList[0].Members);
        var after = fixture.Cubes.Run(opened.Request, RegionScope.WholeProvince, "en");
        Assert.Equal(before.Rows.Select(m => m.Id), after.Rows.Select(m => m.Id));
        Assert.Equal(before.Cells, after.Cells);
        Assert.Equal(before.GrandTotals, after.GrandTotals);

        var managerNb = new ReportViewer("manager.nb", new HashSet<string> { "city_manager" }, RegionScope.ForCities(["574"]), "en", false);
        Assert.Throws<UnauthorizedAccessException>(() => fixture.Views.Open(id, "manager.nb"));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => fixture.Renderer.RenderAsync($"view:{id}", new Dictionary<string, string>(), managerNb));
        Assert.Throws<UnauthorizedAccessException>(() => fixture.Views.Rename(id, "manager.nb", "mine now"));
        Assert.Throws<UnauthorizedAccessException>(() => fixture.Views.Delete(id, "manager.nb"));

        // shared: another user opens it over their own scope
        fixture.Views.SetShared(id, "analyst", true);
        var table = await fixture.Renderer.RenderAsync($"view:{id}", new Dictionary<string, string>(), managerNb);
        var rows = table.Rows.ToList();
        Assert.Equal(["574", "Total"], rows.Select(r => r.Cells[0] as string == "Total" ? "Total" : "574"));
        var nb = before.Rows.ToList().FindIndex(m => m.Keys[0] == "574");
        Assert.Equal(before.RowTotals[nb][0], rows[^1].Cells[^2]);
        Assert.Contains(table.Filters, f => f.Value == "2026");

        var generalUser = managerNb with { Username = "user", Roles = new HashSet<string> { "user" } };
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => fixture.Renderer.RenderAsync($"view:{id}", new Dictionary<string, string>(), generalUser));
        Assert.True(fixture.Renderer.Handles($"view:{id}"));
        Assert.False(fixture.Renderer.Handles("churn_by_city"));

        fixture.Views.Rename(id, "analyst", "Renamed view");
        Assert.Contains(fixture.Views.List("manager.nb"), v => v.ViewId == id && v.Name == "Renamed view");
        fixture.Views.SetShared(id, "analyst", false);
        Assert.DoesNotContain(fixture.Views.List("manager.nb"), v => v.ViewId == id);
        fixture.Views.Delete(id, "analyst");
        Assert.Throws<KeyNotFoundException>(() => fixture.Views.Open(id, "analyst"));
    }
}
