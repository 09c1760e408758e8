using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Workbench;
using static RetentionAnalytics.Tests.Workbench.WorkbenchWorld;

namespace RetentionAnalytics.Tests.Workbench;

public sealed class SupervisorDeskTests
{
    private static readonly Actor Boss = Supervisor();

    private static List<TaskRef> Refs(WorkbenchWorld w, IEnumerable<long> ids) =>
        ids.Select(id => new TaskRef(id, w.State(id).Version)).ToList();

    [Fact]
    public void Bulk_assignment_moves_the_tasks_to_the_agent_and_skips_those_changed_since_they_were_read()
    {
        using var w = new WorkbenchWorld();
        var tasks = w.Tasks(w.Campaign(), 6);
        var refs = Refs(w, tasks);
        w.Exec("update ops.task set version = version + 1 where task_id = $id", new { id = tasks[5] });

        var result = w.Desk.Assign(Boss, refs, "agent.hz2");

        Assert.Equal((6, 5), (result.Requested, result.Changed));
        Assert.All(tasks.Take(5), id => Assert.Equal(("assigned", "agent.hz2"), (w.State(id).Status, w.State(id).AssignedTo)));
        Assert.Equal(("open", null), (w.State(tasks[5]).Status, w.State(tasks[5]).AssignedTo));
        Assert.All(tasks.Take(5), id => Assert.Equal(1, w.State(id).Version));
    }

    [Fact]
    public void Bulk_assignment_refuses_more_than_the_agents_capacity_and_tasks_outside_the_supervisors_regions()
    {
        using var w = new WorkbenchWorld();
        var campaign = w.Campaign();
        var held = w.Tasks(campaign, 20, agents: ["agent.hz1"]);   // capacity 25 (teams.yaml)
        var pool = w.Tasks(campaign, 6, prefix: "P");
        var ningbo = w.Tasks(campaign, 1, city: "574", prefix: "N");

        Assert.Equal("over_capacity", Assert.Throws<WorkbenchException>(() => w.Desk.Assign(Boss, Refs(w, pool), "agent.hz1")).Code);
        Assert.Equal(5, w.Desk.Assign(Boss, Refs(w, pool.Take(5)), "agent.hz1").Changed);
        Assert.Equal(WorkbenchFailure.Denied, Assert.Throws<WorkbenchException>(() => w.Desk.Assign(Boss, Refs(w, pool.Skip(5).Concat(ningbo)), "agent.hz2")).Failure);
        Assert.Equal("unknown_agent", Assert.Throws<WorkbenchException>(() => w.Desk.Assign(Boss, Refs(w, pool.Skip(5)), "agent.574.1")).Code);

        Assert.Equal(25, w.States(campaign).Count(s => s.AssignedTo == "agent.hz1"));
        Assert.Null(w.State(pool[5]).AssignedTo);
        Assert.Null(w.State(ningbo[0]).AssignedTo);
        Assert.Equal(1L, w.Denials($"task:{ningbo[0]}"));
        Assert.Equal(20, held.Count);
    }

    [Fact]
    public void Distribution_by_rule_fills_the_city_teams_agents_up_to_capacity_evenly_and_leaves_other_regions_alone()
    {
        using var w = new WorkbenchWorld();
        var campaign = w.Campaign();
        w.Tasks(campaign, 3, agents: ["agent.hz2"], prefix: "H");       // agent.hz2 already holds 3
        w.Tasks(campaign, 100);                                       // Hangzhou pool: 2 agents x 25
        var ningbo = w.Tasks(campaign, 10, city: "574", prefix: "N");

        var assigned = w.Desk.Distribute(Boss, campaign);

        var states = w.States(campaign);
        var load = states.Where(s => s.AssignedTo is not null).GroupBy(s => s.AssignedTo!).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(new DistributeResult(100, 47), assigned);
        Assert.Equal(new Dictionary<string, int> { ["agent.hz1"] = 25, ["agent.hz2"] = 25 }, load);
        Assert.Equal(53 + 10, states.Count(s => s.Status == "open"));
        Assert.All(ningbo, id => Assert.Equal("open", w.State(id).Status));
    }

    [Fact]
    public void Distribution_sends_high_value_subscribers_to_their_account_manager()
    {
        using var w = new WorkbenchWorld();
        w.Exec("insert into ops.agent values ('am.am57101', 'Account manager AM57101', 'T571-AM', 15, 'AM57101', true)");
        var campaign = w.Campaign();
        var high = w.Tasks(campaign, 2, tier: "high", prefix: "V");
        w.Exec("update dw.dim_subscriber set account_manager_id = 'AM57101' where subscriber_id = 'V00000'");

        w.Desk.Distribute(Boss, campaign);

        Assert.Equal("am.am57101", w.State(high[0]).AssignedTo);
        // high value without a manager: the city's account-manager team, for the supervisor
        Assert.Equal(("open", null), (w.State(high[1]).Status, w.State(high[1]).AssignedTo));
    }

