using System.Net.Http.Json;
using RetentionAnalytics.Core.Sms;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Sms;

/// <summary>Compliance at dispatch time, quiet hours, retries, receipts and idempotency, against the HTTP simulator.</summary>
public class SmsDispatchTests : IAsyncLifetime
{
    private readonly SmsWorld _w;

    public SmsDispatchTests() : this(null)
    {
    }

    protected SmsDispatchTests(OpsOptions? ops) => _w = new SmsWorld(ops: ops);

    public Task InitializeAsync() => _w.InitializeAsync();
    public Task DisposeAsync() => _w.DisposeAsync();

    [SkippableFact]
    public async Task A_small_send_is_sent_rendered_and_recorded_as_an_sms_contact()
    {
        _w.Subscriber("S0001").Subscriber("S0002").Alert("s08", "S0001", "S0002");
        var send = _w.Send();
        Assert.Equal("approved", send.Status);

        var run = await _w.Dispatcher.RunAsync();

        Assert.Equal(2, run.Sent);
        Assert.Equal(2, _w.Simulator.Current().DistinctKeys);
        Assert.All(_w.Outbox(), m => Assert.Equal("delivered", m.Status));
        var body = _w.W.OpsScalar<string>("select body from ops.sms_outbox where subscriber_id = 'S0001'");
        Assert.Equal("Hi Anna, your plan Family 28 ends 2026-12-31. Reply TD to unsubscribe", body);
        Assert.Equal(2L, _w.W.Scalar<long>("select count(*) from ops.contact where channel = 'sms' and outcome = 'delivered'"));
    }

    [SkippableFact]
    public async Task An_agents_sms_instead_of_a_call_goes_to_their_tasks_subscriber_and_lands_on_the_task()
    {
        _w.Subscriber("S0101").Subscriber("S0102");
        _w.Exec("""
            insert into ops.task (task_id, campaign_id, subscriber_id, city_code, value_tier, priority_score, scenario_ids,
                status, assigned_to, attempts, version, created_at, updated_at)
            values (9101, 77, 'S0101', '571', 'mid', 0.9, 's08', 'in_progress', 'agent.hz1', 1, 3, now(), now()),
                   (9102, 77, 'S0102', '571', 'mid', 0.8, 's08', 'in_progress', 'agent.hz2', 0, 1, now(), now())
            """);
        _w.Template();
        var agent = new SmsActor("agent.hz1", Core.Access.RegionScope.ForCities(["571"]), IsSupervisor: false, IsAdministrator: false);

        // another agent's task is refused and audited; nothing is queued
        Assert.Throws<SmsSendException>(() => _w.Sends.RequestForTask(9102, "renewal", "en", agent));
        Assert.Contains(_w.Audit.Query(username: "agent.hz1", action: "task_denied"), e => e.Target == "task:9102");
        Assert.Empty(_w.Outbox());

        var send = _w.Sends.RequestForTask(9101, "renewal", "en", agent);
        Assert.Equal("approved", send.Status);
        Assert.Equal(1, send.Recipients);
        var run = await _w.Dispatcher.RunAsync();

        Assert.Equal(1, run.Sent);
        Assert.Equal("S0101", Assert.Single(_w.Outbox()).SubscriberId);
        var contact = _w.W.Query<(long? TaskId, long? CampaignId, string Username)>(
            "select task_id, campaign_id, username from ops.contact where channel = 'sms'").Single();
        Assert.Equal((9101L, 77L, "agent.hz1"), (contact.TaskId, contact.CampaignId, contact.Username));
    }

