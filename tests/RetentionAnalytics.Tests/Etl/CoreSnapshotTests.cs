using System.Text;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Cubes;
using RetentionAnalytics.Core.Definitions;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Etl;

/// <summary>
/// A churn snapshot of a foreign layout reaches the fixed reports and the cube through one contract with
/// <c>target: subscription</c>; on a warehouse built from the core only (IBM Telco) and on an empty one every report
/// and cube gives a result or names what it needs, never another exception.
/// </summary>
public sealed class CoreSnapshotTests
{
    private const string Contract = """
        extract: partner_churn
        target: subscription
        file_pattern: '^kundenabgang\.csv$'
        business_date: '2026-03-31'
        encoding: gbk
        delimiter: ';'
        null_tokens: ['N/A']
        keys: [subscriber_id]
        columns:
          - { name: subscriber_id, source: Kunden-Nr, required: true }
          - { name: province_code, source: Bundesland }
          - { name: province_name, source: Bundesland }
          - { name: city_code, source: Stadt, required: true }
          - { name: city_name, source: Stadt }
          - { name: district_code, source: PLZ }
          - { name: tenure_months, source: Laufzeit Monate, type: integer, required: true, min: 0 }
          - { name: plan_code, source: Vertrag, required: true }
          - { name: monthly_charge, source: Monatsentgelt, type: 'decimal(10,2)', decimal_separator: ',' }
          - name: status
            source: Status
            required: true
            map: { Geblieben: active, Neu: active, Gekündigt: churned }
            allowed: [active, churned]
          - { name: churn_category, source: Kategorie, required_when: '"Status" = ''Gekündigt''' }
          - { name: churn_reason, source: Grund }
        """;

    // Monat: 6 customers, 3 churned (50 %); Jahr: 4, 1 churned (25 %). Hangzhou alone: Monat 2 of 4, Jahr 0 of 2.
    private static readonly string[] Rows =
    [
        "Kunden-Nr;Bundesland;Stadt;PLZ;Laufzeit Monate;Vertrag;Monatsentgelt;Status;Kategorie;Grund",
        "A1;浙江;杭州;310000;3;Monat;29,90;Gekündigt;Competitor;Besseres Angebot",
        "A2;浙江;杭州;310001;5;Monat;19,90;Gekündigt;Preis;N/A",
        "A3;浙江;杭州;310000;0;Monat;29,90;Neu;N/A;N/A",
        "A4;浙江;杭州;310002;14;Monat;39,90;Geblieben;N/A;N/A",
        "A5;浙江;杭州;310000;30;Jahr;49,90;Geblieben;N/A;N/A",
        "A6;浙江;杭州;310003;26;Jahr;N/A;Geblieben;N/A;N/A",
        "B1;浙江;宁波;315000;2;Monat;29,90;Gekündigt;Competitor;Besseres Angebot",
        "B2;浙江;宁波;315000;8;Monat;29,90;Geblieben;N/A;N/A",
        "B3;浙江;宁波;315001;40;Jahr;59,90;Gekündigt;Umzug;N/A",
        "B4;浙江;宁波;315001;13;Jahr;49,90;Geblieben;N/A;N/A",
    ];

    private static readonly ReportViewer Everyone = new("tester",
        new HashSet<string> { "leader", "city_manager", "analyst", "user", "supervisor", "administrator" }, RegionScope.WholeProvince, "en", false);

    [Fact]
    public void A_foreign_churn_snapshot_reaches_the_fixed_report_and_the_cube_with_the_right_numbers_and_its_own_region_scope()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var definitions = Directory.CreateTempSubdirectory("ra-core-contracts-").FullName;
        File.WriteAllText(Path.Combine(definitions, "partner_churn.yaml"), Contract);
        var shipped = Directory.GetFiles(Path.Combine(PortalHost.RepositoryRoot, "etl", "contracts"), "*.yaml");
        var contracts = ContractCatalog.Load(shipped.Append(Path.Combine(definitions, "partner_churn.yaml")));
        Assert.Empty(contracts.Problems);
        using var w = new TestWarehouse(contracts);
        var file = Path.Combine(w.Inbox(), "kundenabgang.csv");
        File.WriteAllBytes(file, Encoding.GetEncoding("gbk").GetBytes(string.Join("\r\n", Rows) + "\r\n"));

