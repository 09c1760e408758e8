using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Sms;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Sms;

/// <summary>
/// A message never goes out with a hole in it ("ends on ."), and what the editor and the send form count is what is
/// sent: each recipient's own message decides its encoding and segments.
/// </summary>
public class SmsMissingValueTests : IAsyncLifetime
{
    private readonly SmsWorld _w;

    public SmsMissingValueTests() : this(null)
    {
    }

    protected SmsMissingValueTests(OpsOptions? ops) => _w = new SmsWorld(ops: ops);

    public Task InitializeAsync() => _w.InitializeAsync();
    public Task DisposeAsync() => _w.DisposeAsync();

    [SkippableFact]
    public void Rendering_names_the_fields_without_a_value()
    {
        var rendered = SmsTemplates.RenderFor("en", "Hi {first_name}, your plan ends on {contract_end}.", f => f == "first_name" ? "Anna" : null);

        Assert.Equal(["contract_end"], rendered.Missing);
        Assert.False(rendered.IsComplete);
        Assert.Equal("Hi Anna, your plan ends on . Reply TD to unsubscribe", rendered.Text);
    }

    [SkippableFact]
    public async Task A_recipient_without_a_value_is_suppressed_as_missing_value_and_the_others_get_their_message()
    {
        _w.Subscriber("S0001").Subscriber("S0002").Alert("s08", "S0001", "S0002");
        _w.Exec("delete from dw.fct_agreement where subscriber_id = 'S0002'");

        var send = _w.Send();
        var run = await _w.Dispatcher.RunAsync();

        Assert.Equal("approved", send.Status);
        Assert.Equal(1, run.Sent);
        Assert.Equal(("delivered", (string?)null), (_w.Message("S0001").Status, _w.Message("S0001").SuppressedReason));
        Assert.Equal(("suppressed", (string?)"missing_value"), (_w.Message("S0002").Status, _w.Message("S0002").SuppressedReason));
        Assert.Equal(1, _w.Simulator.Current().DistinctKeys);
        var stats = _w.History.Sends(RegionScope.WholeProvince).Single();
        Assert.Equal((2, 1, "missing_value=1"), (stats.Messages, stats.Suppressed, stats.SuppressedByReason));
    }

    [SkippableFact]
    public void The_preview_counts_each_recipients_own_message_a_chinese_name_making_it_ucs2()
    {
        _w.Subscriber("S0001").Subscriber("S0002", name: "欧阳晓明").Subscriber("S0003").Alert("s08", "S0001", "S0002", "S0003");
        _w.Exec("delete from dw.fct_agreement where subscriber_id = 'S0003'");
        var template = _w.Template("Hello {first_name}, your plan {plan_name} ends {contract_end}. Call us to keep your number and your benefits.");

        var preview = _w.Sends.Preview(template, new SmsAudience(SmsAudience.Alerts, "s08:2026-10"), SmsWorld.SupervisorHz.Scope);

        var anna = SmsSegments.Measure(SmsTemplates.Render("en", template.Body, f => f switch
        {
            "first_name" => "Anna", "plan_name" => "Family 28", "contract_end" => "2026-12-31", _ => null,
        }));
        var chinese = SmsSegments.Measure(SmsTemplates.Render("en", template.Body, f => f switch
        {
            "first_name" => "欧阳晓明", "plan_name" => "Family 28", "contract_end" => "2026-12-31", _ => null,
        }));
        Assert.Equal((SmsSegments.Gsm7, SmsSegments.Ucs2), (anna.Encoding, chinese.Encoding));
        Assert.True(chinese.Segments > anna.Segments);
        Assert.Equal((3, 1, 2, anna.Segments + chinese.Segments, 1), (preview.Recipients, preview.MissingValues, preview.Messages, preview.Segments, preview.Ucs2Messages));
        // the sample shown to the sender is the one that would not go out
        Assert.Equal("S0003", preview.SampleSubscriberId);
        Assert.Equal(["contract_end"], preview.Sample!.Missing);
        // the editor's second measure, for a customer with a Chinese name, tells the same encoding
        Assert.Equal(SmsSegments.Ucs2, SmsSegments.Measure(SmsTemplates.RenderChineseExample("en", template.Body)).Encoding);
    }

    [SkippableFact]
    public void An_agent_is_refused_an_sms_that_would_miss_a_value_for_their_customer()
    {
        _w.Subscriber("S0001");
        _w.Exec("delete from dw.fct_agreement where subscriber_id = 'S0001'");
        _w.Exec("""
            insert into ops.task (task_id, campaign_id, subscriber_id, city_code, value_tier, priority_score, scenario_ids, status,
                team_id, assigned_to, due_date, attempts, version, created_at, updated_at)
            values (77, 1, 'S0001', '571', 'low', 1, 's08', 'in_progress', 'T571-RET', 'agent.hz1', date '2026-11-12', 0, 1, now(), now())
            """);
        _w.Template();
        var agent = new SmsActor("agent.hz1", RegionScope.ForCities(["571"]), IsSupervisor: false, IsAdministrator: false);

        var refusal = Assert.Throws<SmsSendException>(() => _w.Sends.RequestForTask(77, "renewal", "en", agent));

        Assert.Equal("missing_values", refusal.Code);
        Assert.Equal(["{contract_end}"], refusal.Args);
        Assert.Equal(0L, _w.W.OpsScalar<long>("select count(*) from ops.sms_send"));
    }
}

/// <summary>The same with the operational data in a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SmsMissingValueTestsOnPostgres(PostgresServer postgres) : SmsMissingValueTests(postgres.NewOps());