    [SkippableFact]
    public async Task An_opted_out_subscriber_gets_no_message_even_when_the_opt_out_came_after_approval()
    {
        _w.Subscriber("S0001").Subscriber("S0002").Alert("s08", "S0001", "S0002");
        _w.Send();
        _w.Blacklisted("S0001", scope: "sms", reason: "opt_out");
        _w.Blacklisted("S0002", scope: "both", reason: "complaint");

        var run = await _w.Dispatcher.RunAsync();

        Assert.Equal(0, run.Sent);
        Assert.Equal(0, _w.Simulator.Current().Requests);
        Assert.Equal(("suppressed", "opt_out"), (_w.Message("S0001").Status, _w.Message("S0001").SuppressedReason));
        Assert.Equal(("suppressed", "blacklist"), (_w.Message("S0002").Status, _w.Message("S0002").SuppressedReason));
    }

    [SkippableFact]
    public async Task A_call_only_or_expired_blacklist_entry_does_not_stop_an_sms()
    {
        _w.Subscriber("S0001").Subscriber("S0002").Alert("s08", "S0001", "S0002");
        _w.Blacklisted("S0001", scope: "call", reason: "request");
        _w.Blacklisted("S0002", scope: "sms", reason: "request", validUntil: new DateOnly(2026, 11, 4));
        _w.Send();

        var run = await _w.Dispatcher.RunAsync();

        Assert.Equal(2, run.Sent);
    }

    [SkippableTheory]
    [InlineData(21, 0, true)]
    [InlineData(23, 30, true)]
    [InlineData(8, 59, true)]
    [InlineData(9, 0, false)]
    [InlineData(20, 59, false)]
    public async Task Quiet_hours_defer_messages_until_they_end(int hour, int minute, bool quiet)
    {
        _w.Subscriber("S0001").Alert("s08", "S0001");
        _w.Clock.Now = new DateTime(2026, 11, 5, hour, minute, 0);
        _w.Send();

        var run = await _w.Dispatcher.RunAsync();

        if (!quiet)
        {
            Assert.Equal(1, run.Sent);
            return;
        }
        Assert.Equal((0, 1), (run.Sent, run.Deferred));
        var message = _w.Message("S0001");
        Assert.Equal("deferred", message.Status);
        var expectedEnd = hour >= 21 ? new DateTime(2026, 11, 6, 9, 0, 0) : new DateTime(2026, 11, 5, 9, 0, 0);
        Assert.Equal(expectedEnd, message.NextAttemptAt);

        _w.Clock.Now = expectedEnd;
        var later = await _w.Dispatcher.RunAsync();
        Assert.Equal(1, later.Sent);
        Assert.Equal("delivered", _w.Message("S0001").Status);
    }

    [SkippableFact]
    public async Task The_contact_cap_is_shared_with_calls_and_the_cap_plus_first_contact_is_suppressed()
    {
        _w.Options.MaxContacts = 2;
        _w.Options.ContactWindowDays = 14;
        var now = _w.Clock.Now;
        _w.Subscriber("S0001").Subscriber("S0002").Subscriber("S0003").Alert("s08", "S0001", "S0002", "S0003");
        _w.Contacted("S0001", now.AddDays(-3));                                   // 1 contact: under the cap of 2
        _w.Contacted("S0002", now.AddDays(-3)).Contacted("S0002", now.AddDays(-1), "sms"); // 2 contacts: at the cap
        _w.Contacted("S0003", now.AddDays(-20)).Contacted("S0003", now.AddDays(-16));    // outside the window
        _w.Send();

        await _w.Dispatcher.RunAsync();

        Assert.Equal("delivered", _w.Message("S0001").Status);
        Assert.Equal(("suppressed", "frequency_cap"), (_w.Message("S0002").Status, _w.Message("S0002").SuppressedReason));
        Assert.Equal("delivered", _w.Message("S0003").Status);
    }

    [SkippableFact]
    public async Task The_default_cap_is_the_call_lists_rule_one_contact_in_fourteen_days()
    {
        var now = _w.Clock.Now;
        _w.Subscriber("S0001").Subscriber("S0002").Alert("s08", "S0001", "S0002");
        _w.Contacted("S0001", now.AddDays(-13));
        _w.Send();

        await _w.Dispatcher.RunAsync();

        Assert.Equal("frequency_cap", _w.Message("S0001").SuppressedReason);
        Assert.Equal("delivered", _w.Message("S0002").Status);
    }

