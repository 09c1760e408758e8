using System.Data;
using DuckDB.NET.Data;
using RetentionAnalytics.Core.Workbench;
using static RetentionAnalytics.Tests.Workbench.WorkbenchWorld;

namespace RetentionAnalytics.Tests.Workbench;

public sealed class AgentWorkbenchTests
{
    private static readonly Actor Hz1 = Agent("agent.hz1");
    private static readonly Actor Hz2 = Agent("agent.hz2");

    [Fact]
    public void Opening_a_task_claims_it_once_and_recording_a_reached_outcome_writes_contact_and_task_together()
    {
        using var w = new WorkbenchWorld();
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();

        var first = w.Agents.Open(Hz1, task);
        var second = w.Agents.Open(Hz1, task);
        var recorded = w.Agents.Record(Hz1, new OutcomeInput(task, "reached", "retained", ChurnReasonId: "price", Notes: "ok", Version: second.Task.Version));

        Assert.True(first.Claimed);
        Assert.False(second.Claimed);
        Assert.Equal("done", recorded.Status);
        var state = w.State(task);
        Assert.Equal(("done", "retained", 1, 2), (state.Status, state.Result, state.Attempts, state.Version));
        var contact = w.W.Query<(string, string, string, string, long)>(
            "select outcome, result, churn_reason_id, username, campaign_id from ops.contact where task_id = $task", new { task }).Single();
        Assert.Equal(("reached", "retained", "price", "agent.hz1"), (contact.Item1, contact.Item2, contact.Item3, contact.Item4));
    }

    [Fact]
    public void A_tampered_task_id_is_refused_and_audited_and_leaves_the_task_untouched()
    {
        using var w = new WorkbenchWorld();
        var campaign = w.Campaign();
        var task = w.Tasks(campaign, 1, agents: ["agent.hz1"]).Single();
        var ningbo = w.Tasks(campaign, 1, city: "574", agents: ["agent.hz1"], prefix: "N").Single();
        w.Agents.Open(Hz1, task);
        var before = w.State(task);

        Assert.Equal(WorkbenchFailure.Denied, Assert.Throws<WorkbenchException>(() => w.Agents.Open(Hz2, task)).Failure);
        Assert.Equal(WorkbenchFailure.Denied, Assert.Throws<WorkbenchException>(() => w.Agents.Record(Hz2, new OutcomeInput(task, "busy"))).Failure);
        Assert.Equal(WorkbenchFailure.Denied, Assert.Throws<WorkbenchException>(() => w.Agents.Detail(Hz2, task)).Failure);
        Assert.Equal(WorkbenchFailure.Denied, Assert.Throws<WorkbenchException>(() => w.Orders.Dispatch(Hz2, task, "network_fault", "x")).Failure);
        Assert.Equal(WorkbenchFailure.Denied, Assert.Throws<WorkbenchException>(() => w.Agents.Open(Hz1, 999_999)).Failure);
        // assigned to the agent but outside the agent's regions: refused as well
        Assert.Equal(WorkbenchFailure.Denied, Assert.Throws<WorkbenchException>(() => w.Agents.Open(Hz1, ningbo)).Failure);

        Assert.Equal(before, w.State(task));
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.contact"));
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.work_order"));
        Assert.Equal(4L, w.Denials($"task:{task}"));
        Assert.Equal(1L, w.Denials("task:999999"));
        Assert.Equal(1L, w.Denials($"task:{ningbo}"));
        Assert.Equal(6L, w.W.Scalar<long>("select count(*) from ops.audit_log where action = 'task_denied' and username in ('agent.hz1', 'agent.hz2')"));
    }

    [Fact]
    public void A_task_not_reached_is_retried_until_the_maximum_attempts_then_closed()
    {
        using var w = new WorkbenchWorld();
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();

        var statuses = new List<string>();
        foreach (var outcome in new[] { "no_answer", "busy", "switched_off" })
        {
            w.Agents.Open(Hz1, task);
            statuses.Add(w.Agents.Record(Hz1, new OutcomeInput(task, outcome)).Status);
        }

        Assert.Equal(["assigned", "assigned", "closed"], statuses);
        Assert.Equal(3, w.State(task).Attempts);
        Assert.Equal("task_finished", Assert.Throws<WorkbenchException>(() => w.Agents.Open(Hz1, task)).Code);
        Assert.Equal(3L, w.W.Scalar<long>("select count(*) from ops.contact where task_id = $task", new { task }));
    }

    [Fact]
    public void A_wrong_number_closes_the_task_at_once_and_a_callback_keeps_it_for_later()
    {
        using var w = new WorkbenchWorld();
        var tasks = w.Tasks(w.Campaign(), 2, agents: ["agent.hz1"]);
        w.Agents.Open(Hz1, tasks[0]);
        w.Agents.Open(Hz1, tasks[1]);

        var wrong = w.Agents.Record(Hz1, new OutcomeInput(tasks[0], "wrong_number"));
        var later = w.Agents.Record(Hz1, new OutcomeInput(tasks[1], "reached", "will_consider", CallbackAt: new DateTime(2026, 11, 6, 15, 30, 0)));

        Assert.Equal("closed", wrong.Status);
        Assert.Equal("callback", later.Status);
        Assert.Equal(new DateTime(2026, 11, 6, 15, 30, 0), w.State(tasks[1]).CallbackAt);
        Assert.Null(w.State(tasks[1]).Result);
        Assert.Equal([tasks[1]], w.Agents.Callbacks(Hz1, new DateTime(2026, 11, 1), new DateTime(2026, 12, 1)).Select(c => c.TaskId));
    }

