using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.NewSubscribers;
using RetentionAnalytics.Core.Questionnaires;

namespace RetentionAnalytics.Tests.NewSubscribers;

public sealed class NewSubscriberCallbackTests
{
    private static GenerationResult Generate(CampaignWorld w, NewSubscriberSettings? settings = null)
    {
        w.Callbacks.SaveSettings(settings ?? NewSubscriberSettings.Default, "supervisor.hz");
        return w.Callbacks.Generate(CampaignWorld.Period, "supervisor.hz", RegionScope.WholeProvince, CampaignWorld.Today);
    }

    [Fact]
    public void The_window_counts_back_from_the_period_end_and_includes_both_ends()
    {
        using var w = new CampaignWorld()
            .Subscriber("D31", activated: new DateOnly(2026, 10, 31))
            .Subscriber("D22", activated: new DateOnly(2026, 10, 22))
            .Subscriber("D21", activated: new DateOnly(2026, 10, 21))
            .Subscriber("NOV", activated: new DateOnly(2026, 11, 1))
            .Subscriber("OLD", activated: new DateOnly(2025, 1, 1));

        var result = Generate(w, NewSubscriberSettings.Default with { ActivatedWithinDays = 10, HoldoutPct = 0 });

        Assert.Equal(new DateOnly(2026, 10, 22), result.WindowStart);
        Assert.Equal(["D22", "D31"], w.Members(result.CampaignId).Select(m => m.SubscriberId).ToList());
        Assert.Equal(["D22", "D31"], w.TaskSubscribers(result.CampaignId));
        Assert.Equal("new_subscriber", w.W.Scalar<string>("select questionnaire_id from ops.campaign where campaign_id = $id", new { id = result.CampaignId }));
        Assert.Equal("new_subscriber", w.W.Scalar<string>("select kind from ops.campaign where campaign_id = $id", new { id = result.CampaignId }));
    }

    [Fact]
    public void Channels_cities_and_plans_narrow_the_list()
    {
        var october = new DateOnly(2026, 10, 15);
        using var w = new CampaignWorld()
            .Subscriber("KEEP", city: "571", channel: "O001", plan: "Q88", activated: october)
            .Subscriber("CHANNEL", city: "571", channel: "S001", plan: "Q88", activated: october)
            .Subscriber("CITY", city: "574", channel: "O001", plan: "Q88", activated: october)
            .Subscriber("PLAN", city: "571", channel: "O001", plan: "P28", activated: october)
            .Subscriber("KEEP2", city: "570", channel: "A001", plan: "Q128", activated: october);

        var result = Generate(w, new NewSubscriberSettings(30, "O001, A001", "571,570", "Q88,Q128", 0));

        Assert.Equal(["KEEP", "KEEP2"], w.Members(result.CampaignId).Select(m => m.SubscriberId).ToList());
    }

    [Fact]
    public void A_rerun_adds_only_new_activations_and_the_control_group_is_reproducible()
    {
        using var a = new CampaignWorld().ManyNew(2000);
        using var b = new CampaignWorld().ManyNew(2000);

        var first = Generate(a);
        var tasks = a.TaskSubscribers(first.CampaignId);
        var again = a.Callbacks.Generate(CampaignWorld.Period, "supervisor.hz", RegionScope.WholeProvince, CampaignWorld.Today);
        a.Subscriber("LATE", activated: new DateOnly(2026, 10, 30));
        var third = a.Callbacks.Generate(CampaignWorld.Period, "supervisor.hz", RegionScope.WholeProvince, CampaignWorld.Today);
        var other = Generate(b);

        Assert.Equal(first.CampaignId, again.CampaignId);
        Assert.Equal((0L, 0L), (again.AddedMembers, again.AddedTasks));
        Assert.Equal(1L, third.AddedMembers);
        Assert.Equal(1L, a.W.Scalar<long>("select count(*) from ops.campaign where kind = 'new_subscriber'"));
        Assert.Equal(0L, a.W.Scalar<long>("select count(*) - count(distinct subscriber_id) from ops.campaign_member"));
        Assert.Equal(tasks, a.TaskSubscribers(first.CampaignId).Where(s => s != "LATE" ).ToList());
        var controlA = a.Members(first.CampaignId).Where(m => m.MemberGroup == "control").Select(m => m.SubscriberId).Where(s => s != "LATE").ToList();
        var controlB = b.Members(other.CampaignId).Where(m => m.MemberGroup == "control").Select(m => m.SubscriberId).ToList();
        Assert.Equal(controlA, controlB);
        Assert.InRange(controlA.Count / 2000.0, 0.08, 0.12);
        Assert.Empty(a.TaskSubscribers(first.CampaignId).Intersect(controlA));
        Assert.Equal(3, a.Callbacks.Runs().Count);
    }

