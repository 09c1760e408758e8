using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Tests.Tasks;

/// <summary>
/// One subscriber, one live conversation: however many campaigns alert a subscriber, they have at most one unfinished
/// task, and the other campaigns' reasons are linked to it.
/// </summary>
public sealed class OneLiveTaskTests
{
    private static readonly CallListOptions NoHoldout = new() { Holdout = 0 };

    private const string LiveTasksPerSubscriber = """
        select coalesce(max(live), 0) from (
            select count(*) as live from ops.task where status in ('open', 'assigned', 'in_progress', 'callback')
            group by subscriber_id)
        """;

    private static CallListWorld ThreeScenarios() => new CallListWorld()
        .Scenario("s13_churn", priority: 1).Scenario("s05_arrears", priority: 2).Scenario("s08_contract", priority: 3);

    [Fact]
    public void Several_scenarios_hitting_one_subscriber_give_one_task_that_carries_all_their_reasons()
    {
        using var w = ThreeScenarios();
        w.Subscriber("S1").Subscriber("S2");
        w.Alert("s08_contract", "S1", 0.5).Alert("s05_arrears", "S1", 0.6).Alert("s13_churn", "S1", 0.4).Alert("s05_arrears", "S2", 0.7);

        var campaigns = w.Generate(NoHoldout).ToDictionary(c => c.CampaignKey);

        // the most urgent scenario's campaign holds the task; the others link to it
        var s1 = Assert.Single(w.Tasks(), t => t.SubscriberId == "S1");
        Assert.Equal("s13_churn", s1.ScenarioIds);
        Assert.Single(w.Tasks("s13_churn:2026-10"));
        Assert.Equal((2L, 1L, 1L), (campaigns["s05_arrears:2026-10"].Treated, campaigns["s05_arrears:2026-10"].Tasks, campaigns["s05_arrears:2026-10"].Linked));
        Assert.Equal((1L, 0L, 1L), (campaigns["s08_contract:2026-10"].Treated, campaigns["s08_contract:2026-10"].Tasks, campaigns["s08_contract:2026-10"].Linked));
        var links = w.W.Query<(long TaskId, string ScenarioIds, DateOnly Period)>(
            "select task_id, scenario_ids, period from ops.task_link where subscriber_id = 'S1' order by scenario_ids");
        Assert.Equal([(s1.TaskId, "s05_arrears", CallListWorld.Period), (s1.TaskId, "s08_contract", CallListWorld.Period)], links);
        Assert.Equal(1L, w.W.Scalar<long>(LiveTasksPerSubscriber));
    }

    [Fact]
    public void A_rerun_adds_neither_a_task_nor_a_link()
    {
        using var w = ThreeScenarios();
        w.Subscriber("S1").Alert("s08_contract", "S1", 0.5).Alert("s05_arrears", "S1", 0.6);
        w.Generate(NoHoldout);

        w.Generate(NoHoldout);

        Assert.Single(w.Tasks());
        Assert.Equal(1L, w.W.Scalar<long>("select count(*) from ops.task_link"));
    }

    [Fact]
    public void Next_months_campaign_joins_the_task_still_being_worked_and_keeps_its_agent()
    {
        using var w = ThreeScenarios();
        w.Subscriber("S1").Alert("s05_arrears", "S1", 0.6);
        w.Generate(NoHoldout);
        var first = Assert.Single(w.Tasks());
        w.Exec("update ops.task set status = 'callback', assigned_to = 'agent.574.1' where task_id = $id", new { id = first.TaskId });

        w.Alert("s08_contract", "S1", 0.5, period: CallListWorld.Period.AddMonths(1));
        w.Generator.Generate(CallListWorld.Period.AddMonths(1), NoHoldout with { Today = CallListWorld.Today.AddMonths(1) });

        var task = Assert.Single(w.Tasks());
        Assert.Equal(("callback", "agent.574.1"), (task.Status, task.AssignedTo));
        Assert.Equal((first.TaskId, "s08_contract", CallListWorld.Period.AddMonths(1)),
            w.W.Query<(long, string, DateOnly)>("select task_id, scenario_ids, period from ops.task_link").Single());
    }

