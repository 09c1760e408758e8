using RetentionAnalytics.Core.Tasks;

namespace RetentionAnalytics.Tests.Tasks;

public sealed class CallListTests
{
    private const string Key = "s05_arrears:2026-10";

    [Fact]
    public void The_control_group_is_reproducible_and_close_to_the_holdout_share()
    {
        using var a = new CallListWorld().Scenario("s05_arrears").ManyAlerted("s05_arrears", 4000);
        using var b = new CallListWorld().Scenario("s05_arrears").ManyAlerted("s05_arrears", 4000);
        using var c = new CallListWorld().Scenario("s05_arrears").ManyAlerted("s05_arrears", 4000);

        a.Generate();
        b.Generate();
        c.Generate(new CallListOptions { Holdout = 0.25 });

        var controlA = a.Members(Key).Where(m => m.MemberGroup == "control").Select(m => m.SubscriberId).ToList();
        var controlB = b.Members(Key).Where(m => m.MemberGroup == "control").Select(m => m.SubscriberId).ToList();
        Assert.Equal(controlA, controlB);
        Assert.InRange(controlA.Count / 4000.0, 0.085, 0.115);
        Assert.InRange(c.Members(Key).Count(m => m.MemberGroup == "control") / 4000.0, 0.225, 0.275);
        // the control group gets no tasks
        Assert.Empty(a.Tasks().Select(t => t.SubscriberId).Intersect(controlA));
        Assert.Equal(4000 - controlA.Count, a.Tasks().Count);
    }