    [SkippableFact]
    public async Task A_re_run_of_the_dispatch_sends_no_duplicates()
    {
        _w.Subscriber("S0001").Subscriber("S0002").Subscriber("S0003").Alert("s08", "S0001", "S0002", "S0003");
        _w.Send();

        var first = await _w.Dispatcher.RunAsync();
        var second = await _w.Dispatcher.RunAsync();
        _w.Clock.Advance(TimeSpan.FromHours(1));
        var third = await _w.Dispatcher.RunAsync();

        Assert.Equal((3, 0, 0), (first.Sent, second.Sent, third.Sent));
        Assert.Equal(3, _w.Simulator.Current().Requests);
        Assert.Equal(3, _w.Simulator.Current().DistinctKeys);
        Assert.Equal(3L, _w.W.Scalar<long>("select count(*) from ops.contact where channel = 'sms'"));
    }

    [SkippableFact]
    public async Task Two_dispatchers_at_once_like_two_nodes_deliver_each_message_once()
    {
        var subscribers = Enumerable.Range(1, 40).Select(i => $"S{i:0000}").ToArray();
        foreach (var s in subscribers)
        {
            _w.Subscriber(s);
        }
        _w.Alert("s08", subscribers);
        _w.Send();
        var second = new SmsDispatcher(_w.W.Db, new HttpSmsGateway(_w.Http, _w.Options), _w.Options, _w.Region,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<SmsDispatcher>.Instance);

        // both start together; on PostgreSQL the loser finds the messages taken. On the embedded store a run that
        // loses a race fails; what it had claimed waits as 'sending' until the stale time and is then sent again under
        // the same key, as after any stopped run (the gateway keeps one)
        await Task.WhenAll(new[] { _w.Dispatcher, second }.Select(d => Task.Run(async () =>
        {
            try
            {
                await d.RunAsync();
            }
            catch (Exception ex) when (OpsDb.IsConflict(ex))
            {
            }
        })));
        _w.Clock.Advance(TimeSpan.FromMinutes(_w.Options.StaleSendingMinutes + 1));
        await _w.Dispatcher.RunAsync();

        Assert.All(_w.Outbox(), m => Assert.Equal("delivered", m.Status));
        Assert.Equal(40, _w.Simulator.Current().DistinctKeys);
        if (_w.W.Db.Ops.IsPostgres)
        {
            Assert.Equal(40, _w.Simulator.Current().Requests);
        }
        Assert.Equal(40L, _w.W.Scalar<long>("select count(*) from ops.contact where channel = 'sms'"));
        Assert.Equal(40L, _w.W.Scalar<long>("select count(distinct subscriber_id) from ops.contact where channel = 'sms'"));
    }

    [SkippableFact]
    public async Task A_message_left_sending_by_a_stopped_run_is_resent_under_its_key_and_the_gateway_keeps_one()
    {
        _w.Subscriber("S0001").Alert("s08", "S0001");
        var send = _w.Send();
        var key = SmsSends.IdempotencyKey(send.SendId, "S0001");
        // the stopped run: the gateway took the message, the outbox never heard back
        var firstId = _w.Simulator.Accept(key);
        _w.W.OpsExec("update ops.sms_outbox set status = 'sending', attempts = 1, updated_at = $at", new { at = _w.Clock.Now });

        var tooEarly = await _w.Dispatcher.RunAsync();
        _w.Clock.Advance(TimeSpan.FromMinutes(_w.Options.StaleSendingMinutes + 1));
        var recovered = await _w.Dispatcher.RunAsync();

        Assert.Equal((0, 1), (tooEarly.Sent, recovered.Sent));
        Assert.Equal(firstId, _w.Message("S0001").GatewayMessageId);
        Assert.Equal(1, _w.Simulator.Current().DistinctKeys);
    }