        var load = w.Loader.LoadFile(file);
        new TransformRunner(w.Db, contracts).Run();

        Assert.Equal(("loaded", 10L, 0L), (load.Status, load.RowsLoaded, load.RowsRejected));
        var requirements = new DataRequirements(w.Db, contracts);
        var engine = new ReportEngine(w.Db, ReportCatalog.Load(ReportCatalog.FolderOf(w.Db.Options), w.Db.Sql), requirements);
        var report = engine.Run("churn_by_plan", new Dictionary<string, string>(), Everyone);
        Assert.Equal([("Jahr", 4L, 1L, 0.25), ("Monat", 6L, 3L, 0.5)], PlanTotals(report));

        var hangzhou = Everyone with { Scope = RegionScope.ForCities(["杭州"]) };
        var scoped = engine.Run("churn_by_plan", new Dictionary<string, string>(), hangzhou);
        Assert.Equal([("Jahr", 2L, 0L, 0.0), ("Monat", 4L, 2L, 0.5)], PlanTotals(scoped));
        Assert.All(scoped.Rows.Where(r => r.Kind == ExportRowKind.Data), r => Assert.Equal("杭州", r.Cells[scoped.Column("city_code").Index]));

        var cubes = new CubeService(w.Db, CubeCatalog.LoadFolder(Path.Combine(PortalHost.RepositoryRoot, "reports", "cubes")), requirements);
        var pivot = cubes.Run(new PivotRequest("subscriber_month", [new AxisLevel("plan", "plan")], [], ["churned", "churn_rate"]),
            RegionScope.WholeProvince, "en");
        var byPlan = pivot.Rows.Select((m, i) => (m.Keys[0], pivot.RowTotals[i][0], pivot.RowTotals[i][1])).OrderBy(r => r.Item1).ToList();
        Assert.Equal([("Jahr", (double?)1, (double?)0.25), ("Monat", 3, 0.5)], byPlan);
        var scopedPivot = cubes.Run(new PivotRequest("subscriber_month", [new AxisLevel("region", "city")], [], ["churned"]),
            RegionScope.ForCities(["宁波"]), "en");
        Assert.Equal(["宁波"], scopedPivot.Rows.Select(m => m.Keys[0]));