    [Theory]
    [InlineData(8, 59, false)]
    [InlineData(9, 0, true)]
    [InlineData(20, 59, true)]
    [InlineData(21, 0, false)]
    [InlineData(23, 30, false)]
    public void Calls_are_refused_outside_calling_hours(int hour, int minute, bool allowed)
    {
        using var w = new WorkbenchWorld();
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();
        w.Agents.Open(Hz1, task);
        w.Clock.Utc = new DateTime(2026, 11, 5, hour, minute, 0);

        var call = () => w.Agents.Record(Hz1, new OutcomeInput(task, "no_answer"));

        if (allowed)
        {
            Assert.Equal("assigned", call().Status);
        }
        else
        {
            Assert.Equal("outside_calling_hours", Assert.Throws<WorkbenchException>(call).Code);
            Assert.Equal(0, w.State(task).Attempts);
            Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.contact"));
        }
    }

    [Theory]
    [InlineData(21, 0, false)]
    [InlineData(7, 0, false)]
    [InlineData(9, 0, true)]
    [InlineData(20, 30, true)]
    public void A_callback_cannot_be_scheduled_in_quiet_hours(int hour, int minute, bool allowed)
    {
        using var w = new WorkbenchWorld();
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();
        w.Agents.Open(Hz1, task);

        var call = () => w.Agents.Record(Hz1, new OutcomeInput(task, "busy", CallbackAt: new DateTime(2026, 11, 6, hour, minute, 0)));

        if (allowed)
        {
            Assert.Equal("callback", call().Status);
        }
        else
        {
            Assert.Equal("callback_in_quiet_hours", Assert.Throws<WorkbenchException>(call).Code);
            Assert.Equal("in_progress", w.State(task).Status);
        }
    }

    private sealed class FailingStep : IOutcomeStep
    {
        public void Write(DuckDBConnection connection, IDbTransaction transaction, RecordedOutcome outcome)
        {
            using var cmd = connection.CreateCommand();
            cmd.Transaction = (DuckDBTransaction)transaction;
            cmd.CommandText = "insert into ops.audit_log (audit_id, occurred_at, action, outcome) values (nextval('ops.audit_id_seq'), now(), 'step', 'ok')";
            cmd.ExecuteNonQuery();
            throw new InvalidOperationException("questionnaire answers could not be stored");
        }
    }

    [Fact]
    public void An_outcome_whose_last_step_fails_leaves_no_partial_rows()
    {
        using var w = new WorkbenchWorld([new FailingStep()]);
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();
        w.Agents.Open(Hz1, task);
        var before = w.State(task);

        Assert.Throws<InvalidOperationException>(() => w.Agents.Record(Hz1, new OutcomeInput(task, "reached", "retained")));

        Assert.Equal(before, w.State(task));
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.contact"));
        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.audit_log where action = 'step'"));
    }

    [Fact]
    public void An_outcome_with_an_unknown_churn_reason_or_a_stale_version_writes_nothing()
    {
        using var w = new WorkbenchWorld();
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();
        var opened = w.Agents.Open(Hz1, task);

        Assert.Equal("invalid_churn_reason", Assert.Throws<WorkbenchException>(() =>
            w.Agents.Record(Hz1, new OutcomeInput(task, "reached", "refused", ChurnReasonId: "made_up"))).Code);
        Assert.Equal(WorkbenchFailure.Conflict, Assert.Throws<WorkbenchException>(() =>
            w.Agents.Record(Hz1, new OutcomeInput(task, "reached", "refused", Version: opened.Task.Version - 1))).Failure);
        Assert.Equal("result_required", Assert.Throws<WorkbenchException>(() => w.Agents.Record(Hz1, new OutcomeInput(task, "reached"))).Code);

        Assert.Equal(0L, w.W.Scalar<long>("select count(*) from ops.contact"));
        Assert.Equal(0, w.State(task).Attempts);
    }

    [Fact]
    public void The_queue_puts_due_callbacks_first_then_the_priority_override_then_the_score()
    {
        using var w = new WorkbenchWorld();
        var campaign = w.Campaign();
        var tasks = w.Tasks(campaign, 5, agents: ["agent.hz1"]); // scores fall with the id
        w.Tasks(campaign, 2, agents: ["agent.hz2"], prefix: "O");
        w.Exec("update ops.task set status = 'callback', callback_at = timestamp '2026-11-05 09:30' where task_id = $id", new { id = tasks[4] });
        w.Exec("update ops.task set status = 'callback', callback_at = timestamp '2026-11-05 16:00' where task_id = $id", new { id = tasks[0] });
        w.Exec("update ops.task set priority = 1 where task_id = $id", new { id = tasks[3] });
        w.Exec("update ops.task set status = 'done' where task_id = $id", new { id = tasks[2] });

        var queue = w.Agents.Queue(Hz1);

        Assert.Equal([tasks[4], tasks[3], tasks[0], tasks[1]], queue.Select(q => q.TaskId));
        Assert.True(queue[0].CallbackDue);
        Assert.Equal([tasks[1]], w.Agents.Queue(Hz1, new QueueFilter(SubscriberId: "S00001")).Select(q => q.TaskId));
        Assert.Equal([tasks[2]], w.Agents.Queue(Hz1, new QueueFilter(Status: "done")).Select(q => q.TaskId));
    }
}
