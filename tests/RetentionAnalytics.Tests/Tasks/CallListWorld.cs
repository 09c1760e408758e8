using Dapper;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Tasks;

/// <summary>
/// A warehouse holding just what call lists read: the current subscriber rows, service contacts, scenarios, alerts,
/// blacklist and contacts -- given as rows, like a dbt unit test -- and the committed team seed.
/// </summary>
public sealed class CallListWorld : IDisposable
{
    public static readonly DateOnly Period = new(2026, 10, 1);
    public static readonly DateOnly Today = new(2026, 11, 5);

    public TestWarehouse W { get; }
    public TaskGenerator Generator { get; }

    /// <param name="ops">Where the operational data lives; null: in the warehouse file.</param>
    public CallListWorld(OpsOptions? ops = null)
    {
        W = new TestWarehouse(ops: ops);
        Exec("""
            create table dw.dim_subscriber (subscriber_id varchar, city_code varchar, value_tier varchar,
                account_manager_id varchar, status varchar, is_current boolean, valid_from date, valid_to date);
            create table dw.fct_service_contact (subscriber_id varchar, is_complaint boolean, is_open boolean);
            """);
        Generator = new TaskGenerator(W.Db, new TeamSeeder(W.Db));
    }

    public CallListWorld Scenario(string id, string action = "call", int priority = 3, bool enabled = true)
    {
        Exec("insert into det.scenario (scenario_id, kind, name_en, name_de, name_zh, priority, action, enabled) values ($id, 'scenario', $id, $id, $id, $priority, $action, $enabled)",
            new { id, action, priority, enabled });
        return this;
    }

    public CallListWorld Subscriber(string id, string city = "574", string tier = "low", string? accountManager = null, string status = "active")
    {
        Exec("insert into dw.dim_subscriber values ($id, $city, $tier, $am, $status, true, date '2020-01-01', date '9999-12-31')",
            new { id, city, tier, am = accountManager, status });
        return this;
    }

    public CallListWorld Alert(string scenario, string subscriber, double score, DateOnly? period = null)
    {
        Exec("""
            insert into det.alert (scenario_id, period, subscriber_id, city_code, value_tier, score, evidence, params_hash, run_id, detected_at)
            select $scenario, $period, subscriber_id, city_code, value_tier, $score, 'test', 'h', 1, now()
            from dw.dim_subscriber where subscriber_id = $subscriber
            """, new { scenario, subscriber, score, period = period ?? Period });
        return this;
    }

    /// <summary>Many subscribers at once (set-based), each alerted in one scenario with a score spread over 0..1.</summary>
    public CallListWorld ManyAlerted(string scenario, int count, string city = "574", string tier = "low", string prefix = "M")
    {
        Exec("""
            insert into dw.dim_subscriber
            select $prefix || lpad(cast(i as varchar), 6, '0'), $city, $tier, null, 'active', true, date '2020-01-01', date '9999-12-31'
            from range($count) as t(i)
            """, new { count, city, tier, prefix });
        Exec("""
            insert into det.alert (scenario_id, period, subscriber_id, city_code, value_tier, score, evidence, params_hash, run_id, detected_at)
            select $scenario, $period, $prefix || lpad(cast(i as varchar), 6, '0'), $city, $tier, (i % 97) / 97.0, 'test', 'h', 1, now()
            from range($count) as t(i)
            """, new { scenario, count, city, tier, prefix, period = Period });
        return this;
    }

    public CallListWorld Blacklist(string subscriber, string scope = "call", string reason = "request", DateOnly? validUntil = null)
    {
        W.OpsExec("insert into ops.blacklist values ($subscriber, $scope, $reason, 'ui', $validUntil, now(), 'admin')",
            new { subscriber, scope, reason, validUntil });
        return this;
    }

    public CallListWorld Contact(string subscriber, string channel, int daysBeforeToday)
    {
        Exec("insert into ops.contact (contact_id, subscriber_id, channel, contact_time) values (nextval('ops.contact_id_seq'), $subscriber, $channel, $time)",
            new { subscriber, channel, time = Today.ToDateTime(new TimeOnly(10, 0)).AddDays(-daysBeforeToday) });
        return this;
    }

    public CallListWorld Complaint(string subscriber, bool open)
    {
        Exec("insert into dw.fct_service_contact values ($subscriber, true, $open)", new { subscriber, open });
        return this;
    }

    public IReadOnlyList<CampaignSummary> Generate(CallListOptions? options = null) =>
        Generator.Generate(Period, (options ?? new CallListOptions()) with { Today = Today });

    public sealed record Member(string SubscriberId, string MemberGroup, string? ExcludedReason, double RiskScore, string ScenarioIds);
    public sealed record TaskRow(long TaskId, string SubscriberId, double PriorityScore, string ScenarioIds, string Status, string? TeamId, string? AssignedTo);

    public List<Member> Members(string campaignKey) => W.Query<Member>("""
        select subscriber_id as SubscriberId, member_group as MemberGroup, excluded_reason as ExcludedReason,
               risk_score as RiskScore, scenario_ids as ScenarioIds
        from ops.campaign_member join ops.campaign using (campaign_id)
        where campaign_key = $campaignKey order by subscriber_id
        """, new { campaignKey });

    public List<TaskRow> Tasks(string? campaignKey = null) => W.Query<TaskRow>("""
        select task.task_id as TaskId, task.subscriber_id as SubscriberId, task.priority_score as PriorityScore,
               task.scenario_ids as ScenarioIds, task.status as Status, task.team_id as TeamId, task.assigned_to as AssignedTo
        from ops.task as task join ops.campaign as campaign using (campaign_id)
        where $campaignKey is null or campaign_key = $campaignKey
        order by priority_score desc, subscriber_id
        """, new { campaignKey });

    public void Exec(string sql, object? args = null)
    {
        using var c = W.Db.Connect();
        c.Execute(sql, args);
    }

    public void Dispose() => W.Dispose();
}
