using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;
using RetentionAnalytics.Tests.Support;
using static RetentionAnalytics.Tests.Workbench.WorkbenchWorld;

namespace RetentionAnalytics.Tests.Workbench;

/// <summary>Work orders with the operational data in the warehouse file (here) or in PostgreSQL (the derived class).</summary>
public class WorkOrderTests
{
    private static readonly Actor Hz1 = Agent("agent.hz1");
    private static readonly Actor Boss = Supervisor();
    private readonly Func<OpsOptions?> _ops;

    public WorkOrderTests() : this(() => null)
    {
    }

    protected WorkOrderTests(Func<OpsOptions?> ops) => _ops = ops;

    private WorkbenchWorld World() => new(ops: _ops());

    [SkippableFact]
    public void A_goodwill_credit_waits_for_a_supervisors_approval_then_goes_through_the_department()
    {
        using var w = World();
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();

        var order = w.Orders.Dispatch(Hz1, task, "goodwill_credit", "credit for outage", 30m);
        Assert.Equal("pending_approval", order.Status);
        Assert.Equal(WorkbenchFailure.Denied, Assert.Throws<WorkbenchException>(() => w.Orders.Decide(Hz1, order.WorkOrderId, order.Version, true)).Failure);
        Assert.Equal("invalid_transition", Assert.Throws<WorkbenchException>(() => w.Orders.Move(Boss, order.WorkOrderId, order.Version, "in_progress")).Code);

        var approved = w.Orders.Decide(Boss, order.WorkOrderId, order.Version, approve: true);
        Assert.Equal(WorkbenchFailure.Conflict, Assert.Throws<WorkbenchException>(() => w.Orders.Move(Boss, order.WorkOrderId, order.Version, "in_progress")).Failure);
        var working = w.Orders.Move(Boss, approved.WorkOrderId, approved.Version, "in_progress");
        var resolved = w.Orders.Move(Boss, working.WorkOrderId, working.Version, "resolved", "credited");

        Assert.Equal(("approved", "supervisor.hz"), (approved.Status, approved.ApprovedBy));
        Assert.Equal("resolved", resolved.Status);
        Assert.Equal(["pending_approval", "approved", "in_progress", "resolved"], w.Orders.History(order.WorkOrderId).Select(h => h.Status));
        var listed = Assert.Single(w.Orders.List(Hz1, new WorkOrderFilter(TaskId: task)));
        Assert.Equal((order.WorkOrderId, 30m, "571"), (listed.WorkOrderId, listed.Amount, listed.CityCode));
        // who made it, by name from the agent records
        Assert.Equal(w.W.Scalar<string>("select display_name from ops.agent where username = 'agent.hz1'"), listed.CreatedByName);
        Assert.Empty(w.Orders.List(Supervisor("supervisor.nb", RegionScope.ForCities(["574"])), new WorkOrderFilter(TaskId: task), all: true));
    }

    [SkippableFact]
    public void Other_work_orders_start_open_and_a_rejected_credit_ends_there()
    {
        using var w = World();
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();

        var fault = w.Orders.Dispatch(Hz1, task, "network_fault", "no signal at home");
        var credit = w.Orders.Dispatch(Hz1, task, "goodwill_credit", "credit", 10m);
        var rejected = w.Orders.Decide(Boss, credit.WorkOrderId, credit.Version, approve: false);

        Assert.Equal("open", fault.Status);
        Assert.Equal("rejected", rejected.Status);
        Assert.Empty(WorkOrders.NextStatuses("rejected"));
        Assert.Equal("amount_required", Assert.Throws<WorkbenchException>(() => w.Orders.Dispatch(Hz1, task, "goodwill_credit", "credit")).Code);
        Assert.Equal("invalid_department", Assert.Throws<WorkbenchException>(() => w.Orders.Dispatch(Hz1, task, "catering", "x")).Code);
        // a credit past the limit (or past what the column holds) and an endless description are refused, not failed
        Assert.Equal("amount_too_large", Assert.Throws<WorkbenchException>(() => w.Orders.Dispatch(Hz1, task, "goodwill_credit", "credit", 99_999_999_999m)).Code);
        Assert.Equal("description_too_long", Assert.Throws<WorkbenchException>(() => w.Orders.Dispatch(Hz1, task, "network_fault", new string('x', WorkOrders.MaxDescription + 1))).Code);
        Assert.Equal(12.35m, w.Orders.Dispatch(Hz1, task, "goodwill_credit", "credit", 12.345m).Amount);
        // agents see their own, the supervisor all of the region
        Assert.Equal(3, w.Orders.List(Boss, all: true).Count);
        Assert.Empty(w.Orders.List(Agent("agent.hz2")));
    }
}

/// <summary>The same work orders with the operational data in a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WorkOrderTestsOnPostgres(PostgresServer postgres) : WorkOrderTests(postgres.NewOps);