    [Fact]
    public void Once_the_task_is_finished_a_later_campaign_opens_a_new_one()
    {
        using var w = ThreeScenarios();
        w.Subscriber("S1").Alert("s05_arrears", "S1", 0.6);
        w.Generate(NoHoldout);
        w.Exec("update ops.task set status = 'done', result = 'retained'");

        w.Alert("s08_contract", "S1", 0.5, period: CallListWorld.Period.AddMonths(1));
        w.Generator.Generate(CallListWorld.Period.AddMonths(1), NoHoldout with { Today = CallListWorld.Today.AddMonths(1) });

        Assert.Equal(2, w.Tasks().Count);
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.task_link"));
    }

    [Fact]
    public void The_migration_closes_duplicate_live_tasks_into_links_to_the_one_furthest_along()
    {
        using var w = ThreeScenarios();
        w.Subscriber("S1").Subscriber("S2");
        // as generated before the rule: S1 alerted by three scenarios, worked by two agents, one task still unassigned
        w.Exec("""
            insert into ops.campaign (campaign_id, campaign_key, name, kind, scenario_id, period, holdout_pct, seed, status, created_at, created_by)
            select nextval('ops.campaign_id_seq'), s || ':2026-10', s, 'scenario', s, date '2026-10-01', 0, s, 'open', now(), 'test'
            from (values ('s13_churn'), ('s05_arrears'), ('s08_contract')) as t(s);
            insert into ops.task (task_id, campaign_id, subscriber_id, city_code, value_tier, priority_score, scenario_ids, status,
                team_id, assigned_to, due_date, attempts, version, created_at, updated_at)
            select nextval('ops.task_id_seq'), c.campaign_id, t.subscriber_id, '574', 'low', 0.5, c.scenario_id, t.status,
                'T574-RET', t.agent, date '2026-11-12', t.attempts, 0, t.created, t.created
            from (values
                ('s13_churn', 'S1', 'assigned', 'agent.574.1', 0, timestamp '2026-11-01 10:00'),
                ('s05_arrears', 'S1', 'callback', 'agent.574.2', 1, timestamp '2026-11-02 10:00'),
                ('s08_contract', 'S1', 'open', null, 0, timestamp '2026-11-01 09:00'),
                ('s05_arrears', 'S2', 'assigned', 'agent.574.1', 0, timestamp '2026-11-01 10:00'),
                ('s08_contract', 'S2', 'done', 'agent.574.1', 1, timestamp '2026-11-01 10:00')
            ) as t(scenario, subscriber_id, status, agent, attempts, created)
            join ops.campaign as c on c.scenario_id = t.scenario;
            delete from meta.schema_migration where file_name = '072_ops_one_live_task.sql';
            -- as before 072: campaign titles were not stored yet (096 stores them after 072's view)
            drop table ops.campaign_title;
            drop view ops.campaign_naming;
            delete from meta.schema_migration where file_name = '096_ops_campaign_title_stored.sql';
            """);

        using (Db.Open(new WarehouseOptions { DatabasePath = w.W.DatabasePath }))
        {
        }

        var tasks = w.W.Query<(string Subscriber, string Scenarios, string Status, string? Agent, long? MergedInto, long TaskId)>("""
            select subscriber_id, scenario_ids, status, assigned_to, merged_into, task_id from ops.task order by subscriber_id, scenario_ids
            """);
        var kept = tasks.Single(t => t is { Subscriber: "S1", Scenarios: "s05_arrears" });
        // the callback already agreed with the customer stays; the other two close into it
        Assert.Equal(("callback", "agent.574.2", (long?)null), (kept.Status, kept.Agent, kept.MergedInto));
        Assert.All(tasks.Where(t => t.Subscriber == "S1" && t.TaskId != kept.TaskId), t => Assert.Equal(("closed", (long?)kept.TaskId), (t.Status, t.MergedInto)));
        Assert.Equal(["s08_contract", "s13_churn"], w.W.Query<string>("select scenario_ids from ops.task_link where task_id = $id order by 1", new { id = kept.TaskId }));
        // S2's one live task and its finished one are left alone
        Assert.Equal(["assigned", "done"], tasks.Where(t => t.Subscriber == "S2").OrderBy(t => t.Scenarios).Select(t => t.Status));
        Assert.Equal(1L, w.W.Scalar<long>(LiveTasksPerSubscriber));
    }
}
