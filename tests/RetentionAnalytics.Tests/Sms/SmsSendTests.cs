using System.Net.Http.Json;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Sms;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Sms;

/// <summary>Who may send what to whom: roles, the second approval above the threshold, scope, opt-out replies.</summary>
public class SmsSendTests : IAsyncLifetime
{
    private readonly SmsWorld _w;

    public SmsSendTests() : this(null)
    {
    }

    protected SmsSendTests(OpsOptions? ops) => _w = new SmsWorld(ops: ops);

    public Task InitializeAsync() => _w.InitializeAsync();
    public Task DisposeAsync() => _w.DisposeAsync();

    [SkippableFact]
    public void A_send_needs_the_supervisor_role()
    {
        _w.Subscriber("S0001").Alert("s08", "S0001");
        var agent = new SmsActor("agent.hz1", RegionScope.ForCities(["571"]), IsSupervisor: false, IsAdministrator: false);
        Assert.Throws<SmsSendException>(() => _w.Send(agent));
        Assert.Throws<SmsSendException>(() => _w.Send(SmsWorld.Admin));
    }

    [SkippableFact]
    public void At_the_threshold_a_send_is_approved_at_once_and_above_it_waits_for_a_second_person()
    {
        _w.Options.ApprovalThreshold = 2;
        _w.Subscriber("S0001").Subscriber("S0002").Subscriber("S0003").Alert("s08", "S0001", "S0002").Alert("s09", "S0001", "S0002", "S0003");

        var atThreshold = _w.Send(scenario: "s08");
        var above = _w.Send(scenario: "s09");

        Assert.Equal(("approved", 2), (atThreshold.Status, atThreshold.Recipients));
        Assert.Equal(("pending_approval", 3), (above.Status, above.Recipients));
        Assert.Equal(0L, _w.W.OpsScalar<long>("select count(*) from ops.sms_outbox where send_id = $id", new { id = above.SendId }));
        Assert.Throws<SmsSendException>(() => _w.Sends.Approve(above.SendId, SmsWorld.SupervisorHz));
        Assert.Throws<SmsSendException>(() => _w.Sends.Approve(above.SendId, SmsWorld.SupervisorNb)); // another city

        var approved = _w.Sends.Approve(above.SendId, SmsWorld.Admin);

        Assert.Equal(("approved", "admin"), (approved.Status, approved.ApprovedBy));
        Assert.Equal(3L, _w.W.OpsScalar<long>("select count(*) from ops.sms_outbox where send_id = $id", new { id = above.SendId }));
        Assert.Throws<SmsSendException>(() => _w.Sends.Approve(above.SendId, SmsWorld.ProvinceSupervisor)); // once only
    }

    [SkippableFact]
    public void A_rejected_send_enqueues_nothing()
    {
        _w.Options.ApprovalThreshold = 0;
        _w.Subscriber("S0001").Alert("s08", "S0001");
        var send = _w.Send();

        var rejected = _w.Sends.Reject(send.SendId, SmsWorld.ProvinceSupervisor);

        Assert.Equal("rejected", rejected.Status);
        Assert.Empty(_w.Outbox());
    }

    [SkippableFact]
    public void A_city_supervisors_audience_holds_only_their_city()
    {
        _w.Subscriber("S0001", city: "571").Subscriber("S0002", city: "574").Subscriber("S0003", city: "571")
            .Alert("s08", "S0001", "S0002", "S0003");

        var send = _w.Send(SmsWorld.SupervisorHz);

        Assert.Equal(2, send.Recipients);
        Assert.Equal(["571", "571"], _w.W.OpsQuery<string>("select city_code from ops.sms_outbox"));
        Assert.Empty(_w.Sends.List(RegionScope.ForCities(["574"])));
        Assert.Single(_w.Sends.List(RegionScope.ForCities(["571"])));
    }

