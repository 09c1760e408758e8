using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Workbench;

/// <summary>A clock the test sets, in UTC; the world's region zone (UTC unless a test names another) turns it into local time.</summary>
public sealed class TestClock(DateTime utc) : TimeProvider
{
    public DateTime Utc { get; set; } = utc;
    public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(Utc, DateTimeKind.Utc));
}

/// <summary>
/// A warehouse with the seeded teams (data-samples/ops/teams.yaml), tasks given as rows with their subscribers (named
/// "Customer &lt;id&gt;", on the task as generated tasks are named), the few warehouse tables the workbench reads, and the workbench services over it. Hangzhou (571)
/// is agent.hz1..3's and supervisor.hz's city; Ningbo (574) lies outside their scope.
/// </summary>
public sealed class WorkbenchWorld : IDisposable
{
    public static readonly DateOnly Period = new(2026, 10, 1);
    public static readonly RegionScope Hangzhou = RegionScope.ForCities(["571"]);

    public TestWarehouse W { get; }
    public TestClock Clock { get; } = new(new DateTime(2026, 11, 5, 10, 0, 0));
    public WorkbenchOptions Options { get; }
    public RegionClock Region { get; }
    public AgentWorkbench Agents { get; }
    public SupervisorDesk Desk { get; }
    public WorkOrders Orders { get; }
    public ContactReasons Reasons { get; }
    public TaskAccess Access { get; }

    /// <param name="ops">Where the operational data lives; null: in the warehouse file.</param>
    /// <param name="stepsOf">Outcome steps that need the warehouse, made once it is open (with <paramref name="steps"/>).</param>
    public WorkbenchWorld(IEnumerable<IOutcomeStep>? steps = null, WorkbenchOptions? options = null, RegionTimeOptions? zones = null,
        OpsOptions? ops = null, Func<Db, IEnumerable<IOutcomeStep>>? stepsOf = null)
    {
        W = new TestWarehouse(ops: ops);
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        Options = options ?? new WorkbenchOptions();
        Region = new RegionClock(zones ?? new RegionTimeOptions { TimeZone = "UTC" }, Clock);
        Exec("""
            create table dw.dim_subscriber (subscriber_id varchar, customer_id varchar, city_code varchar, account_manager_id varchar,
                plan_code varchar, version_no integer, valid_from date, is_current boolean);
            create table dw.dim_customer (customer_id varchar, customer_name varchar);
            create table dw.dim_plan (plan_code varchar, plan_name varchar);
            create table dw.dim_region (region_code varchar, region_name varchar, region_name_zh varchar, region_level varchar);
            insert into dw.dim_region values ('571', 'Hangzhou', '杭州', 'city'), ('574', 'Ningbo', '宁波', 'city');
            create table dw.as_of (as_of_date date, as_of_month date);
            insert into dw.as_of values ('2026-10-31', '2026-10-01');
            create table dw.fct_service_contact (subscriber_id varchar, category varchar, contact_date date, is_complaint boolean, is_open boolean);
            create table dw.account_state (subscriber_id varchar, amount_owed decimal(12, 2));
            create table dw.fct_agreement (subscriber_id varchar, policy_code varchar, policy_name varchar, days_to_end integer, is_active boolean);
            create table mart.subscriber_profile (subscriber_id varchar, city_code varchar, reasons_json varchar);
            """);
        new TeamSeeder(W.Db).EnsureSeeded();
        Access = new TaskAccess(W.Db, new AuditLog(W.Db));
        Agents = new AgentWorkbench(W.Db, Access, Options, Region, [.. steps ?? [], .. stepsOf?.Invoke(W.Db) ?? []]);
        Desk = new SupervisorDesk(W.Db, Access, Options, Region);
        Orders = new WorkOrders(W.Db, Access, Options, Region);
        Reasons = new ContactReasons(W.Db, Access);
    }

    public static Actor Agent(string username, RegionScope? scope = null) => new(username, scope ?? Hangzhou);
    public static Actor Supervisor(string username = "supervisor.hz", RegionScope? scope = null) => new(username, scope ?? Hangzhou, IsSupervisor: true);

