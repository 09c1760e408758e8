using System.Collections.Concurrent;
using System.Diagnostics;
using RetentionAnalytics.Core.Dialer;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;
using static RetentionAnalytics.Tests.Dialer.DialerWorld;

namespace RetentionAnalytics.Tests.Dialer;

/// <summary>
/// What the dialer is served, on a real DuckDB file: never a blacklisted, opted-out, control-group, contact-capped,
/// out-of-attempts or out-of-hours number; due callbacks first and only to their agent; a task never to two requests,
/// also under 8 concurrent requests; only the cities a supervisor of those regions handed over.
/// </summary>
public class DialerServingTests : IDisposable
{
    private readonly DialerWorld _d;

    public DialerServingTests() : this(() => null)
    {
    }

    protected DialerServingTests(Func<OpsOptions?> ops) => _d = new DialerWorld(ops());

    private string Subscriber(long taskId) => _d.W.W.Scalar<string>("select subscriber_id from ops.task where task_id = $taskId", new { taskId });

    /// <summary>20 Hangzhou tasks S00000..S00019 (open) and 5 Ningbo tasks N00000..N00004, with the cases the rules name.</summary>
    private long Campaign()
    {
        var campaign = _d.W.Campaign();
        _d.W.Tasks(campaign, 20);
        _d.W.Tasks(campaign, 5, city: "574", prefix: "N");
        _d.Numbers();
        _d.OpsExec("""
            insert into ops.blacklist values
                ('S00001', 'call', 'opt_out', 'sms_reply', null, now(), 'test'),
                ('S00002', 'both', 'legal', 'ui', null, now(), 'test'),
                ('S00003', 'sms', 'opt_out', 'ui', null, now(), 'test'),
                ('S00004', 'call', 'request', 'ui', date '2026-11-01', now(), 'test');
            """);
        _d.W.Exec("""
            insert into ops.campaign_member (campaign_id, subscriber_id, city_code, member_group, risk_score, added_at)
                values ($campaign, 'S00005', '571', 'control', 0.5, now());
            insert into ops.contact (contact_id, subscriber_id, channel, contact_time, task_id, username, outcome)
                values (nextval('ops.contact_id_seq'), 'S00006', 'sms', timestamp '2026-11-04 10:00', null, null, 'sent'),
                       (nextval('ops.contact_id_seq'), 'S00007', 'call', timestamp '2026-11-04 10:00',
                        (select task_id from ops.task where subscriber_id = 'S00007'), 'agent.hz1', 'no_answer');
            update ops.task set attempts = 1 where subscriber_id = 'S00007';
            update ops.task set attempts = 3 where subscriber_id = 'S00008';
            update ops.task set status = 'callback', assigned_to = 'agent.hz2', callback_at = timestamp '2026-11-05 09:00' where subscriber_id = 'S00009';
            update ops.task set status = 'callback', assigned_to = 'agent.hz2', callback_at = timestamp '2026-11-05 15:00' where subscriber_id = 'S00010';
            update ops.task set status = 'assigned', assigned_to = 'agent.hz1' where subscriber_id = 'S00011';
            update ops.task set status = 'in_progress', assigned_to = 'agent.hz3' where subscriber_id = 'S00012';
            update ops.task set status = 'done' where subscriber_id = 'S00013';
            update dw.dim_subscriber set status = 'churned' where subscriber_id = 'S00014';
            """, new { campaign });
        return campaign;
    }