    [SkippableFact]
    public void No_scope_means_no_audience()
    {
        _w.Subscriber("S0001").Alert("s08", "S0001");
        var unscoped = new SmsActor("supervisor.x", RegionScope.None, IsSupervisor: true, IsAdministrator: false);
        Assert.Throws<SmsSendException>(() => _w.Send(unscoped));
    }

    [SkippableTheory]
    [InlineData("TD")]
    [InlineData("  stop ")]
    [InlineData("Stop")]
    [InlineData("退订")]
    public async Task An_opt_out_reply_blacklists_the_subscriber_and_then_nothing_is_sent(string reply)
    {
        _w.Subscriber("S0001", msisdn: "13800000001").Alert("s08", "S0001");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_w.BaseAddress, "sms/inbound"))
        {
            Content = JsonContent.Create(new { from = "13800000001", text = reply, messageId = "IN1" }),
        };
        request.Headers.Add("X-Gateway-Token", "test-token");
        using var response = await _w.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode);

        var entry = _w.W.OpsQuery<(string Scope, string Reason, string Source)>("select scope, reason, source from ops.blacklist where subscriber_id = 'S0001'");
        Assert.Equal([("sms", "opt_out", "sms_reply")], entry);
        Assert.Equal(1L, _w.W.OpsScalar<long>("select count(*) from ops.audit_log where action = 'sms_opt_out' and target = 'S0001'"));

        _w.Send();
        var run = await _w.Dispatcher.RunAsync();
        Assert.Equal(0, run.Sent);
        Assert.Equal(0, _w.Simulator.Current().Requests);
        Assert.Equal("opt_out", _w.Message("S0001").SuppressedReason);
    }

    [SkippableFact]
    public void Other_replies_and_repeated_opt_outs_add_no_extra_blacklist_rows()
    {
        _w.Subscriber("S0001", msisdn: "13800000001");
        _w.Inbound.Receive("13800000001", "thanks", null);
        _w.Inbound.Receive("13800000001", "TD", null);
        _w.Inbound.Receive("13800000001", "td", null);

        Assert.Equal(1L, _w.W.OpsScalar<long>("select count(*) from ops.blacklist"));
        Assert.Equal(3L, _w.W.OpsScalar<long>("select count(*) from ops.sms_inbound"));
    }

    [SkippableFact]
    public void A_template_edit_adds_a_version_and_is_audited()
    {
        _w.Template("Hi {first_name}");
        var second = _w.Template("Hello {first_name}");

        Assert.Equal(2, second.Version);
        Assert.Equal(2, _w.Templates.History("renewal", "en").Count);
        Assert.Equal(2L, _w.W.OpsScalar<long>("select count(*) from ops.audit_log where action = 'sms_template_change'"));
    }

    [SkippableFact]
    public void Saving_a_template_unchanged_adds_no_version_but_a_changed_flag_does()
    {
        _w.Template("Hi {first_name}");
        var again = _w.Template("Hi {first_name}");

        Assert.Equal(1, again.Version);
        Assert.Single(_w.Templates.History("renewal", "en"));
        Assert.Equal(1L, _w.W.OpsScalar<long>("select count(*) from ops.audit_log where action = 'sms_template_change'"));

        var inactive = _w.Templates.Save("renewal", "en", "Renewal", "Hi {first_name}", false, "supervisor.hz");
        Assert.Equal(2, inactive.Version);
        Assert.False(inactive.Active);
    }

    [SkippableFact]
    public void A_send_keeps_the_template_version_it_was_approved_with()
    {
        _w.Options.ApprovalThreshold = 0;
        _w.Subscriber("S0001").Alert("s08", "S0001");
        var send = _w.Send();
        _w.Template("Changed text {first_name}");

        _w.Sends.Approve(send.SendId, SmsWorld.Admin);

        Assert.StartsWith("Hi Anna, your plan", _w.W.OpsScalar<string>("select body from ops.sms_outbox"));
    }
    [SkippableFact]
    public void A_call_list_audience_takes_its_tasks_or_only_those_tried_and_never_reached()
    {
        _w.Subscriber("S0001").Subscriber("S0002").Subscriber("S0003").Subscriber("S0004", city: "574");
        _w.Exec("""
            insert into ops.task (task_id, campaign_id, subscriber_id, city_code, priority_score, scenario_ids, status, attempts, version, created_at, updated_at)
            values (1, 7, 'S0001', '571', 1, 's08', 'callback', 2, 0, now(), now()),
                   (2, 7, 'S0002', '571', 1, 's08', 'done', 1, 0, now(), now()),
                   (3, 7, 'S0003', '571', 1, 's08', 'assigned', 0, 0, now(), now()),
                   (4, 7, 'S0004', '574', 1, 's08', 'callback', 1, 0, now(), now());
            insert into ops.contact (contact_id, subscriber_id, channel, contact_time, task_id, username, outcome) values
                (1, 'S0001', 'call', now(), 1, 'agent.hz1', 'no_answer'),
                (2, 'S0001', 'call', now(), 1, 'agent.hz1', 'busy'),
                (3, 'S0002', 'call', now(), 2, 'agent.hz1', 'reached');
            """);
        var audiences = new SmsAudiences(_w.W.Db, new Core.Scenarios.CustomRules(_w.W.Db, _w.Audit));
        var hz = RegionScope.ForCities(["571"]);

        var all = audiences.Members(new SmsAudience(SmsAudience.CallList, "7"), hz);
        var notReached = audiences.Members(new SmsAudience(SmsAudience.CallList, "7:not_reached"), hz);
        var provinceNotReached = audiences.Members(new SmsAudience(SmsAudience.CallList, "7:not_reached"), RegionScope.WholeProvince);

        Assert.Equal(["S0001", "S0002", "S0003"], all.Select(m => m.SubscriberId).Order());
        Assert.Equal(["S0001"], notReached.Select(m => m.SubscriberId));
        Assert.Equal(["S0001", "S0004"], provinceNotReached.Select(m => m.SubscriberId).Order());
    }

    [SkippableFact]
    public void A_saved_filter_audience_is_a_custom_rule_on_the_newest_month_within_both_scopes()
    {
        _w.Subscriber("S0001").Subscriber("S0002").Subscriber("S0003", city: "574");
        _w.Exec("""
            create table mart.mart_subscriber_features (subscriber_id varchar, city_code varchar, value_tier varchar,
                month date, status varchar, arpu decimal(12,2));
            insert into mart.mart_subscriber_features values
                ('S0001', '571', 'mid', '2026-10-01', 'active', 20),
                ('S0002', '571', 'mid', '2026-10-01', 'active', 80),
                ('S0003', '574', 'mid', '2026-10-01', 'active', 20),
                ('S0002', '571', 'mid', '2026-09-01', 'active', 20);
            """);
        var rules = new Core.Scenarios.CustomRules(_w.W.Db, _w.Audit);
        var rule = rules.Create("Low bill", null, """{"op":"and","conditions":[{"field":"arpu","operator":"<","value":50}]}""",
            3, "sms", "analyst", RegionScope.WholeProvince);
        var audiences = new SmsAudiences(_w.W.Db, rules);

        var hz = audiences.Members(new SmsAudience(SmsAudience.SavedFilter, rule.ScenarioId), RegionScope.ForCities(["571"]));
        var province = audiences.Members(new SmsAudience(SmsAudience.SavedFilter, rule.ScenarioId), RegionScope.WholeProvince);

        Assert.Equal(["S0001"], hz.Select(m => m.SubscriberId));
        Assert.Equal(["S0001", "S0003"], province.Select(m => m.SubscriberId).Order());
        Assert.Equal([new CityCount("571", 1), new CityCount("574", 1)], SmsAudiences.ByCity(province));
    }
}

/// <summary>The same with the operational data in a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SmsSendTestsOnPostgres(PostgresServer postgres) : SmsSendTests(postgres.NewOps());
