using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Sms;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Sms;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Sms;

/// <summary>A clock the test sets: local time is UTC, so quiet hours read as written.</summary>
public sealed class ManualClock(DateTime start) : TimeProvider
{
    public DateTime Now { get; set; } = start;

    public override DateTimeOffset GetUtcNow() => new(DateTime.SpecifyKind(Now, DateTimeKind.Utc));

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public void Advance(TimeSpan by) => Now += by;
}

/// <summary>
/// A warehouse holding just what the SMS services read (current subscribers with the template fields, alerts,
/// blacklist, contacts) given as rows, and the gateway simulator served over real HTTP on 127.0.0.1, with the
/// portal's own simulator and callback endpoints.
/// </summary>
public sealed class SmsWorld : IAsyncLifetime
{
    public static readonly DateOnly Period = new(2026, 10, 1);

    public TestWarehouse W { get; }
    public ManualClock Clock { get; } = new(new DateTime(2026, 11, 5, 10, 0, 0));
    public SmsOptions Options { get; } = new() { ApprovalThreshold = 500, RetryBaseSeconds = 30, MaxAttempts = 5 };
    public RegionClock Region { get; }
    public SmsGatewaySimulator Simulator { get; } = new();
    public AuditLog Audit { get; }
    public SmsTemplates Templates { get; }
    public SmsSends Sends { get; }
    public SmsDispatcher Dispatcher { get; }
    public SmsInbound Inbound { get; }
    public SmsHistory History { get; }
    public HttpClient Http { get; } = new();
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    private WebApplication? _gateway;

    public static readonly SmsActor SupervisorHz = new("supervisor.hz", RegionScope.ForCities(["571"]), IsSupervisor: true, IsAdministrator: false);
    public static readonly SmsActor SupervisorNb = new("supervisor.nb", RegionScope.ForCities(["574"]), IsSupervisor: true, IsAdministrator: false);
    public static readonly SmsActor Admin = new("admin", RegionScope.WholeProvince, IsSupervisor: false, IsAdministrator: true);
    public static readonly SmsActor ProvinceSupervisor = new("supervisor.prov", RegionScope.WholeProvince, IsSupervisor: true, IsAdministrator: false);