    [SkippableFact]
    public void The_dialer_never_gets_a_number_the_rules_hold_back_and_hours_are_the_customers_own()
    {
        var campaign = Campaign();
        _d.Desk.Handover(SupervisorProvince, campaign, "progressive");

        var served = _d.Drain(campaign, "agent.all", "agent.hz1", "agent.hz2").Select(r => Subscriber(r.TaskId)).ToList();

        // held back: opt-out and legal blacklist (call scope), control group, an SMS yesterday (contact pressure shared
        // with SMS), attempts used up, a callback not yet due, another agent's call in progress, done, churned; Ningbo
        // is at 02:00 on its own clock
        string[] expected = ["S00000", "S00003", "S00004", "S00007", "S00009", "S00011", "S00015", "S00016", "S00017", "S00018", "S00019"];
        Assert.Equal(expected, served.Order().ToArray());
        Assert.Equal(served.Count, served.Distinct().Count());

        // at 18:00 UTC it is 10:00 in Los Angeles: Ningbo is dialled now
        _d.W.Clock.Utc = new DateTime(2026, 11, 5, 18, 0, 0);
        var later = _d.Drain(campaign, "agent.all").Where(r => r.CityCode == "574").Select(r => Subscriber(r.TaskId)).ToList();
        Assert.Equal(["N00000", "N00001", "N00002", "N00003", "N00004"], later.Order().ToArray());
        // at 22:00 UTC Hangzhou (on UTC) is past 21:00: the leases expired meanwhile, still only Ningbo is served
        _d.W.Clock.Utc = new DateTime(2026, 11, 5, 22, 0, 0);
        var night = _d.Drain(campaign, "agent.all");
        Assert.NotEmpty(night);
        Assert.All(night, r => Assert.Equal("574", r.CityCode));
    }

    [SkippableFact]
    public void A_due_callback_comes_first_and_only_to_its_agent_and_assigned_tasks_only_to_theirs()
    {
        var campaign = Campaign();
        _d.Desk.Handover(SupervisorHz, campaign, "progressive");

        var first = _d.Dialer.Next("switch", campaign, ["agent.hz1", "agent.hz2"]).Records;
        Assert.Equal(("agent.hz2", "S00009", true), (first[1].Agent, Subscriber(first[1].TaskId), first[1].Callback));
        Assert.Equal(new DateTime(2026, 11, 5, 9, 0, 0), first[1].CallbackAt);

        var hz3 = _d.Drain(campaign, "agent.hz3").Select(r => Subscriber(r.TaskId)).ToList();
        Assert.DoesNotContain("S00011", hz3); // agent.hz1's task
        Assert.DoesNotContain("S00009", hz3);
        var hz1 = _d.Drain(campaign, "agent.hz1").Select(r => Subscriber(r.TaskId)).ToList();
        Assert.Contains("S00011", hz1.Concat([Subscriber(first[0].TaskId)]));
    }

    [SkippableFact]
    public void A_supervisor_sees_what_the_dialer_could_serve_now_and_for_whom()
    {
        var campaign = Campaign();
        _d.Desk.Handover(SupervisorHz, campaign, "progressive");

        // Hangzhou's eleven records the rules let through: nine for any free agent, a due callback and an assigned task only for their agents
        Assert.Equal(new DialerReadiness(campaign, true, 9, 2), _d.Desk.Readiness(SupervisorHz, campaign));

        // the open ones served to another agent: what is left waits for the two agents it is assigned to
        _d.Drain(campaign, "agent.hz3");
        Assert.Equal(new DialerReadiness(campaign, true, 0, 2), _d.Desk.Readiness(SupervisorHz, campaign));

        // past 21:00 in Hangzhou nothing is served at all
        _d.W.Clock.Utc = new DateTime(2026, 11, 5, 22, 0, 0);
        Assert.Equal(new DialerReadiness(campaign, false, 0, 0), _d.Desk.Readiness(SupervisorHz, campaign));
        // Ningbo's supervisor has the campaign's Ningbo tasks but has not handed them over: nothing is served there
        Assert.Equal(new DialerReadiness(campaign, false, 0, 0), _d.Desk.Readiness(SupervisorNb, campaign));
    }