    [SkippableFact]
    public async Task Refused_messages_are_retried_with_doubling_waits_then_sent()
    {
        _w.Subscriber("S0001").Alert("s08", "S0001");
        _w.Send();
        _w.Simulator.FailNextRequests(2);
        var start = _w.Clock.Now;

        var first = await _w.Dispatcher.RunAsync();
        var afterFirst = _w.Message("S0001");
        _w.Clock.Advance(TimeSpan.FromSeconds(29));
        var notDue = await _w.Dispatcher.RunAsync();
        _w.Clock.Advance(TimeSpan.FromSeconds(1));
        var second = await _w.Dispatcher.RunAsync();
        var afterSecond = _w.Message("S0001");
        _w.Clock.Advance(TimeSpan.FromSeconds(60));
        var third = await _w.Dispatcher.RunAsync();

        Assert.Equal((1, "retry", "http 503"), (first.Retried, afterFirst.Status, afterFirst.LastError));
        Assert.Equal(start.AddSeconds(30), afterFirst.NextAttemptAt);
        Assert.Equal(0, notDue.Sent + notDue.Retried);
        Assert.Equal(1, second.Retried);
        Assert.Equal(start.AddSeconds(30 + 60), afterSecond.NextAttemptAt);
        Assert.Equal(1, third.Sent);
        Assert.Equal((3, "delivered"), (_w.Message("S0001").Attempts, _w.Message("S0001").Status));
    }

    [SkippableFact]
    public async Task A_message_refused_max_attempts_times_fails_without_a_contact()
    {
        _w.Options.MaxAttempts = 3;
        _w.Subscriber("S0001").Alert("s08", "S0001");
        _w.Send();
        _w.Simulator.FailNextRequests(10);

        for (var i = 0; i < 5; i++)
        {
            await _w.Dispatcher.RunAsync();
            _w.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        Assert.Equal(("failed", 3), (_w.Message("S0001").Status, _w.Message("S0001").Attempts));
        Assert.Equal(3, _w.Simulator.Current().Requests);
        Assert.Equal(0L, _w.W.Scalar<long>("select count(*) from ops.contact"));
    }

    [SkippableFact]
    public async Task Receipts_update_the_message_and_its_contact()
    {
        _w.Subscriber("S0001").Subscriber("S0002").Alert("s08", "S0001", "S0002");
        _w.Send();
        _w.Simulator.FailNextDeliveries(1);

        var run = await _w.Dispatcher.RunAsync();

        Assert.Equal(2, run.Receipts);
        var statuses = _w.Outbox().Select(m => m.Status).Order().ToList();
        Assert.Equal(["delivered", "failed"], statuses);
        var contacts = _w.W.Query<string>("select outcome from ops.contact where channel = 'sms' order by outcome");
        Assert.Equal(["delivered", "failed"], contacts);
        var stats = _w.History.Sends(Core.Access.RegionScope.WholeProvince).Single();
        Assert.Equal((2, 2, 1, 1), (stats.Messages, stats.Sent, stats.Delivered, stats.Failed));
    }

    [SkippableFact]
    public async Task A_receipt_pushed_to_the_endpoint_needs_the_token_and_is_applied_once()
    {
        _w.Subscriber("S0001").Alert("s08", "S0001");
        _w.Send();
        _w.W.OpsExec("update ops.sms_outbox set status = 'sent', gateway_message_id = 'GW1'");
        var body = new { receipts = new[] { new { messageId = "GW1", status = "failed" } } };

        using var anonymous = await _w.Http.PostAsJsonAsync(new Uri(_w.BaseAddress, "sms/receipts"), body);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_w.BaseAddress, "sms/receipts")) { Content = JsonContent.Create(body) };
        request.Headers.Add("X-Gateway-Token", "test-token");
        using var accepted = await _w.Http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.True(accepted.IsSuccessStatusCode);
        Assert.Equal("failed", _w.Message("S0001").Status);
    }
}

/// <summary>The same with the operational data in a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SmsDispatchTestsOnPostgres(PostgresServer postgres) : SmsDispatchTests(postgres.NewOps());
