using System.Globalization;
using Dapper;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Portal.Features.CustomRules;
using RetentionAnalytics.Portal.Features.Reports;
using RetentionAnalytics.Portal.Features.Shared.Localization;

namespace RetentionAnalytics.Tests.Reports;

[Collection(ReportsCollection.Name)]
public sealed class ReportEngineTests(ReportsFixture f)
{
    private static readonly Dictionary<string, string> Defaults = [];

    public static TheoryData<string> ReportIds => new(Directory.GetFiles(
        Path.Combine(Support.PortalHost.RepositoryRoot, "reports", "fixed"), "*.yaml").Select(Path.GetFileNameWithoutExtension).Order()!);

    [Fact]
    public void Every_definition_loads_validates_and_covers_the_catalogue()
    {
        var ids = f.Catalog.All.Select(d => d.Id).ToList();

        Assert.Equal(14, ids.Count);
        Assert.All(f.Catalog.All, d =>
        {
            Assert.True(d.Title.IsComplete);
            Assert.Contains(ReportCatalog.ScopePredicate, f.Db.Sql.Get(d.Sql), StringComparison.Ordinal);
            Assert.All(d.Drill, drill => Assert.Contains(ReportCatalog.ScopePredicate, f.Db.Sql.Get(drill.Sql), StringComparison.Ordinal));
        });
    }

