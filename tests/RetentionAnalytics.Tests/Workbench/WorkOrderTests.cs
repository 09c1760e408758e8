using RetentionAnalytics.Core.Workbench;
using static RetentionAnalytics.Tests.Workbench.WorkbenchWorld;

namespace RetentionAnalytics.Tests.Workbench;

public sealed class WorkOrderTests
{
    private static readonly Actor Hz1 = Agent("agent.hz1");
    private static readonly Actor Boss = Supervisor();

    [Fact]
    public void A_goodwill_credit_waits_for_a_supervisors_approval_then_goes_through_the_department()
    {
        using var w = new WorkbenchWorld();
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
        Assert.Equal([order.WorkOrderId], w.Orders.List(Hz1, new WorkOrderFilter(TaskId: task)).Select(o => o.WorkOrderId));
    }

    [Fact]
    public void Other_work_orders_start_open_and_a_rejected_credit_ends_there()
    {
        using var w = new WorkbenchWorld();
        var task = w.Tasks(w.Campaign(), 1, agents: ["agent.hz1"]).Single();

        var fault = w.Orders.Dispatch(Hz1, task, "network_fault", "no signal at home");
        var credit = w.Orders.Dispatch(Hz1, task, "goodwill_credit", "credit", 10m);
        var rejected = w.Orders.Decide(Boss, credit.WorkOrderId, credit.Version, approve: false);

        Assert.Equal("open", fault.Status);
        Assert.Equal("rejected", rejected.Status);
        Assert.Empty(WorkOrders.NextStatuses("rejected"));
        Assert.Equal("amount_required", Assert.Throws<WorkbenchException>(() => w.Orders.Dispatch(Hz1, task, "goodwill_credit", "credit")).Code);
        Assert.Equal("invalid_department", Assert.Throws<WorkbenchException>(() => w.Orders.Dispatch(Hz1, task, "catering", "x")).Code);
        // agents see their own, the supervisor all of the region
        Assert.Equal(2, w.Orders.List(Boss, all: true).Count);
        Assert.Empty(w.Orders.List(Agent("agent.hz2")));
    }
}