    [Fact]
    public void Blacklisted_churned_and_complaining_new_subscribers_are_excluded_with_their_reason()
    {
        var october = new DateOnly(2026, 10, 15);
        using var w = new CampaignWorld()
            .Subscriber("OK", activated: october)
            .Subscriber("BL", activated: october).Blacklist("BL")
            .Subscriber("CH", activated: october, status: "churned", deactivated: new DateOnly(2026, 10, 20))
            .Subscriber("CO", activated: october).Complaint("CO");

        var result = Generate(w, NewSubscriberSettings.Default with { HoldoutPct = 0 });

        Assert.Equal(
            [new CampaignWorld.Member("BL", "571", "excluded", "blacklist"), new CampaignWorld.Member("CH", "571", "excluded", "churned"),
             new CampaignWorld.Member("CO", "571", "excluded", "open_complaint"), new CampaignWorld.Member("OK", "571", "treated", null)],
            w.Members(result.CampaignId));
        Assert.Equal(["OK"], w.TaskSubscribers(result.CampaignId));
    }

    [Fact]
    public void A_city_supervisor_adds_only_their_cities_and_a_province_run_adds_the_rest()
    {
        using var w = new CampaignWorld().ManyNew(20).ManyNew(10, city: "574", prefix: "B");
        w.Callbacks.SaveSettings(NewSubscriberSettings.Default with { ActivatedWithinDays = 31, HoldoutPct = 0 }, "supervisor.hz");

        var hz = w.Callbacks.Generate(CampaignWorld.Period, "supervisor.hz", CampaignWorld.Hangzhou, CampaignWorld.Today);
        var province = w.Callbacks.Generate(CampaignWorld.Period, "admin", RegionScope.WholeProvince, CampaignWorld.Today);

        Assert.Equal((20L, 10L), (hz.AddedMembers, province.AddedMembers));
        Assert.Equal(hz.CampaignId, province.CampaignId);
        Assert.Throws<NewSubscriberException>(() => w.Callbacks.Generate(CampaignWorld.Period, "x", RegionScope.None, CampaignWorld.Today));
    }

    [Fact]
    public void Settings_are_checked_and_kept()
    {
        using var w = new CampaignWorld();

        Assert.Throws<NewSubscriberException>(() => w.Callbacks.SaveSettings(NewSubscriberSettings.Default with { ActivatedWithinDays = 0 }, "x"));
        Assert.Throws<NewSubscriberException>(() => w.Callbacks.SaveSettings(NewSubscriberSettings.Default with { HoldoutPct = 0.9 }, "x"));
        Assert.Throws<NewSubscriberException>(() => w.Callbacks.SaveSettings(NewSubscriberSettings.Default with { Cities = "571;drop" }, "x"));
        w.Callbacks.SaveSettings(new NewSubscriberSettings(14, " O001 ,, A001", "", null, 0.2), "supervisor.hz");

        Assert.Equal(new NewSubscriberSettings(14, "O001,A001", null, null, 0.2), w.Callbacks.Settings());
    }