    [Theory]
    [InlineData("columns:\n  - { name: rate, header: { en: R, de: R, zh: R }, format: Percent, total: sum }", "a percentage is never summed")]
    [InlineData("columns:\n  - { name: rate, header: { en: R, de: R, zh: R }, format: Percent, total: ratio, numerator: a, denominator: b }", "ratio numerator 'a'")]
    [InlineData("columns:\n  - { name: n, header: { en: N, de: N }, format: Integer }", "header en, de and zh")]
    public void A_broken_definition_fails_with_a_message_naming_the_file_and_the_fault(string columns, string expected)
    {
        var folder = Directory.CreateTempSubdirectory("ra-report-def-").FullName;
        try
        {
            var file = Path.Combine(folder, "broken.yaml");
            File.WriteAllText(file, $"""
                id: broken
                group: test
                title: {"{"} en: B, de: B, zh: B {"}"}
                sql: reports/kpi_overview.sql
                roles: [leader]
                parameters:
                  - {"{"} name: from_month, type: month, default: latest, label: {"{"} en: F, de: F, zh: F {"}"} {"}"}
                  - {"{"} name: to_month, type: month, default: latest, label: {"{"} en: T, de: T, zh: T {"}"} {"}"}
                  - {"{"} name: city, type: city, optional: true, label: {"{"} en: C, de: C, zh: C {"}"} {"}"}
                {columns}
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
    public void A_query_without_the_scope_predicate_is_refused()
    {
        var definition = f.Catalog.Find("kpi_overview")!;
        var copy = new ReportDefinition
        {
            Id = "unscoped", Group = "x", Title = definition.Title, Roles = ["leader"], Sql = "reports/data_as_of.sql",
            Columns = [new ReportColumn { Name = "data_as_of", Header = definition.Title }],
        };

        var ex = Assert.Throws<ReportDefinitionException>(() => ReportCatalog.Validate(copy, "unscoped", f.Db.Sql));

        Assert.Contains("scope predicate", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// Every report on the sample province: the engine's subtotal and total rows equal DuckDB's own aggregate over the
    /// same query's rows (sums summed, ratios as sum(numerator) / sum(denominator)).
    /// </summary>
    [Theory]
    [MemberData(nameof(ReportIds))]
    public void Each_report_runs_and_its_totals_equal_the_aggregate_computed_by_duckdb(string id)
    {
        var result = f.Engine.Run(id, Defaults, ReportsFixture.Leader);
        var data = result.Rows.Where(r => r.Kind == ExportRowKind.Data).ToList();
        Assert.NotEmpty(data);
        Assert.NotNull(result.DataAsOf);

        var definition = result.Definition;
        var groups = definition.SubtotalBy is { } by
            ? result.Rows.Where(r => r.Kind == ExportRowKind.Subtotal).Select(r => (Row: r, Key: r.Cells[result.Column(by).Index])).ToList()
            : [];
        if (definition.GrandTotal)
        {
            groups.Add((result.Rows.Single(r => r.Kind == ExportRowKind.Total), null));
        }
        // a report without a grand total whose groups are all one row has nothing to compare: each row is its own subtotal
        Assert.True(groups.Count > 0 || data.DistinctBy(r => r.Cells[result.Column(definition.SubtotalBy!).Index]).Count() == data.Count,
            $"{id}: no subtotal or total row");

        var sql = f.Db.Sql.Get(definition.Sql).TrimEnd().TrimEnd(';');
        using var c = f.Db.Connect();
        foreach (var (row, key) in groups)
        {
            foreach (var column in result.Columns.Where(col => col.Definition.Total is TotalKinds.Sum or TotalKinds.Ratio))
            {
                var expression = column.Definition.Total == TotalKinds.Sum
                    ? $"sum({column.Name})"
                    : $"sum({column.Definition.Numerator}) / nullif(sum({column.Definition.Denominator}), 0)";
                var where = key is null ? "" : $"where {definition.SubtotalBy} = $group_key";
                var p = Arguments(result, sql);
                if (key is not null)
                {
                    p.Add("group_key", key);
                }
                var expected = c.ExecuteScalar<object?>($"select cast({expression} as double) from ({sql}) as report {where}", p);
                var actual = row.Cells[column.Index];
                if (expected is null or DBNull)
                {
                    Assert.Null(actual);
                }
                else
                {
                    Assert.True(actual is not null, $"{id} {column.Name} total is empty");
                    Assert.Equal(Convert.ToDouble(expected, CultureInfo.InvariantCulture), Convert.ToDouble(actual, CultureInfo.InvariantCulture), 6);
                }
            }
        }
    }

    /// <summary>
    /// A subtotal closes a group of two rows or more: a group of one row would get a subtotal equal to that row, and
    /// the reader would see the row twice (a city manager's churn by plan showed every plan twice).
    /// </summary>
    [Theory]
    [MemberData(nameof(ReportIds))]
    public void A_subtotal_closes_only_a_group_of_two_rows_or_more(string id)
    {
        foreach (var viewer in new[] { ReportsFixture.Leader, ReportsFixture.ManagerHz })
        {
            var result = f.Engine.Run(id, Defaults, viewer with { Roles = f.Catalog.Find(id)!.Roles.ToHashSet() });
            var run = 0;
            foreach (var row in result.Rows)
            {
                if (row.Kind == ExportRowKind.Subtotal)
                {
                    Assert.True(run >= 2, $"{id}: a subtotal after {run} row(s)");
                }
                run = row.Kind == ExportRowKind.Data ? run + 1 : 0;
            }
        }
    }

    [Fact]
    public void A_city_managers_churn_by_plan_shows_each_plan_once_with_the_grand_total()
    {
        var result = f.Engine.Run("churn_by_plan", Defaults, ReportsFixture.ManagerHz);
        var plan = result.Column("plan_name").Index;
        var data = result.Rows.Where(r => r.Kind == ExportRowKind.Data).ToList();

        Assert.True(data.Count > 1);
        Assert.DoesNotContain(result.Rows, r => r.Kind == ExportRowKind.Subtotal);
        Assert.Equal(data.Count, data.Select(r => r.Cells[plan]).Distinct().Count());
        var total = Assert.Single(result.Rows, r => r.Kind == ExportRowKind.Total);
        Assert.Equal(data.Sum(r => (long)r.Cells[result.Column("subscribers").Index]!), total.Cells[result.Column("subscribers").Index]);
    }

    [Fact]
    public void The_kpi_reports_monthly_subtotals_are_the_marts_own_province_rows()
    {
        var result = f.Engine.Run("kpi_overview", Defaults, ReportsFixture.Leader);
        var province = f.Warehouse.Query<(string YearMonth, double? ChurnRate, double? RetentionRate, long NetAdds)>(
            "select year_month, churn_rate, retention_rate, net_adds from mart.mart_retention_kpi_city_month where is_province_total")
            .ToDictionary(r => r.YearMonth);
        var subtotals = result.Rows.Where(r => r.Kind == ExportRowKind.Subtotal).ToList();

        Assert.Equal(3, subtotals.Count);
        foreach (var row in subtotals)
        {
            var mart = province[(string)row.Cells[result.Column("year_month").Index]!];
            Assert.Equal(mart.NetAdds, row.Cells[result.Column("net_adds").Index]);
            Assert.Equal(mart.ChurnRate ?? double.NaN, (double?)row.Cells[result.Column("churn_rate").Index] ?? double.NaN, 9);
            Assert.Equal(mart.RetentionRate ?? double.NaN, (double?)row.Cells[result.Column("retention_rate").Index] ?? double.NaN, 9);
        }
    }

    [Theory]
    [MemberData(nameof(ReportIds))]
    public async Task A_city_managers_render_holds_only_their_city(string id)
    {
        var definition = f.Catalog.Find(id)!;
        var viewer = ReportsFixture.ManagerHz with { Roles = definition.Roles.ToHashSet() };
        var renderer = new FixedReportRenderer(f.Engine);

        var table = await renderer.RenderAsync(id, Defaults, viewer);
        var result = f.Engine.Run(id, Defaults, viewer);

        // the scope by name, in the manager's language
        Assert.Contains(table.Filters, x => x.Value == "杭州");
        Assert.Equal(result.Rows.Count, table.Rows.Count());
        if (result.Columns.Any(c => c.Name == "city_code"))
        {
            var city = result.Column("city_code").Index;
            Assert.All(result.Rows.Where(r => r.Kind == ExportRowKind.Data), r => Assert.Equal("571", r.Cells[city]));
        }
        var leader = f.Engine.Run(id, Defaults, ReportsFixture.Leader with { Roles = definition.Roles.ToHashSet() });
        Assert.True(result.Rows.Count(r => r.Kind == ExportRowKind.Data) <= leader.Rows.Count(r => r.Kind == ExportRowKind.Data));
    }

    [Theory]
    [MemberData(nameof(ReportIds))]
    public void No_scope_means_no_rows(string id)
    {
        var result = f.Engine.Run(id, Defaults, ReportsFixture.Unscoped with { Roles = f.Catalog.Find(id)!.Roles.ToHashSet() });

        Assert.Empty(result.Rows);
    }

    [Theory]
    [InlineData("kpi_overview", "agent")]
    [InlineData("kpi_overview", "supervisor")]
    [InlineData("vas_analysis", "user")]
    [InlineData("callback_supervision", "administrator")]
    public async Task A_role_the_report_does_not_allow_is_refused(string id, string role)
    {
        var viewer = ReportsFixture.Leader with { Roles = new HashSet<string> { role } };

        Assert.Throws<UnauthorizedAccessException>(() => f.Engine.Run(id, Defaults, viewer));
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => new FixedReportRenderer(f.Engine).RenderAsync(id, Defaults, viewer));
        Assert.Throws<UnauthorizedAccessException>(() => f.Engine.Drill(id, Defaults, f.Catalog.Find(id)!.Drill[0].Column, new Dictionary<string, string>(), viewer));
    }

    [Theory]
    [InlineData("period", "2020-01")]
    [InlineData("period", "October")]
    [InlineData("city", "574")]
    [InlineData("city", "571' or 1=1 --")]
    [InlineData("small_balance", "-1")]
    // a German decimal comma is no group separator: "1,5" must not pass as 15
    [InlineData("small_balance", "1,5")]
    [InlineData("small_balance", "7,5")]
    [InlineData("no_such", "1")]
    public void A_parameter_out_of_bounds_or_scope_is_refused_naming_it(string name, string value)
    {
        var ex = Assert.Throws<ReportParameterException>(() => f.Engine.Run("balance_risk", new Dictionary<string, string> { [name] = value }, ReportsFixture.ManagerHz with { Roles = new HashSet<string> { "city_manager" } }));

        Assert.Contains(name, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kpi_overview")]
    [InlineData("effectiveness")]
    [InlineData("new_subscriber_quality")]
    public void A_period_whose_end_lies_before_its_start_is_refused_naming_both_while_one_month_is_a_period(string id)
    {
        var viewer = ReportsFixture.Leader with { Roles = f.Catalog.Find(id)!.Roles.ToHashSet() };
        var latest = f.LatestMonth.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var before = f.LatestMonth.AddMonths(-1).ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var ex = Assert.Throws<ReportParameterException>(() => f.Engine.Run(id, new Dictionary<string, string> { ["from_month"] = latest, ["to_month"] = before }, viewer));

        Assert.Equal((ReportParameterRefusal.MonthsReversed, "to_month"), ((ReportParameterRefusal)ex.Code, ex.ParamName));
        Assert.Equal(f.Catalog.Find(id)!.Parameters.Single(p => p.Name == "from_month").Label, ex.Args[1]);
        f.Engine.Run(id, new Dictionary<string, string> { ["from_month"] = latest, ["to_month"] = latest }, viewer);
    }

    [Theory]
    [MemberData(nameof(ReportIds))]
    public void A_drill_through_lists_as_many_subscribers_as_the_clicked_cell_counts(string id)
    {
        var (count, list) = DrillLargestCell(id, ReportsFixture.Leader with { Roles = f.Catalog.Find(id)!.Roles.ToHashSet() });

        Assert.Equal(count, list.RowCount);
        Assert.Equal(list.RowCount, list.Rows.Count);
        // the clicked row narrows the report's filter of the same name rather than naming it twice
        Assert.Equal(list.Filters.Count, list.Filters.Select(x => x.Label).Distinct().Count());
    }

    [Theory]
    [InlineData("effectiveness", "campaign_id")]
    [InlineData("kpi_overview", "month")]
    [InlineData("new_subscriber_quality", "month")]
    public void A_drill_through_names_a_hidden_key_as_its_row_shows_it_not_by_an_id_or_a_date(string id, string key)
    {
        var viewer = ReportsFixture.Leader with { Roles = f.Catalog.Find(id)!.Roles.ToHashSet(), Language = "de" };
        var result = f.Engine.Run(id, Defaults, viewer);
        var drill = result.Definition.Drill.Single();
        var shownAs = result.Column(key).Definition.ShownAs!;
        var row = result.Rows.First(r => r.Kind == ExportRowKind.Data);
        // as the report page asks: the keys and the columns that name them
        var keys = drill.Keys.Append(shownAs).ToDictionary(k => k, k => ReportEngine.KeyText(row.Cells[result.Column(k).Index]));

        var list = f.Engine.Drill(id, Defaults, drill.Column, keys, viewer);

        var filter = Assert.Single(list.Filters, x => x.Label == result.Column(key).Definition.Header.In("de"));
        Assert.Equal(ReportEngine.KeyText(row.Cells[result.Column(shownAs).Index]), filter.Value);
        Assert.DoesNotMatch(@"^\d{4}-\d{2}-\d{2}$", filter.Value);
    }

    [Fact]
    public void A_drill_through_names_the_clicked_plan_and_city_by_name()
    {
        var viewer = ReportsFixture.Leader with { Roles = f.Catalog.Find("churn_by_plan")!.Roles.ToHashSet(), Language = "de" };
        var result = f.Engine.Run("churn_by_plan", Defaults, viewer);
        var row = result.Rows.First(r => r.Kind == ExportRowKind.Data && Convert.ToInt64(r.Cells[result.Column("churned").Index], CultureInfo.InvariantCulture) > 0);
        var keys = new Dictionary<string, string>
        {
            ["plan_code"] = (string)row.Cells[result.Column("plan_code").Index]!,
            ["city_code"] = (string)row.Cells[result.Column("city_code").Index]!,
        };

        var list = f.Engine.Drill("churn_by_plan", Defaults, "churned", keys, viewer);

        Assert.Contains(list.Filters, x => x.Label == "Tarif oder Vertrag" && x.Value == (string)row.Cells[result.Column("plan_name").Index]!);
        Assert.Contains(list.Filters, x => x.Label == "Stadt" && x.Value == (string)row.Cells[result.Column("city_name").Index]!);
    }

    /// <summary>The report's drill-through clicked on its largest figure, as the viewer: that figure and the list.</summary>
    private (long Count, DrillResult List) DrillLargestCell(string id, ReportViewer viewer)
    {
        var result = f.Engine.Run(id, Defaults, viewer);
        var drill = result.Definition.Drill.Single();
        var cell = result.Column(drill.Column).Index;
        var row = result.Rows.Where(r => r.Kind == ExportRowKind.Data).OrderByDescending(r => Convert.ToInt64(r.Cells[cell], CultureInfo.InvariantCulture)).First();
        var keys = drill.Keys.ToDictionary(k => k, k => ReportEngine.KeyText(row.Cells[result.Column(k).Index]));
        var parameters = result.Parameters.Where(p => p.Value is not null)
            .ToDictionary(p => p.Key, p => p.Value is DateOnly d ? d.ToString("yyyy-MM", CultureInfo.InvariantCulture) : ReportEngine.KeyText(p.Value));
        return (Convert.ToInt64(row.Cells[cell], CultureInfo.InvariantCulture), f.Engine.Drill(id, parameters, drill.Column, keys, viewer));
    }

    [Theory]
    [MemberData(nameof(ReportIds))]
    public void A_drill_through_in_chinese_has_every_header_in_chinese_and_no_english_words_of_its_own(string id)
    {
        var (_, list) = DrillLargestCell(id, ReportsFixture.Leader with { Roles = f.Catalog.Find(id)!.Roles.ToHashSet(), Language = "zh" });

        Assert.True(list.Rows.Count > 0, $"{id}: the drill lists no subscriber");
        // a header the vocabulary does not know would be the column's name, in English letters
        // (the alerts' evidence figures are for the page to word, never shown as a column)
        Assert.All(list.Columns.Where((_, i) => list.Names[i] is not ("subscriber_id" or "evidence_json")), c => Assert.DoesNotMatch("^[a-z_ ]+$", c.Header));
        // the query's own words (not the delivered data) read in the reader's language: no English word in a detail
        if (list.Names.ToList().IndexOf("detail") is var detail and >= 0 && id is not "alerts_by_scenario")
        {
            Assert.All(list.Rows, r => Assert.DoesNotMatch("[A-Za-z]{3,}", r[detail] as string ?? ""));
        }
    }

    [Theory]
    [InlineData("de")]
    [InlineData("zh")]
    public void A_churn_scores_main_factors_read_in_the_readers_language_each_once(string language)
    {
        var (_, list) = DrillLargestCell("churn_score_bands", ReportsFixture.Leader with { Roles = f.Catalog.Find("churn_score_bands")!.Roles.ToHashSet(), Language = language });
        var at = list.Names.ToList().IndexOf("top_factors");
        var factors = list.Rows.Select(r => r[at] as string).Where(x => !string.IsNullOrEmpty(x)).ToList();
        Assert.NotEmpty(factors);

        var before = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        List<string> shown;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.CurrentUICulture = LocalizationSetup.Culture(language == "zh" ? "zh-Hans" : language);
            var factory = new ResourceManagerStringLocalizerFactory(Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance);
            shown = [.. factors.Select(x => TopFactorsText.Format(new StringLocalizer<CustomRulesResource>(factory), new StringLocalizer<ReportsResource>(factory), x))];
        }
        finally
        {
            (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = before;
        }

        Assert.All(shown, text =>
        {
            // every feature by its name, never its column; a missing value worded; no factor twice
            Assert.DoesNotMatch("[a-z]+_[a-z]", text);
            Assert.DoesNotContain("missing", text, StringComparison.Ordinal);
            var parts = text.Split(" · ");
            Assert.Equal(parts.Length, parts.Distinct().Count());
            // in Chinese the feature's name has no English word (a category's value is the operator's name for it)
            if (language == "zh")
            {
                Assert.All(parts, part => Assert.DoesNotMatch("[A-Za-z]{3,}", part[..part.IndexOf(": ", StringComparison.Ordinal)]));
            }
        });
    }

    [Fact]
    public void A_drill_through_masks_phone_numbers_unless_the_viewer_works_with_customers()
    {
        var keys = new Dictionary<string, string> { ["scenario_id"] = "", ["city_code"] = "571" };
        var alerts = f.Engine.Run("alerts_by_scenario", Defaults, ReportsFixture.SupervisorHz);
        var first = alerts.Rows.First(r => r.Kind == ExportRowKind.Data);
        keys["scenario_id"] = (string)first.Cells[alerts.Column("scenario_id").Index]!;

        var masked = f.Engine.Drill("alerts_by_scenario", Defaults, "alerts", keys, ReportsFixture.SupervisorHz with { SeesUnmaskedIdentifiers = false });
        var plain = f.Engine.Drill("alerts_by_scenario", Defaults, "alerts", keys, ReportsFixture.SupervisorHz);

        var msisdn = masked.Names.ToList().IndexOf("msisdn");
        Assert.All(masked.Rows, r => Assert.Contains("*", (string)r[msisdn]!, StringComparison.Ordinal));
        Assert.All(plain.Rows, r => Assert.DoesNotContain("*", (string)r[msisdn]!, StringComparison.Ordinal));
        // the clicked city, by name as the list shows it
        Assert.All(plain.Rows, r => Assert.Equal("Hangzhou", r[masked.Names.ToList().IndexOf("city_code")]));
    }

    [Fact]
    public void The_data_as_of_stamp_is_the_newest_loaded_business_date()
    {
        var expected = f.Warehouse.Scalar<DateOnly>("select max(business_date) from meta.load_audit where status = 'loaded'");

        Assert.Equal(expected.ToDateTime(TimeOnly.MinValue), f.Engine.DataAsOf());
    }

    [Fact]
    public void A_viewer_is_built_from_the_account_and_an_unknown_account_is_refused()
    {
        f.Warehouse.Query<int>("""
            delete from ops.app_user where username in ('report.hz', 'report.off');
            insert into ops.app_user (username, display_name, source, roles, scope_province, scope_cities, preferred_language, disabled, created_at, updated_at)
            values ('report.hz', 'Report HZ', 'local', 'city_manager', false, '571', 'zh-Hans', false, now(), now()),
                   ('report.off', 'Off', 'local', 'leader', true, null, 'en', true, now(), now());
            select 1
            """);

        var viewer = ReportViewers.ForUsername(f.Db, "report.hz");

        Assert.Equal(["571"], viewer.Scope.Cities);
        Assert.False(viewer.Scope.Province);
        Assert.Equal("zh", viewer.Language);
        Assert.Contains("city_manager", viewer.Roles);
        Assert.False(viewer.SeesUnmaskedIdentifiers);
        Assert.Throws<KeyNotFoundException>(() => ReportViewers.ForUsername(f.Db, "nobody.here"));
        Assert.Throws<UnauthorizedAccessException>(() => ReportViewers.ForUsername(f.Db, "report.off"));
    }

    internal static DynamicParameters Arguments(ReportResult result, string sql)
    {
        var p = RegionScope.WholeProvince.AddTo(new DynamicParameters());
        var used = ReportCatalog.ParametersOf(sql);
        if (used.Contains("lang"))
        {
            p.Add("lang", "en");
        }
        foreach (var (name, value) in result.Parameters)
        {
            if (used.Contains(name))
            {
                p.Add(name, value);
            }
        }
        return p;
    }
}