    /// <param name="zones">The region's time zones; default UTC, so the test clock reads as local time.</param>
    /// <param name="ops">Where the operational data lives; null: in the warehouse file.</param>
    public SmsWorld(RegionTimeOptions? zones = null, OpsOptions? ops = null)
    {
        W = new TestWarehouse(ops: ops);
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
        Exec("""
            create table dw.dim_subscriber (subscriber_id varchar, customer_id varchar, msisdn varchar, plan_code varchar,
                city_code varchar, status varchar, is_current boolean, valid_from date);
            create table dw.dim_customer (customer_id varchar, customer_name varchar);
            create table dw.dim_plan (plan_code varchar, plan_name varchar);
            create table dw.dim_region (city_code varchar, city_name varchar, region_level varchar);
            create table dw.fct_agreement (subscriber_id varchar, end_date date, is_active boolean);
            create table dw.fct_balance (subscriber_id varchar, balance decimal(12,2), balance_date date);
            create table dw.points_balance (subscriber_id varchar, points_balance bigint);
            create table dw.account_state (subscriber_id varchar, amount_owed decimal(12,2));
            create table dw.as_of (as_of_month date);
            insert into dw.as_of values ('2026-10-01');
            insert into dw.dim_plan values ('P28', 'Family 28');
            insert into dw.dim_region values ('571', 'Hangzhou', 'city'), ('574', 'Ningbo', 'city');
            """);
        Region = new RegionClock(zones ?? new RegionTimeOptions { TimeZone = "UTC" }, Clock);
        Audit = new AuditLog(W.Db);
        Templates = new SmsTemplates(W.Db, Audit);
        var audiences = new SmsAudiences(W.Db, new CustomRules(W.Db, Audit));
        Sends = new SmsSends(W.Db, Templates, audiences, Options, Audit, Region);
        Dispatcher = new SmsDispatcher(W.Db, new HttpSmsGateway(Http, Options), Options, Region, NullLogger<SmsDispatcher>.Instance);
        Inbound = new SmsInbound(W.Db, Audit, Clock, NullLogger<SmsInbound>.Instance);
        History = new SmsHistory(W.Db);
    }

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(Simulator);
        builder.Services.AddSingleton(Options);
        builder.Services.AddSingleton(Dispatcher);
        builder.Services.AddSingleton(Inbound);
        _gateway = builder.Build();
        _gateway.MapSmsGatewaySimulator();
        _gateway.MapSmsCallbacks();
        await _gateway.StartAsync();
        var address = _gateway.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        Options.Gateway.BaseUrl = BaseAddress + "sms-gateway/";
        Options.Gateway.CallbackToken = "test-token";
    }

    public async Task DisposeAsync()
    {
        if (_gateway is not null)
        {
            await _gateway.StopAsync();
            await _gateway.DisposeAsync();
        }
        Http.Dispose();
        W.Dispose();
    }

    public SmsWorld Subscriber(string id, string city = "571", string name = "Anna Meier", string status = "active", string? msisdn = null)
    {
        Exec("""
            insert into dw.dim_subscriber values ($id, 'C' || $id, $msisdn, 'P28', $city, $status, true, '2025-01-01');
            insert into dw.dim_customer values ('C' || $id, $name);
            insert into dw.fct_agreement values ($id, '2026-12-31', true);
            insert into dw.fct_balance values ($id, 12.5, '2026-10-31');
            """, new { id, city, name, status, msisdn = msisdn ?? "1380000" + id[^4..] });
        return this;
    }

    public SmsWorld Alert(string scenario, params string[] subscribers)
    {
        foreach (var s in subscribers)
        {
            Exec("""
                insert into det.alert (scenario_id, period, subscriber_id, city_code, value_tier, score, evidence, params_hash, run_id, detected_at)
                select $scenario, $period, subscriber_id, city_code, 'mid', 0.5, 'test', 'h', 1, now()
                from dw.dim_subscriber where subscriber_id = $s
                """, new { scenario, s, period = Period });
        }
        return this;
    }

    public SmsWorld Blacklisted(string subscriber, string scope = "sms", string reason = "opt_out", DateOnly? validUntil = null)
    {
        W.OpsExec("insert into ops.blacklist values ($subscriber, $scope, $reason, 'ui', $validUntil, now(), 'test')",
            new { subscriber, scope, reason, validUntil });
        return this;
    }

    public SmsWorld Contacted(string subscriber, DateTime at, string channel = "call")
    {
        Exec("""
            insert into ops.contact (contact_id, subscriber_id, channel, contact_time, task_id, username, outcome)
            values (nextval('ops.contact_id_seq'), $subscriber, $channel, $at, null, 'agent.hz1', 'reached')
            """, new { subscriber, channel, at });
        return this;
    }

    public SmsTemplate Template(string body = "Hi {first_name}, your plan {plan_name} ends {contract_end}.", string language = "en") =>
        Templates.Save("renewal", language, "Renewal", body, true, "supervisor.hz");

    /// <summary>A send of the renewal template to everyone alerted in scenario s08 (approved at once when small).</summary>
    public SmsSend Send(SmsActor? actor = null, string scenario = "s08")
    {
        Template();
        return Sends.Request("renewal", "en", new SmsAudience(SmsAudience.Alerts, $"{scenario}:2026-10"), actor ?? SupervisorHz);
    }

    public sealed record OutboxRow(long MessageId, string SubscriberId, string Status, string? SuppressedReason, int Attempts,
        DateTime NextAttemptAt, string? GatewayMessageId, long? ContactId, string? LastError);

    public List<OutboxRow> Outbox() => W.OpsQuery<OutboxRow>("""
        select message_id, subscriber_id, status, suppressed_reason, attempts, next_attempt_at, gateway_message_id, contact_id, last_error
        from ops.sms_outbox order by subscriber_id, message_id
        """);

    public OutboxRow Message(string subscriber) => Outbox().Single(m => m.SubscriberId == subscriber);

    public void Exec(string sql, object? args = null)
    {
        using var c = W.Db.Connect();
        c.Execute(sql, args);
    }
}
