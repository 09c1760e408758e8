using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.Model;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;
using RetentionAnalytics.Tests.Warehouse;

namespace RetentionAnalytics.Tests.Reports;

/// <summary>
/// The sample province loaded once, then what the nightly pipeline writes after a load: churn scores, every
/// detector's alerts and the call lists; plus some worked tasks (contacts with outcomes), so that every report
/// of the catalogue has rows to total.
/// </summary>
public sealed class ReportsFixture : IDisposable
{
    private readonly SampleProvinceFixture _sample = new();

    public TestWarehouse Warehouse => _sample.Warehouse;
    public Db Db => Warehouse.Db;
    public ReportCatalog Catalog { get; }
    public ReportEngine Engine { get; }
    public DateOnly LatestMonth { get; }

    public static readonly ReportViewer Leader = new("leader", new HashSet<string> { "leader" }, RegionScope.WholeProvince, "en", false);
    public static readonly ReportViewer Analyst = new("analyst", new HashSet<string> { "analyst" }, RegionScope.WholeProvince, "en", false);
    public static readonly ReportViewer ManagerHz = new("manager.hz", new HashSet<string> { "city_manager" }, RegionScope.ForCities(["571"]), "zh", false);
    public static readonly ReportViewer Unscoped = new("nobody", new HashSet<string> { "leader", "analyst", "supervisor" }, RegionScope.None, "en", false);
    public static readonly ReportViewer SupervisorHz = new("supervisor.hz", new HashSet<string> { "supervisor" }, RegionScope.ForCities(["571"]), "en", true);

    public ReportsFixture()
    {
        Catalog = ReportCatalog.Load(ReportCatalog.FolderOf(Db.Options), Db.Sql);
        Engine = new ReportEngine(Db, Catalog);
        LatestMonth = Warehouse.Scalar<DateOnly>("select as_of_month from dw.as_of");

        var models = new ChurnModels(Db);
        new ChurnScoreStep(models, new ChurnTrainer(Db, models), new ChurnScorer(Db, models)).Run(null, CancellationToken.None);
        var audit = new AuditLog(Db);
        var scenarios = ScenarioCatalog.Load(Db.Sql);
        new DetectorRunner(Db, scenarios, new ScenarioParameters(Db, scenarios, audit), new CustomRules(Db, audit), audit).Run(LatestMonth);
        new TaskGenerator(Db, new TeamSeeder(Db)).Generate(LatestMonth, new CallListOptions { Today = LatestMonth.AddMonths(1).AddDays(4) });
        WorkSomeTasks();
        SeedEvaluatedCampaign();
    }

    public const long EvaluatedCampaignId = 900001;

    /// <summary>
    /// A campaign three months before the newest month, so that retention after 30, 60 and 90 days is observable:
    /// 300 subscribers of Hangzhou and Ningbo active in that month, every third one held back as control.
    /// </summary>
    private void SeedEvaluatedCampaign()
    {
        using var c = Db.Connect();
        c.Execute("""
            insert into ops.campaign (campaign_id, campaign_key, name, kind, scenario_id, period, holdout_pct, seed, status, created_at, created_by)
            values ($id, 'evaluated:test', 'Evaluated campaign', 'retention', null, $period, 0.33, 'test', 'closed', now(), 'test');
            insert into ops.campaign_member (campaign_id, subscriber_id, city_code, member_group, risk_score, added_at, scenario_ids, value_tier)
            select $id, subscriber_id, city_code, case when n % 3 = 0 then 'control' else 'treated' end, 0.5, now(), 's13_churn_warning', value_tier
            from (
                select subscriber_id, city_code, value_tier, row_number() over (order by subscriber_id) as n
                from dw.fct_subscriber_month
                where month = $period and is_active and city_code in ('571', '574')
                order by subscriber_id
                limit 300
            );
            """, new { id = EvaluatedCampaignId, period = LatestMonth.AddMonths(-3) });
        CampaignTitles.Refresh(c, Db);
    }

    /// <summary>
    /// Agents' work as the workbench records it: of each assigned agent's tasks, every second was called; of those,
    /// every second reached the customer; of those, every second was retained.
    /// </summary>
    private void WorkSomeTasks()
    {
        using var c = Db.Connect();
        c.Execute("""
            create temp table worked as
            select task_id, subscriber_id, campaign_id, assigned_to,
                   row_number() over (partition by assigned_to order by task_id) as n
            from ops.task where assigned_to is not null;
            insert into ops.contact (contact_id, subscriber_id, channel, contact_time, task_id, username, outcome, result, campaign_id)
            select nextval('ops.contact_id_seq'), subscriber_id, 'call', timestamp '2026-11-03 10:00:00', task_id, assigned_to,
                   case when n % 4 = 0 then 'reached' else 'no_answer' end,
                   case when n % 8 = 0 then 'retained' when n % 4 = 0 then 'refused' end,
                   campaign_id
            from worked where n % 2 = 0;
            update ops.task set attempts = 1, last_attempt_at = timestamp '2026-11-03 10:00:00',
                status = case when task_id in (select task_id from worked where n % 4 = 0) then 'done' else 'callback' end,
                result = case when task_id in (select task_id from worked where n % 8 = 0) then 'retained'
                              when task_id in (select task_id from worked where n % 4 = 0) then 'refused' end
            where task_id in (select task_id from worked where n % 2 = 0);
            drop table worked;
            """);
    }

    public void Dispose() => _sample.Dispose();
}

[CollectionDefinition(Name)]
public sealed class ReportsCollection : ICollectionFixture<ReportsFixture>
{
    public const string Name = "reports on the sample province";
}
