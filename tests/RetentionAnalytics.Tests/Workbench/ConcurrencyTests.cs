using System.Collections.Concurrent;
using RetentionAnalytics.Core.Workbench;
using static RetentionAnalytics.Tests.Workbench.WorkbenchWorld;

namespace RetentionAnalytics.Tests.Workbench;

public sealed class ConcurrencyTests
{
    private const int AgentCount = 20;
    private const int TaskCount = 1000;

    /// <summary>
    /// 20 agents, each working their queue from two tabs at once, while each also tries a colleague's task id and a
    /// supervisor keeps re-assigning tasks between them: no task is claimed twice from the same version, every
    /// outcome reported as saved is exactly one ops.contact row, and each task's attempts equal its saved outcomes.
    /// </summary>
    [Fact]
    public async Task Twenty_agents_over_a_thousand_tasks_never_double_claim_and_never_lose_an_outcome()
    {
        using var w = new WorkbenchWorld();
        var names = Enumerable.Range(1, AgentCount).Select(i => $"agent.c{i:00}").ToArray();
        w.Exec("""
            insert into ops.agent (username, display_name, team_id, capacity, account_manager_id, active)
            select 'agent.c' || lpad(cast(i as varchar), 2, '0'), 'Load agent', 'T571-RET', 1000, null, true from range(1, 21) as t(i)
            """);
        var campaign = w.Campaign();
        w.Tasks(campaign, TaskCount, agents: names);

        var claims = new ConcurrentBag<(long Task, int Version, string Agent)>();
        var outcomes = new ConcurrentBag<(long Task, long Contact, string Agent)>();
        var refused = new ConcurrentDictionary<WorkbenchFailure, int>();
        var supervisorMoves = 0;
        using var stop = new CancellationTokenSource();

        async Task Work(string name, int tab)
        {
            await Task.Yield();
            var me = Agent(name);
            var random = new Random(name.GetHashCode() ^ tab);
            var queue = w.Agents.Queue(me).Select(q => q.TaskId).OrderBy(_ => random.Next()).ToList();
            var colleague = names[(Array.IndexOf(names, name) + 1) % names.Length];
            var foreign = w.Agents.Queue(Agent(colleague)).Select(q => q.TaskId).Take(3).ToList();
            foreach (var taskId in queue.Concat(foreign))
            {
                try
                {
                    var opened = w.Agents.Open(me, taskId);
                    if (opened.Claimed)
                    {
                        claims.Add((taskId, opened.Task.Version - 1, name));
                    }
                    var outcome = random.Next(3) == 0 ? new OutcomeInput(taskId, "no_answer", Version: opened.Task.Version)
                        : new OutcomeInput(taskId, "reached", "retained", ChurnReasonId: "price", Version: opened.Task.Version);
                    var saved = w.Agents.Record(me, outcome);
                    outcomes.Add((taskId, saved.ContactId, name));
                }
                catch (WorkbenchException ex)
                {
                    refused.AddOrUpdate(ex.Failure, 1, (_, n) => n + 1);
                }
            }
        }

        async Task Supervise()
        {
            await Task.Yield();
            var random = new Random(7);
            var boss = Supervisor();
            while (!stop.IsCancellationRequested)
            {
                var movable = w.Desk.Tasks(boss, new TaskFilter(CampaignId: campaign, Status: "assigned", Limit: 50));
                if (movable.Count == 0)
                {
                    break;
                }
                var pick = movable.OrderBy(_ => random.Next()).Take(5).Select(t => new TaskRef(t.TaskId, t.Version)).ToList();
                try
                {
                    supervisorMoves += w.Desk.Assign(boss, pick, names[random.Next(names.Length)]).Changed;
                }
                catch (WorkbenchException ex)
                {
                    refused.AddOrUpdate(ex.Failure, 1, (_, n) => n + 1);
                }
            }
        }

        var supervisor = Task.Run(Supervise);
        await Task.WhenAll(names.SelectMany(n => new[] { Task.Run(() => Work(n, 1)), Task.Run(() => Work(n, 2)) }));
        await stop.CancelAsync();
        await supervisor;

        // no double claims: each version of a task was claimed by one agent at most
        Assert.DoesNotContain(claims.GroupBy(c => (c.Task, c.Version)), g => g.Count() > 1);
        // no lost (or invented) outcomes: the saved outcomes are exactly the contact rows
        var contacts = w.W.Query<(long ContactId, long TaskId, string Username)>("select contact_id, task_id, username from ops.contact order by contact_id");
        Assert.Equal(outcomes.Count, contacts.Count);
        Assert.Equal(outcomes.Select(o => (o.Contact, o.Task, o.Agent)).Order(), contacts.Select(c => (c.ContactId, c.TaskId, c.Username)).Order());
        // each saved outcome was made by the agent holding the task at that moment: attempts = saved outcomes
        var states = w.States(campaign);
        var savedPerTask = outcomes.GroupBy(o => o.Task).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(states, s => Assert.Equal(savedPerTask.GetValueOrDefault(s.TaskId), s.Attempts));
        // every task is held by exactly one agent of the team, and none is left half-claimed with a result
        Assert.All(states, s => Assert.Contains(s.AssignedTo, names));
        Assert.Equal(TaskCount, states.Count);
        Assert.True(outcomes.Count >= TaskCount / 2, $"only {outcomes.Count} outcomes saved");
        // colleagues' ids were refused
        Assert.True(refused.GetValueOrDefault(WorkbenchFailure.Denied) >= AgentCount * 2);
    }
}