    [Fact]
    public void A_second_run_creates_no_duplicate_campaigns_members_or_tasks()
    {
        using var w = new CallListWorld().Scenario("s05_arrears").Scenario("s08_contract", priority: 2)
            .ManyAlerted("s05_arrears", 300).ManyAlerted("s08_contract", 200, prefix: "N");

        var first = w.Generate();
        var tasksBefore = w.Tasks();
        var second = w.Generate();

        Assert.Equal(2, first.Count);
        Assert.Equal(first, second);
        Assert.Equal(2L, w.W.Scalar<long>("select count(*) from ops.campaign"));
        Assert.Equal(500L, w.W.Scalar<long>("select count(*) from ops.campaign_member"));
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) - count(distinct (campaign_id, subscriber_id)) from ops.campaign_member"));
        Assert.Equal(tasksBefore, w.Tasks());
        Assert.Equal(["s05_arrears:2026-10", "s08_contract:2026-10"], first.Select(x => x.CampaignKey).Order().ToList());
    }

    [Fact]
    public void Only_call_scenarios_become_campaigns()
    {
        using var w = new CallListWorld()
            .Scenario("s05_arrears", "both").Scenario("s06_balance", "sms").Scenario("s10_points", "report").Scenario("s03_fwd", "call", enabled: false)
            .Subscriber("S1").Alert("s05_arrears", "S1", 0.5).Alert("s06_balance", "S1", 0.5).Alert("s10_points", "S1", 0.5).Alert("s03_fwd", "S1", 0.5);

        var campaigns = w.Generate(new CallListOptions { Holdout = 0 });

        Assert.Equal(["s05_arrears:2026-10"], campaigns.Select(x => x.CampaignKey).ToList());
    }

    [Theory]
    [InlineData("call", "request", 0, "blacklist")]         // valid until today: still in force
    [InlineData("both", "legal", null, "blacklist")]        // no expiry
    [InlineData("call", "opt_out", null, "opt_out")]
    [InlineData("sms", "opt_out", null, null)]              // an SMS opt-out does not forbid a call
    [InlineData("call", "request", -1, null)]               // expired yesterday
    public void A_blacklist_entry_excludes_while_it_is_in_force_for_calls(string scope, string reason, int? validDays, string? expected)
    {
        using var w = new CallListWorld().Scenario("s05_arrears").Subscriber("S1").Alert("s05_arrears", "S1", 0.7)
            .Blacklist("S1", scope, reason, validDays is { } d ? CallListWorld.Today.AddDays(d) : null);

        w.Generate(new CallListOptions { Holdout = 0 });

        var member = Assert.Single(w.Members(Key));
        Assert.Equal(expected, member.ExcludedReason);
        Assert.Equal(expected is null ? "treated" : "excluded", member.MemberGroup);
        Assert.Equal(expected is null ? 1 : 0, w.Tasks().Count);
    }

    [Theory]
    [InlineData("call", 13, 14, true)]
    [InlineData("sms", 13, 14, true)]
    [InlineData("call", 15, 14, false)]
    [InlineData("call", 15, 30, true)]   // the window is configurable
    public void A_subscriber_contacted_within_the_window_is_not_called_again(string channel, int daysAgo, int window, bool excluded)
    {
        using var w = new CallListWorld().Scenario("s05_arrears").Subscriber("S1").Alert("s05_arrears", "S1", 0.7)
            .Contact("S1", channel, daysAgo);

        w.Generate(new CallListOptions { Holdout = 0, ContactWindowDays = window });

        Assert.Equal(excluded ? "recent_contact" : null, Assert.Single(w.Members(Key)).ExcludedReason);
    }

    [Fact]
    public void Open_complaints_and_churned_subscribers_are_excluded_and_closed_complaints_are_not()
    {
        using var w = new CallListWorld().Scenario("s05_arrears")
            .Subscriber("S1").Alert("s05_arrears", "S1", 0.7).Complaint("S1", open: true)
            .Subscriber("S2").Alert("s05_arrears", "S2", 0.7).Complaint("S2", open: false)
            .Subscriber("S3", status: "churned").Alert("s05_arrears", "S3", 0.7);

        var summary = Assert.Single(w.Generate(new CallListOptions { Holdout = 0 }));

        var reasons = w.Members(Key).ToDictionary(m => m.SubscriberId, m => m.ExcludedReason);
        Assert.Equal("open_complaint", reasons["S1"]);
        Assert.Null(reasons["S2"]);
        Assert.Equal("churned", reasons["S3"]);
        Assert.Equal((1L, 1L, 1L, 1L), (summary.ExcludedOpenComplaint, summary.ExcludedChurned, summary.Treated, summary.Tasks));
    }

    [Fact]
    public void Agents_get_tasks_balanced_by_load_up_to_their_capacity_and_the_rest_waits_for_the_supervisor()
    {
        // Ningbo's retention team has two agents of capacity 25; agent.574.1 already holds 5 open tasks elsewhere
        using var w = new CallListWorld().Scenario("s05_arrears").ManyAlerted("s05_arrears", 80, city: "574", tier: "mid");
        w.Generate(new CallListOptions { Holdout = 0, Today = CallListWorld.Today }); // seeds the teams
        w.Exec("delete from ops.task; delete from ops.campaign_member; delete from ops.campaign");
        w.Exec("""
            insert into ops.task (task_id, campaign_id, subscriber_id, city_code, priority_score, scenario_ids, status, team_id, assigned_to, created_at, updated_at)
            select 100000 + i, 999, 'X' || i, '574', 1, 'other', 'in_progress', 'T574-RET', 'agent.574.1', now(), now() from range(5) as t(i)
            """);

        var summary = Assert.Single(w.Generate(new CallListOptions { Holdout = 0 }));

        var tasks = w.Tasks(Key);
        Assert.Equal(80, tasks.Count);
        Assert.Equal(20, tasks.Count(t => t.AssignedTo == "agent.574.1"));
        Assert.Equal(25, tasks.Count(t => t.AssignedTo == "agent.574.2"));
        Assert.All(tasks, t => Assert.Equal("T574-RET", t.TeamId));
        Assert.All(tasks.Where(t => t.AssignedTo is null), t => Assert.Equal("open", t.Status));
        Assert.All(tasks.Where(t => t.AssignedTo is not null), t => Assert.Equal("assigned", t.Status));
        Assert.Equal((45L, 35L), (summary.Assigned, summary.Unassigned));
        // the best-ranked tasks were handed out; the waiting ones rank below every assigned one
        Assert.True(tasks.Where(t => t.AssignedTo is not null).Min(t => t.PriorityScore)
                    >= tasks.Where(t => t.AssignedTo is null).Max(t => t.PriorityScore));
    }

    [Fact]
    public void High_value_subscribers_go_to_their_account_manager_and_those_without_one_to_the_account_manager_team()
    {
        using var w = new CallListWorld().Scenario("s05_arrears")
            .Subscriber("H1", city: "571", tier: "high", accountManager: "AM57128").Alert("s05_arrears", "H1", 0.9)
            .Subscriber("H2", city: "571", tier: "high").Alert("s05_arrears", "H2", 0.9)
            .Subscriber("L1", city: "571", tier: "low", accountManager: "AM57128").Alert("s05_arrears", "L1", 0.9);

        w.Generate(new CallListOptions { Holdout = 0 });

        var tasks = w.Tasks(Key).ToDictionary(t => t.SubscriberId);
        Assert.Equal(("am.am57128", "T571-AM", "assigned"), (tasks["H1"].AssignedTo, tasks["H1"].TeamId, tasks["H1"].Status));
        Assert.Equal((null, "T571-AM", "open"), (tasks["H2"].AssignedTo, tasks["H2"].TeamId, tasks["H2"].Status));
        Assert.Equal("T571-RET", tasks["L1"].TeamId);
        Assert.StartsWith("agent.hz", tasks["L1"].AssignedTo);
        Assert.Equal(1L, w.W.Scalar<long>("select count(*) from ops.agent where username = 'am.am57128' and account_manager_id = 'AM57128' and team_id = 'T571-AM'"));
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.agent where username = 'supervisor.hz'"));
    }

    [Fact]
    public void A_combined_campaign_holds_one_member_and_one_task_per_subscriber_with_all_its_scenarios()
    {
        using var w = new CallListWorld().Scenario("s05_arrears", priority: 2).Scenario("s08_contract", priority: 1)
            .Subscriber("S1").Alert("s05_arrears", "S1", 0.5).Alert("s08_contract", "S1", 0.6)
            .Subscriber("S2").Alert("s05_arrears", "S2", 0.7);

        var summary = Assert.Single(w.Generate(new CallListOptions { Combined = true, Holdout = 0 }));
        w.Generate(new CallListOptions { Combined = true, Holdout = 0 });

        Assert.Equal("retention:2026-10", summary.CampaignKey);
        var members = w.Members("retention:2026-10").ToDictionary(m => m.SubscriberId);
        Assert.Equal(2, members.Count);
        Assert.Equal("s08_contract,s05_arrears", members["S1"].ScenarioIds);   // by scenario priority
        Assert.Equal(1 - 0.5 * 0.4, members["S1"].RiskScore, 6);                // two signals outrank either alone
        var tasks = w.Tasks("retention:2026-10");
        Assert.Equal(2, tasks.Count);
        Assert.Equal(["S1", "S2"], tasks.Select(t => t.SubscriberId).ToList());  // 0.8 before 0.7
    }

    [Fact]
    public void Tasks_are_ranked_by_value_tier_weight_times_risk()
    {
        using var w = new CallListWorld().Scenario("s05_arrears")
            .Subscriber("LOW", tier: "low").Alert("s05_arrears", "LOW", 0.9)
            .Subscriber("MID", tier: "mid").Alert("s05_arrears", "MID", 0.5)
            .Subscriber("HIGH", tier: "high").Alert("s05_arrears", "HIGH", 0.4);

        w.Generate(new CallListOptions { Holdout = 0 });

        var tasks = w.Tasks(Key);
        Assert.Equal(["HIGH", "MID", "LOW"], tasks.Select(t => t.SubscriberId).ToList());
        Assert.Equal([1.2, 1.0, 0.9], tasks.Select(t => Math.Round(t.PriorityScore, 6)).ToList());
    }

    [Fact]
    public void A_rerun_never_reassigns_worked_tasks_but_hands_out_waiting_ones_when_capacity_frees_up()
    {
        using var w = new CallListWorld().Scenario("s05_arrears").ManyAlerted("s05_arrears", 60, city: "580", tier: "low");
        w.Generate(new CallListOptions { Holdout = 0 });
        var before = w.Tasks(Key);
        Assert.Equal(10, before.Count(t => t.AssignedTo is null));
        // agent.580.1 finishes 4 tasks and starts working one; agent.580.2 has a callback
        var done = before.Where(t => t.AssignedTo == "agent.580.1").Take(4).Select(t => t.TaskId).ToList();
        var working = before.First(t => t.AssignedTo == "agent.580.1" && !done.Contains(t.TaskId)).TaskId;
        w.Exec("update ops.task set status = 'done' where task_id in $ids", new { ids = done });
        w.Exec("update ops.task set status = 'in_progress', version = 7 where task_id = $working", new { working });

        w.Generate(new CallListOptions { Holdout = 0 });

        var after = w.Tasks(Key).ToDictionary(t => t.TaskId);
        Assert.Equal(60, after.Count);
        Assert.All(before.Where(t => t.AssignedTo is not null), t => Assert.Equal(t.AssignedTo, after[t.TaskId].AssignedTo));
        Assert.Equal("in_progress", after[working].Status);
        Assert.Equal(7L, w.W.Scalar<long>("select version from ops.task where task_id = $working", new { working }));
        Assert.Equal(4, after.Values.Count(t => t.AssignedTo == "agent.580.1" && before.Single(b => b.TaskId == t.TaskId).AssignedTo is null));
        Assert.Equal(6, after.Values.Count(t => t.AssignedTo is null));
    }

    [Fact]
    public void Seeding_the_teams_happens_once()
    {
        using var w = new CallListWorld().Subscriber("H1", city: "574", tier: "high", accountManager: "AM57401");
        var seeder = new TeamSeeder(w.W.Db);

        var first = seeder.EnsureSeeded();
        var second = seeder.EnsureSeeded();

        Assert.Equal((22, 22, 1), (first.Teams, first.Agents, first.AccountManagers));
        Assert.Equal((0, 0, 0), (second.Teams, second.Agents, second.AccountManagers));
        Assert.Equal(["agent.hz1", "agent.hz2"],
            w.W.Query<string>("select username from ops.agent where team_id = 'T571-RET' order by 1"));
        Assert.Equal("mid,low", w.W.Scalar<string>("select value_tiers from ops.team where team_id = 'T574-RET'"));
        // the account manager's agent carries the name the teams file gives, not a label around the id
        Assert.Equal("潘洋", w.W.Scalar<string>("select display_name from ops.agent where account_manager_id = 'AM57401'"));
    }

    /// <summary>
    /// Every account manager the sample generator can write gets an agent under a name from the shipped teams file,
    /// never under their id; a manager the file does not name (the operator's own data) still falls back to the id.
    /// </summary>
    [Fact]
    public void Every_generated_account_manager_is_seeded_under_a_name_and_an_unnamed_one_under_their_id()
    {
        using var w = new CallListWorld();
        var i = 0;
        foreach (var manager in RetentionAnalytics.Core.Generator.ProvinceGenerator.AccountManagerIds)
        {
            w.Subscriber($"G{i++}", city: manager[2..5], tier: "high", accountManager: manager);
        }
        w.Subscriber("X1", city: "571", tier: "high", accountManager: "AM57199");

        var seeded = new TeamSeeder(w.W.Db).EnsureSeeded();

        Assert.Equal(RetentionAnalytics.Core.Generator.ProvinceGenerator.AccountManagerIds.Count + 1, seeded.AccountManagers);
        Assert.Equal(["AM57199"], w.W.Query<string>("select account_manager_id from ops.agent where display_name = account_manager_id"));
    }
}