        // the delivered categories sit in the churn-reason dimension beside the agents' reasons: Competitor is theirs
        var reasons = w.Query<(string Source, string? ReasonId, string Category)>(
            "select source, reason_id, category_name_en from dw.dim_churn_reason where source = 'delivered' order by 3");
        Assert.Equal([("delivered", "competitor", "Better offer from a competitor"), ("delivered", null, "Preis"), ("delivered", null, "Umzug")], reasons);
        Assert.Equal(6, w.Scalar<long>("select count(*) from dw.dim_region where region_level = 'district' and province_code = '浙江'"));
        Directory.Delete(definitions, recursive: true);
    }

    [Fact]
    public void Two_core_sources_delivered_on_different_days_of_one_month_both_reach_the_monthly_snapshot()
    {
        var definitions = Directory.CreateTempSubdirectory("ra-core-contracts-").FullName;
        string Source(string extract, string header) => $$"""
            extract: {{extract}}
            target: subscription
            file_pattern: '^{{extract}}_(?<date>\d{8})\.csv$'
            date_format: yyyyMMdd
            keys: [subscriber_id]
            columns:
              - { name: subscriber_id, source: {{header}}, required: true }
              - { name: status, source: STATUS, required: true, allowed: [active, suspended, churned] }
              - { name: activation_date, source: SINCE, type: date, required: true }
              - { name: city_code, source: CITY, required: true }
            """;
        File.WriteAllText(Path.Combine(definitions, "crm.yaml"), Source("crm", "TN"));
        File.WriteAllText(Path.Combine(definitions, "billing.yaml"), Source("billing", "ACCOUNT"));
        var shipped = Directory.GetFiles(Path.Combine(PortalHost.RepositoryRoot, "etl", "contracts"), "*.yaml");
        var contracts = ContractCatalog.Load(shipped.Concat(Directory.GetFiles(definitions)));
        Assert.Empty(contracts.Problems);
        using var w = new TestWarehouse(contracts);
        var inbox = w.Inbox();
        // one system delivers at the month end, the other on the month's last working day
        File.WriteAllText(Path.Combine(inbox, "crm_20261031.csv"), "TN,STATUS,SINCE,CITY\nC1,active,2025-01-01,571\n");
        File.WriteAllText(Path.Combine(inbox, "billing_20261030.csv"), "ACCOUNT,STATUS,SINCE,CITY\nB1,active,2025-02-01,571\nB2,churned,2024-02-01,571\n");

        Assert.All(w.Loader.LoadDirectory(inbox), r => Assert.Equal("loaded", r.Status));
        new TransformRunner(w.Db, contracts).Run();

        Assert.Equal(["2026-10-01|B1", "2026-10-01|B2", "2026-10-01|C1"],
            w.Query<string>("select strftime(month, '%Y-%m-%d') || '|' || subscriber_id from dw.subscription_month_end order by all"));
        Assert.Equal(3, w.Scalar<long>("select count(*) from dw.fct_subscriber_month where month = date '2026-10-01'"));
    }

    [Fact]
    public void A_subscriber_two_core_sources_both_deliver_in_a_month_is_one_row_of_the_newer_snapshot()
    {
        var definitions = Directory.CreateTempSubdirectory("ra-core-contracts-").FullName;
        string Source(string extract) => $$"""
            extract: {{extract}}
            target: subscription
            file_pattern: '^{{extract}}_(?<date>\d{8})\.csv$'
            date_format: yyyyMMdd
            keys: [subscriber_id]
            columns:
              - { name: subscriber_id, source: ID, required: true }
              - { name: status, source: STATUS, required: true, allowed: [active, suspended, churned] }
              - { name: activation_date, source: SINCE, type: date, required: true }
              - { name: city_code, source: CITY, required: true }
            """;
        File.WriteAllText(Path.Combine(definitions, "crm.yaml"), Source("crm"));
        File.WriteAllText(Path.Combine(definitions, "billing.yaml"), Source("billing"));
        var shipped = Directory.GetFiles(Path.Combine(PortalHost.RepositoryRoot, "etl", "contracts"), "*.yaml");
        var contracts = ContractCatalog.Load(shipped.Concat(Directory.GetFiles(definitions)));
        using var w = new TestWarehouse(contracts);
        var inbox = w.Inbox();
        File.WriteAllText(Path.Combine(inbox, "billing_20261030.csv"), "ID,STATUS,SINCE,CITY\nS1,active,2025-01-01,571\nS2,active,2025-01-01,571\n");
        File.WriteAllText(Path.Combine(inbox, "crm_20261031.csv"), "ID,STATUS,SINCE,CITY\nS1,churned,2025-01-01,571\n");

        Assert.All(w.Loader.LoadDirectory(inbox), r => Assert.Equal("loaded", r.Status));
        new TransformRunner(w.Db, contracts).Run();

        Assert.Equal(["S1|churned", "S2|active"],
            w.Query<string>("select subscriber_id || '|' || status from dw.fct_subscriber_month where month = date '2026-10-01' order by all"));
        Assert.Equal(2, w.Scalar<long>("select count(*) from mart.cube_subscriber_month where month = date '2026-10-01'"));
    }

    [Fact]
    public void On_an_ibm_only_warehouse_and_on_an_empty_one_every_report_and_cube_gives_a_result_or_names_what_it_needs()
    {
        using var ibm = new TestWarehouse();
        Assert.Equal("loaded", ibm.Loader.LoadFile(TelcoChurnLoadTests.SampleFile).Status);
        new TransformRunner(ibm.Db, ibm.Contracts).Run();
        var ibmMissing = Outcomes(ibm);
        Assert.Contains(ibmMissing, o => o.Id == "report churn_by_plan" && o.Missing == "");
        Assert.Contains(ibmMissing, o => o.Id == "report kpi_overview" && o.Missing == "");
        Assert.Contains(ibmMissing, o => o.Id == "report balance_risk" && o.Missing == "needs balance: not delivered");
        Assert.Contains(ibmMissing, o => o.Id == "cube subscriber_month" && o.Missing == "");

        using var empty = new TestWarehouse();
        RetentionAnalytics.Core.Warehouse.Migrator.Apply(empty.Db);
        Assert.All(Outcomes(empty), o => Assert.StartsWith("needs subscription: not delivered", o.Missing));
    }

    /// <summary>
    /// The IBM Telco sample holds one city, so each plan is a group of one row: the CSV export shows each plan once (no
    /// subtotal repeating it) and still ends with the grand total.
    /// </summary>
    [Fact]
    public void On_the_one_city_ibm_sample_the_churn_by_plan_csv_shows_each_plan_once_and_the_total()
    {
        using var ibm = new TestWarehouse();
        Assert.Equal("loaded", ibm.Loader.LoadFile(TelcoChurnLoadTests.SampleFile).Status);
        new TransformRunner(ibm.Db, ibm.Contracts).Run();
        var engine = new ReportEngine(ibm.Db, ReportCatalog.Load(ReportCatalog.FolderOf(ibm.Db.Options), ibm.Db.Sql), new DataRequirements(ibm.Db, ibm.Contracts));
        var report = engine.Run("churn_by_plan", new Dictionary<string, string>(), Everyone);
        var csv = new MemoryStream();
        new Exporter(new RetentionAnalytics.Core.Audit.AuditLog(ibm.Db)).Export(report.ToExportTable(), ExportFileType.Csv, csv, new ExportAudit("leader", "report:churn_by_plan"));

        var lines = Exports.LibreOffice.ParseCsv(Encoding.UTF8.GetString(csv.ToArray()[3..]));
        var header = lines.FindIndex(l => l[0] == "Plan or contract");
        var body = lines[(header + 1)..];
        var plans = report.Rows.Where(r => r.Kind == ExportRowKind.Data).Select(r => (string)r.Cells[report.Column("plan_name").Index]!).ToList();
        Assert.True(plans.Count > 1);
        Assert.Equal(plans.Append("Total"), body.Select(l => l[0]));
        Assert.DoesNotContain(body, l => l.Contains("Subtotal"));
    }

    /// <summary>Every report and cube for a viewer of every role: "" when it ran, else what it needs.</summary>
    private static List<(string Id, string Missing)> Outcomes(TestWarehouse w)
    {
        var requirements = new DataRequirements(w.Db, w.Contracts);
        var catalog = ReportCatalog.Load(ReportCatalog.FolderOf(w.Db.Options), w.Db.Sql);
        var engine = new ReportEngine(w.Db, catalog, requirements);
        var outcomes = new List<(string, string)>();
        foreach (var report in catalog.All)
        {
            outcomes.Add(($"report {report.Id}", Attempt(() => engine.Run(report.Id, new Dictionary<string, string>(), Everyone))));
        }
        var cubes = new CubeService(w.Db, CubeCatalog.LoadFolder(Path.Combine(PortalHost.RepositoryRoot, "reports", "cubes")), requirements);
        foreach (var cube in cubes.Catalog.All)
        {
            var request = new PivotRequest(cube.Id, [new AxisLevel(cube.Dimensions[0].Id, cube.Dimensions[0].Levels[0].Id)], [],
                cube.Measures.Select(m => m.Id).ToList());
            outcomes.Add(($"cube {cube.Id}", Attempt(() => cubes.Run(request, RegionScope.WholeProvince, "de"))));
        }
        return outcomes;
    }

    private static string Attempt(Action run)
    {
        try
        {
            run();
            return "";
        }
        catch (DataNotDeliveredException ex)
        {
            return string.Join("; ", ex.Missing);
        }
    }

    /// <summary>Each plan's subtotal row, or its only row where the plan has one (a group of one row has no subtotal).</summary>
    private static List<(string Plan, long Subscribers, long Churned, double Rate)> PlanTotals(ReportResult report)
    {
        int At(string name) => report.Column(name).Index;
        var groups = report.Rows.Where(r => r.Kind != ExportRowKind.Total).GroupBy(r => (string)r.Cells[At("plan_name")]!);
        return groups.Select(g => g.SingleOrDefault(r => r.Kind == ExportRowKind.Subtotal) ?? g.Single())
            .Select(r => ((string)r.Cells[At("plan_name")]!, Convert.ToInt64(r.Cells[At("subscribers")]),
                Convert.ToInt64(r.Cells[At("churned")]), Math.Round(Convert.ToDouble(r.Cells[At("churn_rate")]), 4)))
            .OrderBy(r => r.Item1)
            .ToList();
    }
}
