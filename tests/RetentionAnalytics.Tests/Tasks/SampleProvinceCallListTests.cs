using RetentionAnalytics.Core.Model;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Tests.Model;
using RetentionAnalytics.Tests.Warehouse;
using Xunit.Abstractions;

namespace RetentionAnalytics.Tests.Tasks;

/// <summary>
/// The sample province end to end: churn scores, then alerts as the detectors would write them (stand-ins for
/// scenarios 5, 8 and 13, inserted directly), then call lists.
/// </summary>
[Collection(ProvinceModelCollection.Name)]
public sealed class SampleProvinceCallListTests(SampleProvinceFixture sample, ITestOutputHelper output)
{
    [Fact]
    public void Call_lists_on_the_sample_province_respect_capacity_and_route_high_value_subscribers_to_their_managers()
    {
        var w = sample.Warehouse;
        var models = new ChurnModels(w.Db);
        new ChurnScoreStep(models, new ChurnTrainer(w.Db, models), new ChurnScorer(w.Db, models)).Run(null, CancellationToken.None);
        using (var c = w.Db.Connect())
        {
            Dapper.SqlMapper.Execute(c, """
                delete from det.alert; delete from det.scenario;
                insert into det.scenario (scenario_id, kind, name_en, name_de, name_zh, priority, action) values
                    ('s05_arrears', 'scenario', 'Arrears suspension', 'Sperre wegen Zahlungsrückstand', '欠费停机', 2, 'both'),
                    ('s08_contract_expiry', 'scenario', 'Contract expiry', 'Vertragsende', '政策到期', 3, 'call'),
                    ('s13_churn_risk', 'scenario', 'Churn risk', 'Abwanderungsrisiko', '流失预警', 1, 'call');
                insert into det.alert (scenario_id, period, subscriber_id, city_code, value_tier, score, evidence, params_hash, run_id, detected_at)
                select 's13_churn_risk', period, subscriber_id, city_code, null, score, 'churn score', 'h', 1, now()
                from det.churn_score where period = '2026-10-01' and score >= 0.05;
                insert into det.alert (scenario_id, period, subscriber_id, city_code, value_tier, score, evidence, params_hash, run_id, detected_at)
                select 's05_arrears', month, subscriber_id, city_code, value_tier, least(1, days_suspended / 60.0), 'suspended', 'h', 1, now()
                from mart.mart_subscriber_features where month = '2026-10-01' and is_suspended;
                insert into det.alert (scenario_id, period, subscriber_id, city_code, value_tier, score, evidence, params_hash, run_id, detected_at)
                select 's08_contract_expiry', month, subscriber_id, city_code, value_tier, 0.5, 'contract ends', 'h', 1, now()
                from mart.mart_subscriber_features where month = '2026-10-01' and months_to_contract_end <= 1;
                update det.alert set value_tier = (select value_tier from dw.dim_subscriber s where s.subscriber_id = det.alert.subscriber_id and s.is_current)
                where value_tier is null;
                """);
        }
        var generator = new TaskGenerator(w.Db, new TeamSeeder(w.Db));
        var options = new CallListOptions { Today = new DateOnly(2026, 11, 5) };

        var first = generator.Generate(new DateOnly(2026, 10, 1), options);
        var second = generator.Generate(new DateOnly(2026, 10, 1), options);

        foreach (var x in first)
        {
            output.WriteLine($"{x.CampaignKey}: alerted {x.Members}, eligible {x.Eligible}, treated {x.Treated}, control {x.Control}, " +
                             $"excluded churned {x.ExcludedChurned} / complaint {x.ExcludedOpenComplaint} / contact {x.ExcludedRecentContact} / blacklist {x.ExcludedBlacklist + x.ExcludedOptOut}, " +
                             $"assigned {x.Assigned}, unassigned {x.Unassigned}, linked {x.Linked}");
        }
        Assert.Equal(3, first.Count);
        Assert.Equal(first, second);
        // a treated member has a task of its own, or its reasons joined the subscriber's live task of another campaign
        Assert.All(first, x => Assert.Equal(x.Treated, x.Tasks + x.Linked));
        Assert.True(first.Sum(x => x.Linked) > 0, "the stand-in scenarios overlap, so some members are linked");
        Assert.Equal(0L, w.Scalar<long>("""
            select count(*) from (select subscriber_id from ops.task where status in ('open', 'assigned', 'in_progress', 'callback')
                group by subscriber_id having count(*) > 1)
            """));
        Assert.All(first, x => Assert.Equal(x.Members, x.Treated + x.Control + x.ExcludedChurned + x.ExcludedOpenComplaint + x.ExcludedRecentContact + x.ExcludedBlacklist + x.ExcludedOptOut));
        Assert.Equal(0L, w.Scalar<long>("""
            select count(*) from (
                select a.username from ops.agent a join ops.task t on t.assigned_to = a.username
                where t.status in ('assigned', 'in_progress', 'callback') group by a.username, a.capacity having count(*) > a.capacity)
            """));
        // a high-value subscriber's task is with their own account manager or waiting in the account managers' queue
        Assert.Equal(0L, w.Scalar<long>("""
            select count(*) from ops.task t join dw.dim_subscriber s on s.subscriber_id = t.subscriber_id and s.is_current
            left join ops.agent a on a.username = t.assigned_to
            where t.value_tier = 'high' and s.account_manager_id is not null
                and (t.team_id not like '%-AM' or (t.assigned_to is not null and a.account_manager_id <> s.account_manager_id))
            """));
        Assert.True(first.Sum(x => x.Assigned) > 0);
        // every live task carries its customer's name as the serving profile has it (the agent's queue reads only the task)
        Assert.True(w.Scalar<long>("select count(*) from ops.task where status in ('open', 'assigned', 'in_progress', 'callback')") > 0);
        Assert.Equal(0L, w.Scalar<long>("""
            select count(*) from ops.task as t
            left join mart.subscriber_profile as p on p.subscriber_id = t.subscriber_id
            where t.status in ('open', 'assigned', 'in_progress', 'callback') and t.customer_name is distinct from p.customer_name
            """));
    }
}
