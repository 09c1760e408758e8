using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Tests.Support;
using RetentionAnalytics.Tests.Warehouse;

namespace RetentionAnalytics.Tests.Customers;

/// <summary>
/// The sample province loaded once for the customer tests, plus what the detectors and the call lists would
/// have written about one subscriber of Hangzhou (571): two alerts in two periods, a task and two contacts.
/// The focus subscriber is picked by SQL as the 571 line with the most kinds of data, not hard-coded.
/// </summary>
public sealed class CustomersFixture : IDisposable
{
    private readonly SampleProvinceFixture _sample = new();

    public TestWarehouse Warehouse => _sample.Warehouse;
    public AuditLog Audit { get; }
    public CustomerSearch Search { get; }
    public Customer360 View { get; }

    /// <summary>An active 571 subscriber with agreements, vas orders, service contacts, bills and usage.</summary>
    public string Focus { get; }

    public DateOnly NewestAlertPeriod { get; }

    public static readonly CustomerViewer AgentHangzhou = new("agent.hz1", RegionScope.ForCities(["571"]), true, "10.0.0.7");
    public static readonly CustomerViewer ManagerNingbo = new("manager.nb", RegionScope.ForCities(["574"]), false, "10.0.0.8");
    public static readonly CustomerViewer Analyst = new("analyst", RegionScope.WholeProvince, false, "10.0.0.9");

    public CustomersFixture()
    {
        Audit = new AuditLog(Warehouse.Db);
        Search = new CustomerSearch(Warehouse.Db);
        View = new Customer360(Warehouse.Db, Audit);

        Focus = Warehouse.Scalar<string>("""
            select subscriber.subscriber_id
            from dw.dim_subscriber as subscriber
            where subscriber.is_current and subscriber.city_code = '571' and subscriber.status = 'active'
            order by
                (select count(*) > 0 from dw.fct_agreement as a where a.subscriber_id = subscriber.subscriber_id)::int
                + (select count(*) > 0 from dw.fct_vas_order as v where v.subscriber_id = subscriber.subscriber_id)::int
                + (select count(*) > 0 from dw.fct_service_contact as s where s.subscriber_id = subscriber.subscriber_id)::int
                + (select count(*) > 0 from dw.points_balance as p where p.subscriber_id = subscriber.subscriber_id)::int
                + (select count(*) > 0 from dw.fct_payment as p where p.subscriber_id = subscriber.subscriber_id)::int
                + (select count(*) > 0 from dw.fct_recharge as r where r.subscriber_id = subscriber.subscriber_id)::int
                + (select count(*) > 1 from dw.dim_subscriber as h where h.subscriber_id = subscriber.subscriber_id)::int desc,
                subscriber.subscriber_id
            limit 1
            """);
        NewestAlertPeriod = Warehouse.Scalar<DateOnly>("select as_of_month from dw.as_of");
        SeedDetectorsAndCallLists();
    }

    private void SeedDetectorsAndCallLists()
    {
        using var c = Warehouse.Db.Connect();
        Dapper.SqlMapper.Execute(c, """
            insert into det.scenario values
                ('s04_bill_drop', 'scenario', 'High/mid-value sudden bill drop', 'Plötzlicher Rechnungsrückgang', '中高端话费突减预警',
                 null, 'high,mid', 1, 'call', true),
                ('s08_contract_expiry', 'scenario', 'Contract expiry warning', 'Vertragsablauf-Warnung', '政策到期用户预警',
                 null, null, 2, 'both', true);
            insert into det.alert values
                ('s04_bill_drop', $newest, $focus, '571', 'high', 0.9, 'bill 3-month average 128.40 -> this month 41.20, -68%', null, 'h', 1, now()),
                ('s08_contract_expiry', cast($newest - interval 1 month as date), $focus, '571', 'high', 0.5, 'contract ends in 20 days', null, 'h', 1, now()),
                ('s08_contract_expiry', cast($newest - interval 6 month as date), $focus, '571', 'high', 0.5, 'too old to show', null, 'h', 1, now()),
                ('s04_bill_drop', $newest, 'S-OTHER', '574', 'high', 0.7, 'another subscriber', null, 'h', 1, now());
            insert into ops.campaign (campaign_id, campaign_key, name, kind, scenario_id, period, holdout_pct, seed, status, created_at, created_by) values
                (41, 's04_bill_drop:' || strftime($newest, '%Y-%m'), 'Bill drop ' || strftime($newest, '%Y-%m'), 'scenario',
                 's04_bill_drop', $newest, 0.1, 'seed', 'open', now(), 'system');
            insert into ops.task (task_id, campaign_id, subscriber_id, city_code, value_tier, priority_score, scenario_ids, status, team_id, assigned_to,
                                  due_date, attempts, version, created_at, updated_at) values
                (501, 41, $focus, '571', 'high', 0.9, 's04_bill_drop', 'assigned', 'T571-RET', 'agent.hz1', cast($newest + interval 10 day as date),
                 1, 1, now(), now()),
                (502, 41, 'S-OTHER', '574', 'high', 0.7, 's04_bill_drop', 'open', null, null, null, 0, 0, now(), now());
            insert into ops.contact (contact_id, subscriber_id, channel, contact_time, task_id, username, outcome) values
                (9001, $focus, 'call', timestamp '2026-10-20 10:15:00', 501, 'agent.hz1', 'callback'),
                (9002, $focus, 'sms', timestamp '2026-10-21 09:00:00', 501, 'agent.hz1', 'sent'),
                (9003, 'S-OTHER', 'sms', timestamp '2026-10-21 09:00:00', 502, 'agent.hz1', 'sent');
            """, new { focus = Focus, newest = NewestAlertPeriod });
        CampaignTitles.Refresh(c, Warehouse.Db);
    }

    public void Dispose() => _sample.Dispose();
}

[CollectionDefinition(Name)]
public sealed class CustomersCollection : ICollectionFixture<CustomersFixture>
{
    public const string Name = "customers";
}
