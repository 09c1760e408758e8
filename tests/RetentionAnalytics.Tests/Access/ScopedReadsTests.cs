using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Portal.Features.Access;
using RetentionAnalytics.Portal.Features.CallLists;
using RetentionAnalytics.Portal.Features.Overview;
using RetentionAnalytics.Portal.Features.Shared.Access;
using RetentionAnalytics.Portal.Features.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Access;

/// <summary>The start pages' reads, given rows → expected rows, for each kind of scope.</summary>
public sealed class ScopedReadsTests : IDisposable
{
    private readonly TestWarehouse _warehouse = new();

    public ScopedReadsTests()
    {
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        using var c = _warehouse.Db.Connect();
        // the mart's columns as the transform builds them; three cities and the province row for two months
        c.Execute("""
            create table mart.mart_retention_kpi_city_month as
            select * from (values
                ('2026-09', '571', 'Hangzhou', '杭州', false, 1000, 990, 1000, 10, 0.01, 5, -5, 900, 880, 0.9778, 99000.0, 100.0),
                ('2026-09', '574', 'Ningbo',   '宁波', false,  500, 480,  500, 20, 0.04, 0, -20, 450, 430, 0.9556, 43200.0,  90.0),
                ('2026-09', 'ALL', 'Zhejiang', '浙江', true,  1500, 1470, 1500, 30, 0.02, 5, -25, 1350, 1310, 0.9704, 142200.0, 96.73),
                ('2026-10', '571', 'Hangzhou', '杭州', false, 990, 970,  990, 20, 0.0202, 0, -20, 900, 860, 0.9556, 97000.0, 100.0),
                ('2026-10', '574', 'Ningbo',   '宁波', false, 480, 470,  480, 10, 0.0208, 0, -10, 450, 420, 0.9333, 42300.0,  90.0),
                ('2026-10', 'ALL', 'Zhejiang', '浙江', true,  1470, 1440, 1470, 30, 0.0204, 0, -30, 1350, 1280, 0.9481, 139300.0, 96.74)
            ) as t(year_month, city_code, city_name, city_name_zh, is_province_total, subscribers, active_subscribers,
                   active_previous_month, churned, churn_rate, new_activations, net_adds, base_size, base_retained,
                   retention_rate, revenue, arpu)
            """);
        c.Execute("""
            insert into ops.campaign (campaign_id, campaign_key, name, kind, scenario_id, period, holdout_pct, seed, status, created_at, created_by) values (1, 'retention:2026-10', 'October retention', 'retention', null, date '2026-10-01', 0.1, 's', 'open', now(), 'system');
            insert into ops.task (task_id, campaign_id, subscriber_id, city_code, value_tier, priority_score, scenario_ids, status, team_id, assigned_to, due_date, attempts, created_at, updated_at) values
                (1, 1, 'S1', '571', 'high', 0.9, 's04_bill_drop,s08_contract_expiry', 'assigned', 'T571-RET', 'agent.hz1', date '2026-11-05', 0, now(), now()),
                (2, 1, 'S2', '571', 'mid',  0.5, 's08_contract_expiry', 'assigned', 'T571-RET', 'agent.hz1', null, 1, now(), now()),
                (3, 1, 'S3', '571', 'high', 0.9, 's05_arrears', 'done', 'T571-RET', 'agent.hz1', date '2026-11-01', 2, now(), now()),
                (4, 1, 'S4', '571', 'low',  0.7, 's05_arrears', 'open', 'T571-RET', 'agent.hz2', null, 0, now(), now()),
                (5, 1, 'S5', '574', 'high', 0.99, 's05_arrears', 'assigned', 'T574-RET', 'agent.hz1', null, 0, now(), now());
            """);
        CampaignTitles.Refresh(c, _warehouse.Db);
    }

    private OverviewQueries Overview => new(_warehouse.Db, new WarehouseCatalog(_warehouse.Db));

    [Fact]
    public void A_city_manager_sees_their_city_rows_only_and_never_the_province_row()
    {
        var rows = Overview.Kpis(RegionScope.ForCities(["574"]));

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal("574", r.CityCode));
    }

    [Fact]
    public void A_province_scope_sees_every_city_and_the_province_row()
    {
        var rows = Overview.Kpis(RegionScope.WholeProvince);

        Assert.Equal(["571", "574", "ALL"], rows.Select(r => r.CityCode).Distinct().Order());
        Assert.Equal(6, rows.Count);
    }

    [Fact]
    public void No_scope_reads_no_rows()
    {
        Assert.Empty(Overview.Kpis(RegionScope.None));
        Assert.Empty(new CallListQueries(_warehouse.Db).Summary(RegionScope.None));
    }

    [Fact]
    public void The_cards_use_the_province_row_for_a_province_scope()
    {
        var latest = OverviewQueries.Totals(Overview.Kpis(RegionScope.WholeProvince)).Last();

        Assert.Equal(new KpiTotals("2026-10", 1470, 1440, 30, 0.0204, -30, 0.9481, 96.74), latest);
    }

    [Fact]
    public void The_cards_of_several_cities_recompute_the_rates_from_the_summed_counts()
    {
        var latest = OverviewQueries.Totals(Overview.Kpis(RegionScope.ForCities(["571", "574"]))).Last();

        Assert.Equal("2026-10", latest.YearMonth);
        Assert.Equal(1470, latest.Subscribers);
        Assert.Equal(30.0 / 1470, latest.ChurnRate!.Value, 6);
        Assert.Equal(1280.0 / 1350, latest.RetentionRate!.Value, 6);
        Assert.Equal(Math.Round(139300.0 / 1440, 2), latest.Arpu);
        Assert.Equal(-30, latest.NetAdds);
    }

    [Fact]
    public void The_call_list_overview_counts_only_tasks_in_scope()
    {
        var counts = new CallListQueries(_warehouse.Db).Summary(RegionScope.ForCities(["571"]));

        long Count(string dimension, string value) => counts.Single(c => c.Dimension == dimension && c.Value == value).Tasks;
        Assert.Equal(3, Count("agent", "agent.hz1"));
        Assert.Equal(1, Count("agent", "agent.hz2"));
        Assert.Equal(4, Count("city", "571"));
        Assert.DoesNotContain(counts, c => c.Value == "574" || c.Value == "T574-RET");
        Assert.Equal(2, Count("scenario", "s08_contract_expiry"));
        Assert.Equal(2, Count("scenario", "s05_arrears"));
        Assert.Equal(2, Count("status", "assigned"));
        Assert.Equal(0, counts.Single(c => c is { Dimension: "status", Value: "done" }).OpenTasks);
        Assert.Equal(4, Count("campaign", "October retention (open)"));
    }

    [Theory]
    [InlineData(new[] { PortalRoles.ProvincialLeader }, "/overview")]
    [InlineData(new[] { PortalRoles.CityManager }, "/overview")]
    [InlineData(new[] { PortalRoles.GeneralUser }, "/overview")]
    [InlineData(new[] { PortalRoles.Analyst }, "/overview")]
    [InlineData(new[] { PortalRoles.Supervisor }, "/call-lists")]
    [InlineData(new[] { PortalRoles.Agent }, "/my-tasks")]
    [InlineData(new[] { PortalRoles.Administrator }, "/operations")]
    [InlineData(new[] { PortalRoles.Agent, PortalRoles.Analyst }, "/overview")]
    [InlineData(new string[0], "/status/403")]
    public void Each_role_starts_on_its_own_page(string[] roles, string start)
    {
        Assert.Equal(start, StartPages.For(roles.ToHashSet()));
    }

    public void Dispose() => _warehouse.Dispose();
}