    public long Campaign(string key = "s05_arrears:2026-10", string? scenario = "s05_arrears", DateOnly? period = null)
    {
        using var c = W.Db.Connect();
        var id = c.ExecuteScalar<long>("""
            insert into ops.campaign (campaign_id, campaign_key, name, kind, scenario_id, period, holdout_pct, seed, status, created_at, created_by)
            values (nextval('ops.campaign_id_seq'), $key, $key, 'scenario', $scenario, $period, 0.1, $key, 'open', now(), 'test')
            returning campaign_id
            """, new { key, scenario, period = period ?? Period });
        CampaignTitles.Refresh(c, W.Db, id);
        return id;
    }

    /// <summary>count tasks in one campaign, subscribers prefix+i, all in one city and tier, assigned to the given agents round-robin (none: open).</summary>
    public List<long> Tasks(long campaignId, int count, string city = "571", string tier = "low", string[]? agents = null,
        string prefix = "S", string scenarios = "s05_arrears", string? team = null)
    {
        using var c = W.Db.Connect();
        var agentList = agents is { Length: > 0 } ? string.Join(',', agents) : null;
        c.Execute("""
            insert into dw.dim_subscriber
            select $prefix || lpad(cast(i as varchar), 5, '0'), 'C' || $prefix || lpad(cast(i as varchar), 5, '0'), $city, null, 'P28', 1,
                date '2025-01-01', true
            from range($count) as t(i)
            where $prefix || lpad(cast(i as varchar), 5, '0') not in (select subscriber_id from dw.dim_subscriber);
            insert into dw.dim_customer
            select 'C' || subscriber_id, 'Customer ' || subscriber_id from dw.dim_subscriber
            where 'C' || subscriber_id not in (select customer_id from dw.dim_customer);
            """, new { count, city, prefix });
        return c.Query<long>("""
            insert into ops.task (task_id, campaign_id, subscriber_id, city_code, value_tier, priority_score, scenario_ids,
                status, team_id, assigned_to, due_date, attempts, version, created_at, updated_at, customer_name)
            select nextval('ops.task_id_seq'), $campaign_id, $prefix || lpad(cast(i as varchar), 5, '0'), $city, $tier,
                1.0 - i / ($count + 1.0), $scenarios,
                case when $agents is null then 'open' else 'assigned' end,
                coalesce($team, 'T' || $city || '-RET'),
                case when $agents is null then null else string_split($agents, ',')[1 + i % len(string_split($agents, ','))] end,
                date '2026-11-12', 0, 0, now(), now(), 'Customer ' || $prefix || lpad(cast(i as varchar), 5, '0')
            from range($count) as t(i)
            returning task_id
            """, new { campaign_id = campaignId, count, city, tier, agents = agentList, prefix, scenarios, team }).Order().ToList();
    }

    public void Exec(string sql, object? args = null)
    {
        using var c = W.Db.Connect();
        c.Execute(sql, args);
    }

    public sealed record TaskState(long TaskId, string Status, string? AssignedTo, int Attempts, int Version, string? Result, DateTime? CallbackAt, int? Priority, DateOnly? DueDate);

    public TaskState State(long taskId) => W.Query<TaskState>("""
        select task_id as TaskId, status as Status, assigned_to as AssignedTo, attempts as Attempts, version as Version,
               result as Result, callback_at as CallbackAt, priority as Priority, due_date as DueDate
        from ops.task where task_id = $taskId
        """, new { taskId }).Single();

    public List<TaskState> States(long campaignId) => W.Query<TaskState>("""
        select task_id as TaskId, status as Status, assigned_to as AssignedTo, attempts as Attempts, version as Version,
               result as Result, callback_at as CallbackAt, priority as Priority, due_date as DueDate
        from ops.task where campaign_id = $campaignId order by task_id
        """, new { campaignId });

    /// <summary>Denied task reads audited for the target, in the operational data (the warehouse file or PostgreSQL).</summary>
    public long Denials(string target)
    {
        using var c = W.Db.Ops.Connect();
        return Dapper.SqlMapper.ExecuteScalar<long>(c, W.Db.Ops.Text(
            "select count(*) from ops.audit_log where action = 'task_denied' and outcome = 'denied' and target = $target"), new { target });
    }

    public void Dispose() => W.Dispose();
}
