using Dapper;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Telephony;
using RetentionAnalytics.Core.Workbench;
using static RetentionAnalytics.Tests.Workbench.WorkbenchWorld;

namespace RetentionAnalytics.Tests.Workbench;

/// <summary>
/// Inbound calls on a real DuckDB file: which customer a number announces to which agent (scope, ambiguity), who is
/// told, and the saved outcome recorded as the inbound contact of that call.
/// </summary>
public sealed class InboundCallTests : IDisposable
{
    private static readonly Actor Hz1 = Agent("agent.hz1");
    private static readonly Actor Hz2 = Agent("agent.hz2");

    private readonly WorkbenchWorld _w = new();
    private readonly InProcessInboundCallNotifier _notifier = new();
    private readonly InboundCalls _calls;

    public InboundCallTests()
    {
        _w.Exec("""
            create table dw.subscriber_search_key (key_value varchar, key_kind varchar, subscriber_id varchar, city_code varchar);
            insert into dw.subscriber_search_key values
                ('13800000001', 'msisdn', 'S00000', '571'),
                ('13800000002', 'msisdn', 'N00000', '574'),
                ('13800000003', 'msisdn', 'S00001', '571'),
                ('13800000003', 'msisdn', 'S00002', '571');
            insert into ops.app_user (username, display_name, source, roles, scope_province, scope_cities, created_at, updated_at) values
                ('agent.hz1', 'Agent 1', 'local', 'agent', false, '571', now(), now()),
                ('agent.hz2', 'Agent 2', 'local', 'agent', false, '571', now(), now()),
                ('analyst', 'Analyst', 'local', 'analyst', true, null, now(), now());
            """);
        var audit = new AuditLog(_w.W.Db);
        _calls = new InboundCalls(_w.W.Db, audit, _w.Region, new Customer360(_w.W.Db, audit), _notifier);
    }

    private (string? SubscriberId, int Matches, string Agent) Call(long id) =>
        _w.W.Query<(string?, int, string)>("select subscriber_id, matches, agent_username from ops.inbound_call where call_id = $id", new { id }).Single();

    [Fact]
    public void A_number_announces_the_one_customer_of_the_agents_regions_and_only_that_agent_is_told()
    {
        var told = new List<(string Agent, long Call)>();
        using var hz1 = _notifier.Subscribe("agent.hz1", id => told.Add(("agent.hz1", id)));
        using var hz2 = _notifier.Subscribe("agent.hz2", id => told.Add(("agent.hz2", id)));

        var mine = _calls.Announce("switch", "agent.hz1", "+86 138-0000-0001", "ext-1");
        var elsewhere = _calls.Announce("switch", "agent.hz1", "13800000002", null);
        var ambiguous = _calls.Announce("switch", "agent.hz1", "0086 13800000003", null);

        Assert.Equal(("S00000", 1, "agent.hz1"), Call(mine));
        // a Ningbo customer is no customer of a Hangzhou agent: nothing of them is kept for the pop
        Assert.Equal(((string?)null, 0, "agent.hz1"), Call(elsewhere));
        Assert.Equal(((string?)null, 2, "agent.hz1"), Call(ambiguous));
        Assert.Equal([("agent.hz1", mine), ("agent.hz1", elsewhere), ("agent.hz1", ambiguous)], told);
        // another agent cannot read the call
        Assert.Null(_calls.PopFor(Hz2, new CustomerViewer("agent.hz2", Hz2.Scope, true), mine));
        // the audit trail names the call, never the number
        var audit = _w.W.Query<string>("select coalesce(target, '') || ' ' || coalesce(detail, '') from ops.audit_log where action = 'cti_call'");
        Assert.Equal(3, audit.Count);
        Assert.DoesNotContain(audit, a => a.Contains("1380000", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_agents_and_what_is_no_phone_number_are_refused()
    {
        Assert.Equal("unknown_agent", Assert.Throws<InboundCallException>(() => _calls.Announce("switch", "nobody", "13800000001", null)).Code);
        Assert.Equal("unknown_agent", Assert.Throws<InboundCallException>(() => _calls.Announce("switch", "analyst", "13800000001", null)).Code);
        Assert.Equal("invalid_number", Assert.Throws<InboundCallException>(() => _calls.Announce("switch", "agent.hz1", "abc", null)).Code);
        Assert.Equal(0L, _w.W.Query<long>("select count(*) from ops.inbound_call").Single());
    }

    [Fact]
    public void The_outcome_saved_for_the_call_is_its_inbound_contact_and_another_agents_call_is_left_alone()
    {
        var agents = new AgentWorkbench(_w.W.Db, _w.Access, _w.Options, _w.Region, [new InboundCallStep(_w.W.Db)]);
        var tasks = _w.Tasks(_w.Campaign(), 2, agents: ["agent.hz1", "agent.hz2"]);
        var call = _calls.Announce("switch", "agent.hz1", "13800000001", null);
        var othersCall = _calls.Announce("switch", "agent.hz2", "13800000001", null);

        var opened = agents.Open(Hz1, tasks[0]);
        var saved = agents.Record(Hz1, new OutcomeInput(tasks[0], "reached", "retained", ChurnReasonId: "price",
            Version: opened.Task.Version, InboundCallId: call));
        // agent.hz2 saving their own task with agent.hz1's call id changes neither the call nor the contact
        var second = agents.Open(Hz2, tasks[1]);
        var unrelated = agents.Record(Hz2, new OutcomeInput(tasks[1], "busy", Version: second.Task.Version, InboundCallId: call));

        Assert.Equal(("inbound_call", "price"), _w.W.Query<(string, string)>(
            "select channel, churn_reason_id from ops.contact where contact_id = $id", new { id = saved.ContactId }).Single());
        Assert.Equal((tasks[0], saved.ContactId), _w.W.Query<(long, long)>(
            "select task_id, contact_id from ops.inbound_call where call_id = $call", new { call }).Single());
        Assert.Equal("call", _w.W.Query<string>("select channel from ops.contact where contact_id = $id", new { id = unrelated.ContactId }).Single());
        Assert.Equal(0L, _w.W.Query<long>("select count(contact_id) from ops.inbound_call where call_id = $othersCall", new { othersCall }).Single());
    }

    public void Dispose() => _w.Dispose();
}
