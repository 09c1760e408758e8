using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Tests.Workbench;

/// <summary>
/// Whoever picks up a subscriber sees the whole conversation: the calls of every campaign and agent, the reasons of
/// every campaign linked to the task, and names rather than codes in the reader's language.
/// </summary>
public sealed class LiveConversationTests
{
    private static readonly Actor Hz1 = WorkbenchWorld.Agent("agent.hz1");
    private static readonly Actor Hz2 = WorkbenchWorld.Agent("agent.hz2");

    private static WorkbenchWorld World()
    {
        var w = new WorkbenchWorld();
        w.Exec("""
            insert into det.scenario (scenario_id, kind, name_en, name_de, name_zh, priority, action) values
                ('s05_arrears', 'scenario', 'Arrears suspension', 'Sperre wegen Zahlungsrückstand', '欠费停机', 2, 'call'),
                ('s08_contract_expiry', 'scenario', 'Contract expiry', 'Vertragsende', '合约到期', 3, 'call');
            """);
        return w;
    }

    [Fact]
    public void A_task_shows_the_calls_another_agent_made_in_another_campaign()
    {
        using var w = World();
        var earlier = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();
        w.Agents.Open(Hz1, earlier);
        w.Agents.Record(Hz1, new OutcomeInput(earlier, "reached", "will_consider", Notes: "asked for a cheaper plan"));
        var later = w.Tasks(w.Campaign("s08_contract_expiry:2026-10", "s08_contract_expiry"), 1, agents: ["agent.hz2"], scenarios: "s08_contract_expiry").Single();

        var calls = w.Agents.Contacts(Hz2 with { Language = "de" }, later);

        var call = Assert.Single(calls);
        Assert.Equal((earlier, "agent.hz1", "Hangzhou retention agent 1", "reached", "asked for a cheaper plan"),
            (call.TaskId, call.Username, call.AgentName, call.Outcome, call.Notes));
        Assert.Equal("Sperre wegen Zahlungsrückstand · Oktober 2026", call.CampaignName);
    }

    [Fact]
    public void Another_agents_task_stays_closed_to_the_agent_even_for_the_calls()
    {
        using var w = World();
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();

        Assert.Equal("task_denied", Assert.Throws<WorkbenchException>(() => w.Agents.Contacts(Hz2, task)).Code);
    }

    [Fact]
    public void The_reasons_include_the_alerts_of_every_campaign_linked_to_the_task()
    {
        using var w = World();
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();
        var contract = w.Campaign("s08_contract_expiry:2026-11", "s08_contract_expiry", new DateOnly(2026, 11, 1));
        w.Exec("""
            insert into ops.task_link values ($task, $contract, 'S00000', 's08_contract_expiry', date '2026-11-01', now());
            insert into det.alert (scenario_id, period, subscriber_id, city_code, value_tier, score, evidence, evidence_json, params_hash, run_id, detected_at) values
                ('s05_arrears', date '2026-10-01', 'S00000', '571', 'low', 0.6, 'suspended for non-payment for 12 days, owes 40.00',
                 '{"days_suspended":12,"amount_owed":40.0}', 'h', 1, now()),
                ('s08_contract_expiry', date '2026-11-01', 'S00000', '571', 'low', 0.5, 'contract ends in 20 days',
                 '{"days_to_end":20}', 'h', 1, now()),
                ('s08_contract_expiry', date '2026-10-01', 'S00000', '571', 'low', 0.9, 'an alert of a month no campaign asked for',
                 '{"days_to_end":50}', 'h', 1, now());
            """, new { task, contract });

        var reasons = w.Reasons.For(Hz1 with { Language = "zh" }, task);

        Assert.Equal([("s05_arrears", "欠费停机", """{"days_suspended":12,"amount_owed":40.0}"""), ("s08_contract_expiry", "合约到期", """{"days_to_end":20}""")],
            reasons.Where(r => r.Kind == "alert").Select(r => (r.Code!, r.Name!, r.EvidenceJson!)));
        var detail = w.Agents.Detail(Hz1 with { Language = "en" }, task);
        Assert.Equal(["s05_arrears", "s08_contract_expiry"], detail.ScenarioIds.Split(','));
        Assert.Equal("Contract expiry · November 2026", detail.LinkedCampaigns);
    }

    [Fact]
    public void The_queue_names_the_customer_the_city_and_the_campaign_in_the_agents_language()
    {
        using var w = World();
        w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]);

        var item = Assert.Single(w.Agents.Queue(Hz1 with { Language = "zh" }));

        Assert.Equal(("Customer S00000", "杭州", "欠费停机 · 2026年10月"), (item.CustomerName, item.CityName, item.CampaignName));
    }

    [Fact]
    public void A_campaign_whose_scenario_is_renamed_shows_the_new_title_in_the_queue_the_task_and_the_calls()
    {
        using var w = World();
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();
        w.Agents.Open(Hz1, task);
        w.Agents.Record(Hz1, new OutcomeInput(task, "no_answer"));
        w.Agents.Open(Hz1, task);

        // as the scenario catalogue's sync does when a scenario (a custom rule) is renamed
        w.Exec("update det.scenario set name_en = 'Arrears lock', name_zh = '欠费锁定' where scenario_id = 's05_arrears'");
        using (var c = w.W.Db.Connect())
        {
            CampaignTitles.Refresh(c, w.W.Db);
        }

        var en = Hz1 with { Language = "en" };
        Assert.Equal("Arrears lock · October 2026", Assert.Single(w.Agents.Queue(en)).CampaignName);
        Assert.Equal("欠费锁定 · 2026年10月", Assert.Single(w.Agents.Queue(Hz1 with { Language = "zh" })).CampaignName);
        Assert.Equal("Arrears lock · October 2026", w.Agents.Detail(en, task).CampaignName);
        Assert.Equal("Arrears lock · October 2026", Assert.Single(w.Agents.Contacts(en, task)).CampaignName);
        // the other languages' titles are unchanged
        Assert.Equal("Sperre wegen Zahlungsrückstand · Oktober 2026", w.Agents.Detail(Hz1 with { Language = "de" }, task).CampaignName);
    }

    [Fact]
    public void The_supervisor_sees_agents_by_display_name_and_tasks_merged_into_another()
    {
        using var w = World();
        var campaign = w.Campaign();
        var tasks = w.Tasks(campaign, 2, agents: ["agent.hz2"]);
        w.Exec("update ops.task set status = 'closed', merged_into = $into where task_id = $id", new { into = tasks[0], id = tasks[1] });

        var listed = w.Desk.Tasks(WorkbenchWorld.Supervisor() with { Language = "de" }, new TaskFilter(CampaignId: campaign));

        Assert.Equal([("Hangzhou retention agent 2", (long?)null), ("Hangzhou retention agent 2", tasks[0])],
            listed.OrderBy(t => t.TaskId).Select(t => (t.AgentName!, t.MergedInto)));
        Assert.Equal("Sperre wegen Zahlungsrückstand · Oktober 2026", w.Desk.Campaigns(WorkbenchWorld.Supervisor() with { Language = "de" }).Single().Name);
    }
}
