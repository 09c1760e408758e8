using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Cubes;
using RetentionAnalytics.Tests.Support;
using RetentionAnalytics.Tests.Warehouse;

namespace RetentionAnalytics.Tests.Cubes;

/// <summary>
/// The sample province loaded once, plus operations rows for the operations cube: alerts of two scenarios on the newest
/// month's active subscribers, tasks for part of them, and call contacts with outcomes, results and churn reasons
/// spread over the rows by subscriber id (set-based, so the expected figures are computed by SQL, not typed in).
/// </summary>
public sealed class CubesFixture : IDisposable
{
    private readonly SampleProvinceFixture _sample = new();

    public TestWarehouse Warehouse => _sample.Warehouse;
    public CubeCatalog Catalog { get; }
    public CubeService Cubes { get; }
    public CubeViews Views { get; }
    public CubeViewRenderer Renderer { get; }

    public static readonly RegionScope Hangzhou = RegionScope.ForCities(["571"]);

    public CubesFixture()
    {
        Catalog = CubeCatalog.LoadFolder(Path.Combine(PortalHost.RepositoryRoot, "reports", "cubes"));
        Cubes = new CubeService(Warehouse.Db, Catalog);
        Views = new CubeViews(Warehouse.Db, Catalog);
        Renderer = new CubeViewRenderer(Cubes, Views);
        SeedOperations();
    }

    private void SeedOperations()
    {
        using var c = Warehouse.Db.Connect();
        c.Execute("""
            insert into det.scenario values
                ('s04_bill_drop', 'scenario', 'Bill drop', 'Rechnungsrückgang', '话费突减', null, 'high,mid', 1, 'call', true),
                ('s08_contract_expiry', 'scenario', 'Contract expiry', 'Vertragsablauf', '合约到期', null, null, 2, 'both', true);
            insert into det.alert
            select
                case when hash(subscriber_id) % 3 = 0 then 's08_contract_expiry' else 's04_bill_drop' end,
                month, subscriber_id, city_code, value_tier, 0.5, 'seeded', null, 'h', 1, now()
            from dw.fct_subscriber_month
            where month = (select max(month) from dw.fct_subscriber_month) and is_active and hash(subscriber_id) % 4 = 0;
            insert into ops.campaign (campaign_id, campaign_key, name, kind, scenario_id, period, holdout_pct, seed, status, created_at, created_by)
            select row_number() over (order by scenario_id), scenario_id || ':m', scenario_id, 'scenario', scenario_id, max(period),
                   0.1, 'seed', 'open', now(), 'system'
            from det.alert group by scenario_id;
            insert into ops.task (task_id, campaign_id, subscriber_id, city_code, value_tier, priority_score, scenario_ids, status,
                                  team_id, assigned_to, due_date, attempts, version, created_at, updated_at)
            select row_number() over (order by alert.subscriber_id), campaign.campaign_id, alert.subscriber_id, alert.city_code,
                   alert.value_tier, 0.5, alert.scenario_id, 'done', 'T' || alert.city_code || '-RET',
                   case when hash(alert.subscriber_id) % 2 = 0 then 'agent.hz1' else 'agent.hz2' end,
                   null, 1, 0, now(), now()
            from det.alert as alert
            inner join ops.campaign as campaign on campaign.scenario_id = alert.scenario_id
            where hash(alert.subscriber_id) % 8 = 0;
            insert into ops.contact (contact_id, subscriber_id, channel, contact_time, task_id, username, outcome, result, churn_reason_id, campaign_id)
            select row_number() over (order by task_id), subscriber_id, 'call', timestamp '2026-10-20 10:00:00', task_id, assigned_to,
                   case when hash(subscriber_id) % 5 = 0 then 'no_answer' else 'reached' end,
                   case when hash(subscriber_id) % 5 = 0 then null
                        when hash(subscriber_id) % 3 = 0 then 'retained'
                        when hash(subscriber_id) % 3 = 1 then 'refused'
                        else 'accepted_offer' end,
                   case when hash(subscriber_id) % 3 = 1 then 'price' when hash(subscriber_id) % 7 = 1 then 'coverage' end,
                   campaign_id
            from ops.task;
            """);
    }

    public void Dispose() => _sample.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CubesCollection : ICollectionFixture<CubesFixture>
{
    public const string Name = "cubes on the sample province";
}
