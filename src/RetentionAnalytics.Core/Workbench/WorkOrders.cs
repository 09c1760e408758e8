using System.Data;
using Dapper;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Workbench;

public sealed record WorkOrder(
    long WorkOrderId, long TaskId, string SubscriberId, string CityCode, string Department, string Description,
    decimal? Amount, string Status, string CreatedBy, DateTime CreatedAt, string? ApprovedBy, string UpdatedBy,
    DateTime UpdatedAt, int Version, string? CreatedByName = null);

public sealed record WorkOrderChange(long WorkOrderId, string Status, string ChangedBy, DateTime ChangedAt, string? Note);

public sealed record WorkOrderFilter(long? TaskId = null, string? CreatedBy = null, string? Department = null, string? Status = null);

/// <summary>
/// Work orders an agent dispatches from a task to another department, and their way through it:
/// open → in_progress → resolved | rejected; a goodwill credit first waits for a supervisor:
/// pending_approval → approved (then in_progress → resolved) | rejected. Each change is conditional on the version
/// and written with its history row in one transaction. Work orders are operational data (<see cref="Db.Ops"/>);
/// the task they come from and the agents' names are read beside the tasks by key.
/// </summary>
public sealed class WorkOrders(Db db, TaskAccess access, WorkbenchOptions options, RegionClock clock)
{
    /// <summary>The longest description a work order keeps (the task page's field stops there).</summary>
    public const int MaxDescription = 1000;

    public static readonly string[] Departments = ["billing_correction", "network_fault", "goodwill_credit"];
    public static readonly string[] Statuses = ["pending_approval", "approved", "open", "in_progress", "resolved", "rejected"];

    /// <summary>The status moves a department makes (approval is <see cref="Decide"/>'s, a supervisor's).</summary>
    private static readonly Dictionary<string, string[]> Moves = new()
    {
        ["open"] = ["in_progress", "rejected"],
        ["approved"] = ["in_progress"],
        ["in_progress"] = ["resolved", "rejected"],
    };

    private DateTime Now => clock.Now;

    public static IReadOnlyList<string> NextStatuses(string status) => Moves.TryGetValue(status, out var next) ? next : [];