    [Fact]
    public void Closing_a_campaign_closes_every_unfinished_task_and_recycling_returns_the_never_reached_ones_to_the_pool()
    {
        using var w = new WorkbenchWorld();
        var campaign = w.Campaign();
        var t = w.Tasks(campaign, 5, agents: ["agent.hz1"]);
        var hz1 = Agent("agent.hz1");
        w.Agents.Open(hz1, t[0]);
        w.Agents.Record(hz1, new OutcomeInput(t[0], "reached", "retained"));                       // done
        w.Agents.Open(hz1, t[1]);
        w.Agents.Record(hz1, new OutcomeInput(t[1], "no_answer"));                                 // assigned, 1 attempt
        w.Agents.Open(hz1, t[2]);
        w.Agents.Record(hz1, new OutcomeInput(t[2], "reached", "will_consider", CallbackAt: new DateTime(2026, 11, 6, 10, 0, 0))); // reached callback
        w.Agents.Open(hz1, t[3]);                                                                  // in progress

        var recycled = w.Desk.Recycle(Boss, campaign);

        Assert.Equal(2, recycled); // t[1] (not reached) and t[4] (never called)
        Assert.Equal(("open", null, 1), (w.State(t[1]).Status, w.State(t[1]).AssignedTo, w.State(t[1]).Attempts));
        Assert.Equal(("open", null), (w.State(t[4]).Status, w.State(t[4]).AssignedTo));
        Assert.Equal(["done", "callback", "in_progress"], new[] { t[0], t[2], t[3] }.Select(id => w.State(id).Status));
        Assert.Equal("recycled", w.W.Scalar<string>("select status from ops.campaign where campaign_id = $campaign", new { campaign }));

        var closed = w.Desk.Close(Boss, campaign);

        Assert.Equal(4, closed);
        Assert.Equal(["done", "closed", "closed", "closed", "closed"], t.Select(id => w.State(id).Status));
        Assert.Equal("retained", w.State(t[0]).Result);
        Assert.Equal("closed", w.W.Scalar<string>("select status from ops.campaign where campaign_id = $campaign", new { campaign }));
        // the agent's call in progress when the campaign closed cannot be saved any more
        Assert.Equal("task_finished", Assert.Throws<WorkbenchException>(() => w.Agents.Record(hz1, new OutcomeInput(t[3], "busy"))).Code);
    }

    [Fact]
    public void A_city_supervisor_cannot_close_another_regions_campaign()
    {
        using var w = new WorkbenchWorld();
        var campaign = w.Campaign();
        var ningbo = w.Tasks(campaign, 3, city: "574");

        Assert.Equal(WorkbenchFailure.Denied, Assert.Throws<WorkbenchException>(() => w.Desk.Close(Boss, campaign)).Failure);
        Assert.Equal(WorkbenchFailure.Denied, Assert.Throws<WorkbenchException>(() => w.Desk.Close(Agent("agent.hz1", RegionScope.WholeProvince), campaign)).Failure);
        Assert.All(ningbo, id => Assert.Equal("open", w.State(id).Status));
        Assert.Equal(2L, w.Denials($"campaign:{campaign}"));
    }

    [Fact]
    public void Due_date_and_priority_are_set_on_unfinished_tasks_and_lift_them_in_the_agents_queue()
    {
        using var w = new WorkbenchWorld();
        var t = w.Tasks(w.Campaign(), 3, agents: ["agent.hz1"]);

        var result = w.Desk.Schedule(Boss, Refs(w, [t[2]]), new DateOnly(2026, 11, 7), 1);

        Assert.Equal(1, result.Changed);
        Assert.Equal((1, new DateOnly(2026, 11, 7)), (w.State(t[2]).Priority, w.State(t[2]).DueDate));
        Assert.Equal(t[2], w.Agents.Queue(Agent("agent.hz1"))[0].TaskId);
        Assert.Equal("invalid_priority", Assert.Throws<WorkbenchException>(() => w.Desk.Schedule(Boss, Refs(w, [t[0]]), null, 9)).Code);
    }

    [Fact]
    public void The_supervisor_sees_the_agents_of_their_regions_with_their_load()
    {
        using var w = new WorkbenchWorld();
        w.Tasks(w.Campaign(), 4, agents: ["agent.hz1"]);

        var agents = w.Desk.Agents(Boss);

        Assert.Equal(["agent.hz1", "agent.hz2"], agents.Where(a => a.TeamKind == "retention").Select(a => a.Username));
        Assert.All(agents, a => Assert.Equal("571", a.CityCode));
        Assert.Equal(4, agents.Single(a => a.Username == "agent.hz1").OpenTasks);
    }
}