    [SkippableFact]
    public void Eight_concurrent_dialer_requests_never_get_the_same_task()
    {
        var campaign = _d.W.Campaign();
        _d.W.Tasks(campaign, 300);
        _d.Numbers();
        _d.Desk.Handover(SupervisorHz, campaign, "progressive");

        // reference for docs/benchmarks.md: a bare read of one task by key, in the same run
        var reference = Stopwatch.StartNew();
        for (var i = 0; i < 100; i++)
        {
            _d.W.W.Scalar<long>("select version from ops.task where task_id = $id", new { id = i + 1L });
        }
        var referenceMs = reference.Elapsed.TotalMilliseconds / 100;

        var served = new ConcurrentBag<long>();
        var requests = 0;
        var clock = Stopwatch.StartNew();
        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, client =>
        {
            while (_d.Dialer.Next($"dialer{client}", campaign, ["agent.hz1", "agent.hz2", "agent.hz3"]).Records is { Count: > 0 } batch)
            {
                Interlocked.Increment(ref requests);
                foreach (var r in batch)
                {
                    served.Add(r.TaskId);
                }
            }
        });
        var elapsed = clock.Elapsed.TotalMilliseconds;
        Console.WriteLine(FormattableString.Invariant(
            $"dialer serving: 8 clients, {requests} requests of 3 records, {served.Count} records in {elapsed:0} ms: {served.Count * 1000 / elapsed:0} records/s, {elapsed / requests:0.0} ms per request in turn; reference key read {referenceMs:0.00} ms, ratio {elapsed / requests / referenceMs:0.0}"));

        Assert.Equal(300, served.Count);
        Assert.Equal(300, served.Distinct().Count());
        Assert.Equal(300L, _d.W.W.Scalar<long>("select count(distinct task_id) from ops.dialer_lease where campaign_id = $campaign", new { campaign }));
    }

    [SkippableFact]
    public void A_supervisor_hands_over_and_sees_only_the_cities_of_their_regions()
    {
        var ningbo = _d.W.Campaign("s08_contract_expiry:2026-10", "s08_contract_expiry");
        _d.W.Tasks(ningbo, 3, city: "574", prefix: "N");
        var mixed = _d.W.Campaign();
        _d.W.Tasks(mixed, 3);
        _d.W.Tasks(mixed, 3, city: "574", prefix: "M");
        _d.Numbers();
        _d.W.Clock.Utc = new DateTime(2026, 11, 5, 18, 0, 0); // both cities inside the calling hours

        Assert.Equal(404, Assert.Throws<DialerException>(() => _d.Desk.Handover(SupervisorHz, ningbo, "progressive")).Status);
        Assert.Throws<DialerException>(() => _d.Desk.List(SupervisorHz, ningbo));
        Assert.Equal(2, _d.W.Denials($"campaign:{ningbo}"));
        _d.Desk.Handover(SupervisorNb, ningbo, "preview");
        Assert.DoesNotContain(_d.Desk.Progress(SupervisorHz), p => p.CampaignId == ningbo);
        Assert.Equal(404, Assert.Throws<DialerException>(() => _d.Desk.Stop(SupervisorHz, ningbo)).Status);

        // the Hangzhou supervisor hands over Hangzhou only: the dialer gets no Ningbo task of the campaign
        _d.Desk.Handover(SupervisorHz, mixed, "progressive");
        var served = _d.Drain(mixed, "agent.all");
        Assert.Equal(3, served.Count);
        Assert.All(served, r => Assert.Equal("571", r.CityCode));
        Assert.Equal(3, _d.Desk.Progress(SupervisorHz).Single(p => p.CampaignId == mixed).Leased);

        // preview: one agent asks for their own next record
        Assert.Equal("preview_one_agent", Assert.Throws<DialerException>(() => _d.Dialer.Next("switch", ningbo, ["agent.nb1", "agent.all"])).Code);
        Assert.Equal("N00000", Subscriber(_d.Dialer.Next("switch", ningbo, ["agent.nb1"]).Records.Single().TaskId));
        Assert.Equal("unknown_agent", Assert.Throws<DialerException>(() => _d.Dialer.Next("switch", ningbo, ["analyst"])).Code);
    }

    public void Dispose() => _d.Dispose();
}

/// <summary>
/// The same rules with the accounts and the blacklist in a real PostgreSQL: the dialer reads the entries in force and the
/// agents' regions from the operational data, wherever it lives.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class DialerServingTestsOnPostgres(PostgresServer postgres) : DialerServingTests(postgres.NewOps);