    /// <summary>An agent sends a work order about a task they hold.</summary>
    public WorkOrder Dispatch(Actor agent, long taskId, string department, string description, decimal? amount = null)
    {
        if (!Departments.Contains(department))
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "invalid_department", "Unknown department.");
        }
        if (string.IsNullOrWhiteSpace(description))
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "description_required", "A work order needs a description.");
        }
        if (description.Trim().Length > MaxDescription)
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "description_too_long", $"A work order's description has at most {MaxDescription} characters.");
        }
        if (department == "goodwill_credit" && amount is not > 0)
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "amount_required", "A goodwill credit needs an amount.");
        }
        amount = amount is { } asked ? decimal.Round(asked, 2, MidpointRounding.AwayFromZero) : null;
        if (department == "goodwill_credit" && amount > options.MaxGoodwillCredit)
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "amount_too_large", $"A goodwill credit is at most {options.MaxGoodwillCredit}.");
        }
        var status = department == "goodwill_credit" ? "pending_approval" : "open";
        return ConflictRetry.Run(options.ConflictRetries, () =>
        {
            TaskHead head;
            using (var w = db.Connect())
            {
                // the task is the agents' (beside the warehouse); the work order and its history are operational data
                head = access.Require(agent, access.Head(w, taskId), taskId, "work_order");
            }
            using var c = db.Ops.Connect();
            using var tx = c.BeginTransaction();
            var now = Now;
            var id = c.ExecuteScalar<long>(db.Ops.Sql.Get("workbench/insert_work_order.sql"), new
            {
                task_id = taskId, subscriber_id = head.SubscriberId, city_code = head.CityCode, department,
                description = description.Trim(), amount = department == "goodwill_credit" ? amount : null, status,
                username = agent.Username, now,
            }, tx);
            c.Execute(db.Ops.Sql.Get("workbench/work_order_history_insert.sql"),
                new { work_order_id = id, status, username = agent.Username, now, note = (string?)null }, tx);
            tx.Commit();
            return Get(id)!;
        });
    }

    /// <summary>Work orders in the user's regions; an agent (not supervisor) sees only their own.</summary>
    public IReadOnlyList<WorkOrder> List(Actor actor, WorkOrderFilter? filter = null, bool all = false)
    {
        filter ??= new WorkOrderFilter();
        if (actor.Scope.IsEmpty)
        {
            return [];
        }
        var args = actor.Scope.AddTo(new DynamicParameters());
        args.Add("work_order_id", (long?)null, DbType.Int64);
        args.Add("task_id", filter.TaskId, DbType.Int64);
        args.Add("created_by", all ? filter.CreatedBy : actor.Username, DbType.String);
        args.Add("department", filter.Department, DbType.String);
        args.Add("status", filter.Status, DbType.String);
        return Read(args);
    }

    public IReadOnlyList<WorkOrderChange> History(long workOrderId)
    {
        using var c = db.Ops.Connect();
        return c.Query<WorkOrderChange>(db.Ops.Sql.Get("workbench/work_order_history.sql"), new { work_order_id = workOrderId }).ToList();
    }

    /// <summary>A department (administrator or supervisor of the region) moves a work order on.</summary>
    public WorkOrder Move(Actor staff, long workOrderId, int version, string toStatus, string? note = null)
    {
        var order = InScope(staff, workOrderId, "work_order_move");
        if (!NextStatuses(order.Status).Contains(toStatus))
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "invalid_transition", $"Work order {workOrderId} cannot go from {order.Status} to {toStatus}.");
        }
        return Change(staff, order, version, toStatus, approving: false, note);
    }

    /// <summary>A supervisor approves or rejects a goodwill credit waiting for approval.</summary>
    public WorkOrder Decide(Actor supervisor, long workOrderId, int version, bool approve, string? note = null)
    {
        var order = InScope(supervisor, workOrderId, "work_order_approval");
        if (!supervisor.IsSupervisor)
        {
            access.Deny(supervisor, $"work_order:{workOrderId}", "work_order_approval");
            throw new WorkbenchException(WorkbenchFailure.Denied, "task_denied", "Only a supervisor approves credits.");
        }
        if (order.Status != "pending_approval")
        {
            throw new WorkbenchException(WorkbenchFailure.Refused, "invalid_transition", $"Work order {workOrderId} is not waiting for approval.");
        }
        return Change(supervisor, order, version, approve ? "approved" : "rejected", approving: approve, note);
    }

    private WorkOrder Change(Actor actor, WorkOrder order, int version, string toStatus, bool approving, string? note) =>
        ConflictRetry.Run(options.ConflictRetries, () =>
        {
            using var c = db.Ops.Connect();
            using var tx = c.BeginTransaction();
            var now = Now;
            var changed = c.Execute(db.Ops.Sql.Get("workbench/move_work_order.sql"), new
            {
                work_order_id = order.WorkOrderId, version, from_status = order.Status, to_status = toStatus,
                approving, username = actor.Username, now,
            }, tx);
            if (changed != 1)
            {
                throw new WorkbenchException(WorkbenchFailure.Conflict, "work_order_changed", $"Work order {order.WorkOrderId} changed since it was read.");
            }
            c.Execute(db.Ops.Sql.Get("workbench/work_order_history_insert.sql"),
                new { work_order_id = order.WorkOrderId, status = toStatus, username = actor.Username, now, note = string.IsNullOrWhiteSpace(note) ? null : note.Trim() }, tx);
            tx.Commit();
            return Get(order.WorkOrderId)!;
        });

    private WorkOrder InScope(Actor actor, long workOrderId, string what)
    {
        var order = Get(workOrderId);
        if (order is null || !actor.Scope.Allows(order.CityCode))
        {
            access.Deny(actor, $"work_order:{workOrderId}", what);
            throw new WorkbenchException(WorkbenchFailure.Denied, "task_denied", $"Work order {workOrderId} is not open to {actor.Username}.");
        }
        return order;
    }

    private WorkOrder? Get(long workOrderId)
    {
        var args = RetentionAnalytics.Core.Access.RegionScope.WholeProvince.AddTo(new DynamicParameters());
        args.Add("work_order_id", workOrderId, DbType.Int64);
        args.Add("task_id", (long?)null, DbType.Int64);
        args.Add("created_by", (string?)null, DbType.String);
        args.Add("department", (string?)null, DbType.String);
        args.Add("status", (string?)null, DbType.String);
        return Read(args).SingleOrDefault();
    }

    /// <summary>
    /// The work orders (operational data, filtered by scope there), then who made them by name from the agent
    /// records beside the tasks, by username.
    /// </summary>
    private List<WorkOrder> Read(DynamicParameters args)
    {
        List<WorkOrder> orders;
        using (var c = db.Ops.Connect())
        {
            orders = c.Query<WorkOrder>(db.Ops.Sql.Get("workbench/work_orders.sql"), args).ToList();
        }
        if (orders.Count == 0)
        {
            return orders;
        }
        using var w = db.Connect();
        var names = w.Query<(string Username, string DisplayName)>(db.Sql.Get("workbench/agent_names.sql"),
                new { usernames = string.Join(',', orders.Select(o => o.CreatedBy).Distinct()) })
            .ToDictionary(n => n.Username, n => n.DisplayName);
        return orders.Select(o => o with { CreatedByName = names.GetValueOrDefault(o.CreatedBy, o.CreatedBy) }).ToList();
    }
}