    [Fact]
    public void Effectiveness_figures_equal_an_independent_count()
    {
        using var w = new CampaignWorld().ManyNew(400).ManyNew(100, city: "574", prefix: "B");
        var result = Generate(w, NewSubscriberSettings.Default with { HoldoutPct = 0.3 });
        // early churn: every 7th member churned within 90 days, every 11th churned later (not early)
        w.Exec("""
            update dw.dim_subscriber set status = 'churned', deactivation_date = activation_date + 40
            where cast(substr(subscriber_id, 2) as integer) % 7 = 0;
            update dw.dim_subscriber set status = 'churned', deactivation_date = activation_date + 120
            where cast(substr(subscriber_id, 2) as integer) % 11 = 0 and status <> 'churned';
            """);
        // outcomes and answers: every 3rd task reached with answers
        var tasks = w.W.Query<long>("select task_id from ops.task where campaign_id = $id order by task_id", new { id = result.CampaignId });
        using (var c = w.W.Db.Connect())
        using (var tx = c.BeginTransaction())
        {
            foreach (var (task, i) in tasks.Select((t, i) => (t, i)))
            {
                var reached = i % 3 == 0;
                c.Execute("insert into ops.contact (contact_id, subscriber_id, channel, contact_time, task_id, outcome) select nextval('ops.contact_id_seq'), subscriber_id, 'call', now(), task_id, $outcome from ops.task where task_id = $task",
                    new { task, outcome = reached ? "reached" : "no_answer" }, tx);
                if (reached)
                {
                    var problems = i % 2 == 0;
                    var answers = new Dictionary<string, IReadOnlyList<string>>
                    {
                        ["satisfaction"] = [(1 + i % 5).ToString(System.Globalization.CultureInfo.InvariantCulture)],
                        ["had_problems"] = [problems ? "yes" : "no"],
                    };
                    if (problems)
                    {
                        answers["problems"] = i % 4 == 0 ? ["billing", "coverage"] : ["billing"];
                    }
                    QuestionnaireAnswers.Save(w.W.Db, c, tx, task, "new_subscriber", 1, answers, "agent.hz1");
                }
            }
            tx.Commit();
        }

        var hz = w.Callbacks.Evaluate(result.CampaignId, CampaignWorld.Hangzhou);
        var all = w.Callbacks.Evaluate(result.CampaignId, RegionScope.WholeProvince);

        foreach (var (figures, city) in new[] { (hz, "571"), (all, (string?)null) })
        {
            var expected = w.W.Query<(long Treated, long Control, long TreatedChurn, long ControlChurn)>("""
                select count(*) filter (where m.member_group = 'treated'), count(*) filter (where m.member_group = 'control'),
                       count(*) filter (where m.member_group = 'treated' and s.status = 'churned' and s.deactivation_date - s.activation_date <= 90),
                       count(*) filter (where m.member_group = 'control' and s.status = 'churned' and s.deactivation_date - s.activation_date <= 90)
                from ops.campaign_member m join dw.dim_subscriber s using (subscriber_id)
                where m.campaign_id = $id and ($city is null or m.city_code = $city)
                """, new { id = result.CampaignId, city }).Single();
            var reach = w.W.Query<(long Tasks, long Reached, double Satisfaction)>("""
                select count(distinct t.task_id), count(distinct t.task_id) filter (where c.outcome = 'reached'),
                       (select avg(cast(answer as integer)) from ops.questionnaire_answer a join ops.task t2 using (task_id)
                        where a.question_id = 'satisfaction' and ($city is null or t2.city_code = $city))
                from ops.task t left join ops.contact c using (task_id)
                where t.campaign_id = $id and ($city is null or t.city_code = $city)
                """, new { id = result.CampaignId, city }).Single();
            var problems = w.W.Query<(string Category, long Answers)>("""
                select answer, count(*) from ops.questionnaire_answer a join ops.task t using (task_id)
                where a.question_id = 'problems' and ($city is null or t.city_code = $city) group by answer order by count(*) desc, answer
                """, new { city });

            Assert.Equal((expected.Treated, expected.Control), (figures.Treated, figures.Control));
            Assert.Equal((expected.TreatedChurn, expected.ControlChurn), (figures.TreatedEarlyChurn, figures.ControlEarlyChurn));
            Assert.Equal((double)expected.ControlChurn / expected.Control, figures.ControlEarlyChurnRate!.Value, 9);
            Assert.Equal((reach.Tasks, reach.Reached), (figures.Tasks, figures.TasksReached));
            Assert.Equal((double)reach.Reached / reach.Tasks, figures.ReachRate!.Value, 9);
            Assert.Equal(reach.Satisfaction, figures.Satisfaction!.Value, 9);
            Assert.Equal(problems, figures.Problems.Select(p => (p.Category, p.Answers)).ToList());
            Assert.True(expected.TreatedChurn > 0 && expected.Control > 0);
        }
        Assert.True(hz.Treated < all.Treated);
    }
}
