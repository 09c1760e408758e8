using RetentionAnalytics.Core.Transforms;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>The whole sample province, end to end: every delivered row accounted for, the warehouse built and consistent.</summary>
public sealed class SampleProvinceTests(SampleProvinceFixture sample) : IClassFixture<SampleProvinceFixture>
{
    [Fact]
    public void Every_delivered_row_is_loaded_or_rejected_and_the_rejects_are_exactly_the_known_defects()
    {
        var files = Directory.GetFiles(SampleProvinceFixture.SampleFolder, "*.csv");
        Assert.Equal(files.Length, sample.Result.Files.Count);
        Assert.All(sample.Result.Files, f =>
        {
            Assert.Equal("loaded", f.Status);
            Assert.Equal(f.RowsRead, f.RowsLoaded + f.RowsRejected);
        });

        // the generator documents every bad row it injected: the loader must find those and no others
        var defects = File.ReadLines(Path.Combine(SampleProvinceFixture.SampleFolder, "_truth", "defects.csv")).Skip(1)
            .Select(l => l.Split(',')).Select(f => (File: f[0], Line: long.Parse(f[1]))).Order().ToList();
        var rejected = sample.Warehouse.Query<(string File, long Line)>("select file_name, line_number from meta.rejected_row order by all");
        Assert.Equal(defects, rejected);

        // and every other data line is in staging
        Assert.Equal(files.Sum(CountRecords), sample.Result.Files.Sum(f => f.RowsRead));

        // what the audit says was loaded is what staging holds, and nothing a contract forbids got in
        foreach (var extract in sample.Result.Files.Select(f => f.Extract).Distinct())
        {
            Assert.Equal(
                sample.Result.Files.Where(f => f.Extract == extract).Sum(f => f.RowsLoaded),
                sample.Warehouse.Scalar<long>($"select count(*) from stg.{extract}"));
        }
        Assert.Empty(sample.Warehouse.Query<string>("select extract || '.' || check_name || '.' || column_name from meta.dq_result where status = 'fail'"));
    }

    /// <summary>Data records counted by RFC 4180 rules: a line break inside quotes does not end a record.</summary>
    private static long CountRecords(string file)
    {
        // GBK and GB18030 never use the bytes of quote, comma or line feed inside a character: bytes suffice
        long records = 0;
        var quoted = false;
        var pending = false;
        foreach (var b in File.ReadAllBytes(file))
        {
            if (b == (byte)'"')
            {
                quoted = !quoted;
            }
            if (b == (byte)'\n' && !quoted)
            {
                records += pending ? 1 : 0;
                pending = false;
            }
            else if (b != (byte)'\r')
            {
                pending = true;
            }
        }
        records += pending ? 1 : 0;
        return records - 1;
    }

    [Fact]
    public void The_monthly_snapshot_fact_has_one_row_per_subscriber_and_month_as_delivered()
    {
        Assert.Equal(
            sample.Warehouse.Scalar<long>("select count(*) from stg.subscription"),
            sample.Warehouse.Scalar<long>("select count(*) from dw.fct_subscriber_month"));
        Assert.Equal(0, sample.Warehouse.Scalar<long>(
            "select count(*) from (select subscriber_id, month from dw.fct_subscriber_month group by all having count(*) > 1)"));
    }

    [Fact]
    public void Subscriber_history_versions_do_not_overlap_and_exactly_one_is_current()
    {
        Assert.Equal(0, sample.Warehouse.Scalar<long>("""
            select count(*) from (
                select subscriber_id, valid_from, valid_to,
                       lead(valid_from) over (partition by subscriber_id order by valid_from) as next_from
                from dw.dim_subscriber)
            where valid_to <= valid_from or (next_from is not null and next_from <> valid_to)
            """));
        Assert.Equal(
            sample.Warehouse.Scalar<long>("select count(distinct subscriber_id) from stg.subscription"),
            sample.Warehouse.Scalar<long>("select count(*) from dw.dim_subscriber where is_current"));
        // a plan change in the snapshots opens a new version
        Assert.True(sample.Warehouse.Scalar<long>("select count(*) from dw.dim_subscriber") >
                    sample.Warehouse.Scalar<long>("select count(distinct subscriber_id) from dw.dim_subscriber"));
    }

    [Fact]
    public void The_province_row_of_the_kpi_mart_is_the_sum_of_its_cities()
    {
        Assert.Equal(0, sample.Warehouse.Scalar<long>("""
            with cities as (
                select month, sum(subscribers) as subscribers, sum(churned) as churned, sum(revenue) as revenue
                from mart.mart_retention_kpi_city_month where city_code <> 'ALL' group by month),
            province as (
                select month, subscribers, churned, revenue from mart.mart_retention_kpi_city_month where city_code = 'ALL')
            select count(*) from cities full join province using (month)
            where cities.subscribers is distinct from province.subscribers
               or cities.churned is distinct from province.churned
               or abs(cities.revenue - province.revenue) > 0.01
            """));
    }

    [Fact]
    public void The_feature_marts_month_end_states_agree_with_the_facts_at_every_month_end()
    {
        // computed here straight from the facts, the way the detectors once did, for every subscriber and month
        Assert.Equal(0, sample.Warehouse.Scalar<long>("""
            with months as (
                select distinct month, cast(last_day(month) + interval 1 day as timestamp) as cutoff from mart.mart_subscriber_features),
            latest as (
                select orders.subscriber_id, months.month, orders.vas_code, arg_max(orders.action, orders.order_time) as last_action
                from dw.fct_vas_order as orders inner join months on orders.order_time < months.cutoff
                group by all),
            vas as (
                select subscriber_id, month, count(*) filter (where last_action = 'subscribe') as vas_active from latest group by all),
            points as (
                select points.subscriber_id, months.month, sum(points.points_delta) as balance,
                    max(points.txn_time) filter (where points.txn_type = 'redeem') as last_redeemed_at
                from dw.fct_points as points inner join months on points.txn_time < months.cutoff
                group by all)
            select count(*)
            from mart.mart_subscriber_features as features
            left join vas using (subscriber_id, month)
            left join points using (subscriber_id, month)
            left join dw.snapshot_base as base using (subscriber_id)
            where features.vas_active <> coalesce(vas.vas_active, 0)
                or features.points_balance <> coalesce(points.balance, 0)
                or features.last_redeemed_at is distinct from points.last_redeemed_at
                or features.base_value_tier is distinct from base.value_tier
                or features.base_star_level is distinct from base.star_level
            """));
        Assert.True(sample.Warehouse.Scalar<long>("select count(*) from mart.mart_subscriber_features where vas_active > 0 and last_redeemed_at is not null") > 0);
    }

    [Fact]
    public void Rebuilding_the_warehouse_from_the_same_staging_gives_the_same_tables()
    {
        var before = Snapshot();
        var rebuilt = new TransformRunner(sample.Warehouse.Db, sample.Warehouse.Contracts).Rebuild();
        Assert.All(rebuilt.Models, m => Assert.Equal("full", m.Mode));
        Assert.Equal(before, Snapshot());

        List<string> Snapshot() => sample.Warehouse.Query<string>("""
            select 'kpi' || md5(string_agg(k::varchar, '|' order by k.month, k.city_code)) from mart.mart_retention_kpi_city_month k
            union all select 'dim' || count(*) || '/' || sum(hash(subscriber_id, valid_from, valid_to, plan_code, status)) from dw.dim_subscriber
            union all select 'fct' || count(*) || '/' || sum(hash(subscriber_id, month, status)) from dw.fct_subscriber_month
            order by 1
            """);
    }
}
