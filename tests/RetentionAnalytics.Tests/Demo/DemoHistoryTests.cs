using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Demo;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.NewSubscribers;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Scenarios;
using Xunit.Abstractions;

namespace RetentionAnalytics.Tests.Demo;

/// <summary>
/// The demo as <c>ra demo</c> seeds it (the same as the portal's first start in demo mode): the headline reports show
/// figures for past months, and the past campaigns behind them obey the product's rules.
/// </summary>
[Collection(DemoCollection.Name)]
public sealed class DemoHistoryTests(DemoWarehouseFixture demo, ITestOutputHelper output)
{
    private static readonly DateOnly Newest = new(2026, 10, 1);
    private static readonly DateOnly[] PastMonths = [new(2026, 6, 1), new(2026, 7, 1), new(2026, 8, 1), new(2026, 9, 1)];
    private static readonly ReportViewer Analyst = new("analyst", new HashSet<string> { "analyst" }, RegionScope.WholeProvince, "en", false);
    private static readonly ReportViewer Supervisor = new("supervisor.hz", new HashSet<string> { "supervisor" }, RegionScope.WholeProvince, "en", false);

    private sealed record CampaignRow(long CampaignId, DateOnly Period, string Name, string Kind, string Status, bool? Demo, string CreatedBy);

    [Fact]
    public void The_seed_marks_the_warehouse_and_adds_closed_demo_campaigns_for_each_past_month()
    {
        output.WriteLine($"ra demo in {demo.SeedTime.TotalSeconds:N0} s:\n{demo.SeedOutput}");
        var state = demo.Services.GetRequiredService<DemoWarehouse>().State();
        var campaigns = demo.Query<CampaignRow>(
            "select campaign_id as CampaignId, period as Period, name as Name, kind as Kind, status as Status, demo as Demo, created_by as CreatedBy from ops.campaign order by campaign_id");

        Assert.NotNull(state);
        Assert.Equal("cli", state.MarkedBy);
        Assert.NotNull(state.HistorySeededAt);
        Assert.Equal(PastMonths, demo.Query<DateTime>("select period from meta.demo_history order by period").Select(DateOnly.FromDateTime));
        var past = campaigns.Where(c => c.Demo == true).ToList();
        // a month's retention campaign and its new-subscriber callbacks
        Assert.Equal(PastMonths, past.Where(c => c.Kind == "retention").Select(c => c.Period).Order());
        Assert.Equal(PastMonths, past.Where(c => c.Kind == "new_subscriber").Select(c => c.Period).Order());
        Assert.Equal(PastMonths.Length * 2, past.Count);
        Assert.All(past, c =>
        {
            Assert.EndsWith("(demo)", c.Name, StringComparison.Ordinal);
            Assert.Equal(DemoHistory.Creator, c.CreatedBy);
            Assert.Equal("closed", c.Status);
        });
        // the present is the product's own: the newest month's lists are made by the pipeline, not the demo
        Assert.All(campaigns.Where(c => c.Demo != true), c => Assert.Equal(Newest, c.Period));
        Assert.Contains(campaigns, c => c.Period == Newest);
        Assert.Equal(0, demo.Scalar<long>("""
            select count(*) from ops.task where status not in ('done', 'closed')
                and campaign_id in (select campaign_id from ops.campaign where demo)
            """));
    }

    [Fact]
    public void Effectiveness_compares_treated_and_control_retention_for_the_past_campaigns()
    {
        var result = demo.Reports.Run("effectiveness", new Dictionary<string, string> { ["from_month"] = "2026-06" }, Analyst);
        var campaigns = demo.Query<(long Id, DateTime Period, string Kind)>("select campaign_id, period, kind from ops.campaign")
            .ToDictionary(r => r.Id, r => (Period: DateOnly.FromDateTime(r.Period), r.Kind));
        var all = result.Rows.Where(r => r.Kind == ExportRowKind.Data).Select(r => new
        {
            Period = campaigns[(long)r.Cells[result.Column("campaign_id").Index]!].Period,
            Kind = campaigns[(long)r.Cells[result.Column("campaign_id").Index]!].Kind,
            Horizon = (long)r.Cells[result.Column("horizon_days").Index]!,
            Treated = (long)r.Cells[result.Column("treated").Index]!,
            Control = (long)r.Cells[result.Column("control").Index]!,
            TreatedRate = (double?)r.Cells[result.Column("treated_rate").Index],
            ControlRate = (double?)r.Cells[result.Column("control_rate").Index],
            Low = (double?)r.Cells[result.Column("ci_low").Index],
            High = (double?)r.Cells[result.Column("ci_high").Index],
        }).ToList();
        var rows = all.Where(r => r.Kind == "retention").ToList();
        foreach (var r in all)
        {
            output.WriteLine($"{r.Period:yyyy-MM} {r.Kind} {r.Horizon,2} days: treated {r.Treated} retained {r.TreatedRate:P1}, control {r.Control} retained {r.ControlRate:P1}, 95% CI {r.Low:P1}..{r.High:P1}");
        }

        // a horizon counts once its month is loaded: June has 30, 60 and 90 days, September only 30
        Assert.Equal([30L, 60L, 90L], rows.Where(r => r.Period == PastMonths[0]).Select(r => r.Horizon).Order());
        Assert.Equal([30L], rows.Where(r => r.Period == PastMonths[3]).Select(r => r.Horizon));
        Assert.Equal(PastMonths, rows.Select(r => r.Period).Distinct().Order());
        Assert.All(rows, r =>
        {
            Assert.True(r.Treated >= 100, $"{r.Period:yyyy-MM}: {r.Treated} treated");
            Assert.True(r.Control >= 10, $"{r.Period:yyyy-MM}: {r.Control} in the control group");
            Assert.InRange(r.TreatedRate!.Value, 0.5, 1.0);
            Assert.InRange(r.ControlRate!.Value, 0.5, 1.0);
            Assert.True(r.Low < r.High);
        });
        // the new-subscriber callbacks are evaluated alike, smaller
        Assert.Equal(PastMonths, all.Where(r => r.Kind == "new_subscriber").Select(r => r.Period).Distinct().Order());
        // alerted subscribers do leave: retention after 90 days is visibly below 100 %
        Assert.Contains(rows, r => r.Horizon == 90 && r.TreatedRate < 0.97);
        // the report's default range (the newest four campaign months) is not empty any more
        var byDefault = demo.Reports.Run("effectiveness", new Dictionary<string, string>(), Analyst);
        Assert.Contains(byDefault.Rows, r => r.Kind == ExportRowKind.Data);
    }

    [Fact]
    public void Score_bands_of_past_months_count_who_churned_the_month_after()
    {
        foreach (var month in demo.Query<DateTime>("select distinct period from det.churn_score where period < $newest order by 1", new { newest = Newest })
                     .Select(DateOnly.FromDateTime))
        {
            var result = demo.Reports.Run("churn_score_bands", new Dictionary<string, string> { ["period"] = $"{month:yyyy-MM}" }, Analyst);
            var data = result.Rows.Where(r => r.Kind == ExportRowKind.Data).ToList();
            var churned = data.Sum(r => (long)r.Cells[result.Column("churned_next_month").Index]!);
            var scored = data.Sum(r => (long)r.Cells[result.Column("scored").Index]!);
            var actual = demo.Scalar<long>("""
                select count(*) from det.churn_score s
                join dw.fct_subscriber_month f on f.subscriber_id = s.subscriber_id and f.month = s.period + interval 1 month
                where s.period = $month and f.churned_in_month
                """, new { month });
            output.WriteLine($"{month:yyyy-MM}: {scored:N0} scored, {churned} churned next month");

            Assert.True(churned > 0, $"{month:yyyy-MM}: no churner among the scored");
            Assert.Equal(actual, churned);
        }
    }

    [Fact]
    public void The_churn_scenario_back_test_finds_churners_in_each_past_month()
    {
        var preview = demo.Services.GetRequiredService<ThresholdPreview>().Preview("s13_churn_warning", null, RegionScope.WholeProvince);

        Assert.Equal(ThresholdPreview.DefaultHistoryMonths, preview.History.Count);
        foreach (var h in preview.History)
        {
            output.WriteLine($"{h.Period:yyyy-MM}: {h.Flagged} flagged, {h.FlaggedChurned} of them churned (hit rate {h.HitRate:P1}, base rate {h.BaseRate:P1})");
            Assert.True(h.Flagged > 0, $"{h.Period:yyyy-MM}: nobody flagged");
            Assert.True(h.FlaggedChurned > 0, $"{h.Period:yyyy-MM}: no hit");
            Assert.True(h.HitRate > h.BaseRate, $"{h.Period:yyyy-MM}: the flagged churn no more than everyone");
        }
    }

    [Fact]
    public void Callback_supervision_shows_the_agents_attempts_reaches_and_successes_of_a_past_month()
    {
        var result = demo.Reports.Run("callback_supervision", new Dictionary<string, string> { ["period"] = "2026-08" }, Supervisor);
        var data = result.Rows.Where(r => r.Kind == ExportRowKind.Data).ToList();
        long Sum(string column) => data.Sum(r => (long)r.Cells[result.Column(column).Index]!);
        output.WriteLine($"2026-08: {data.Count} agents, {Sum("assigned")} assigned, {Sum("attempted")} attempted, {Sum("reached")} reached, {Sum("succeeded")} succeeded");

        Assert.True(data.Count >= 10, $"{data.Count} agents");
        Assert.True(Sum("attempted") > Sum("reached"));
        Assert.True(Sum("reached") > Sum("succeeded"));
        Assert.True(Sum("succeeded") > 0);
        Assert.Equal(Sum("assigned"), Sum("closed"));
    }

    [Fact]
    public void The_new_subscriber_callbacks_of_a_past_month_have_reach_satisfaction_and_problems()
    {
        var callbacks = demo.Services.GetRequiredService<NewSubscriberCallbacks>();
        var august = callbacks.Lists(RegionScope.WholeProvince, "en").Single(l => l.Period == new DateOnly(2026, 8, 1));

        var evaluation = callbacks.Evaluate(august.CampaignId, RegionScope.WholeProvince);

        output.WriteLine($"{august.CampaignKey}: {evaluation.Tasks} tasks, {evaluation.TasksReached} reached, satisfaction {evaluation.Satisfaction:F2} " +
                         $"({evaluation.SatisfactionAnswers} answers), problems {string.Join(", ", evaluation.Problems.Select(p => $"{p.Category} {p.Answers}"))}");
        Assert.True(evaluation.TasksReached > 0 && evaluation.TasksReached <= evaluation.Tasks);
        Assert.True(evaluation.SatisfactionAnswers > 0);
        Assert.InRange(evaluation.Satisfaction!.Value, 1.5, 4.8);
        Assert.NotEmpty(evaluation.Problems);
        // answers are given on a reached call, the one that ended the task
        Assert.Equal(0, demo.Scalar<long>("""
            select count(*) from ops.questionnaire_answer a join ops.task t on t.task_id = a.task_id
            where a.answered_at <> t.last_attempt_at
                or not exists (select 1 from ops.contact k where k.task_id = t.task_id and k.outcome = 'reached')
            """));
    }

    private sealed record CallRow(
        long TaskId, DateOnly Period, DateTime ContactTime, string Outcome, string? Result, string? ChurnReasonId, string? OfferId,
        bool GoneNextMonth, bool LeavesWithinTwoMonths);

    [Fact]
    public void Simulated_calls_keep_the_workbench_rules_and_answer_as_the_subscriber_later_behaved()
    {
        var calls = demo.Query<CallRow>("""
            with futures as (
                select m.subscriber_id, c.period,
                    coalesce(bool_or(f.churned_in_month) filter (where f.month = c.period + interval 1 month), true) as gone,
                    coalesce(bool_or(f.churned_in_month), true) or count(f.month) < 2 as leaves
                from ops.campaign_member m
                join ops.campaign c on c.campaign_id = m.campaign_id and c.demo
                left join dw.fct_subscriber_month f on f.subscriber_id = m.subscriber_id
                    and f.month in (c.period + interval 1 month, c.period + interval 2 month)
                group by all
            )
            select t.task_id as TaskId, c.period as Period, k.contact_time as ContactTime, k.outcome as Outcome, k.result as Result,
                k.churn_reason_id as ChurnReasonId, k.offer_id as OfferId, f.gone as GoneNextMonth, f.leaves as LeavesWithinTwoMonths
            from ops.contact k
            join ops.task t on t.task_id = k.task_id
            join ops.campaign c on c.campaign_id = t.campaign_id and c.demo
            join futures f on f.subscriber_id = t.subscriber_id and f.period = c.period
            """);
        var reached = calls.Where(c => c.Outcome == "reached").ToList();
        double Success(IEnumerable<CallRow> rows) =>
            rows.Count(r => r.Result is "retained" or "accepted_offer") / (double)Math.Max(1, rows.Count());
        var stayers = reached.Where(r => !r.LeavesWithinTwoMonths).ToList();
        var leavers = reached.Where(r => r.LeavesWithinTwoMonths).ToList();
        output.WriteLine($"{calls.Count} calls, {reached.Count} reached; success when reached: stayers {Success(stayers):P0} ({stayers.Count}), leavers {Success(leavers):P0} ({leavers.Count})");
        foreach (var g in calls.GroupBy(c => c.Result ?? c.Outcome).OrderByDescending(g => g.Count()))
        {
            output.WriteLine($"  {g.Key}: {g.Count()}");
        }

        Assert.True(calls.Count > 1000, $"{calls.Count} calls");
        // calling hours, working days, and the month after the campaign's month
        Assert.All(calls, c =>
        {
            Assert.InRange(TimeOnly.FromDateTime(c.ContactTime), new TimeOnly(9, 0), new TimeOnly(21, 0));
            Assert.NotEqual(DayOfWeek.Saturday, c.ContactTime.DayOfWeek);
            Assert.NotEqual(DayOfWeek.Sunday, c.ContactTime.DayOfWeek);
            Assert.Equal(c.Period.AddMonths(1), new DateOnly(c.ContactTime.Year, c.ContactTime.Month, 1));
        });
        // a task's attempts are its calls, never more than the workbench allows
        Assert.Equal(0, demo.Scalar<long>("""
            select count(*) from ops.task t
            where t.campaign_id in (select campaign_id from ops.campaign where demo)
                and t.attempts <> (select count(*) from ops.contact k where k.task_id = t.task_id)
            """));
        Assert.True(calls.GroupBy(c => c.TaskId).Max(g => g.Count()) <= 3);
        // only treated members are called
        Assert.Equal(0, demo.Scalar<long>("""
            select count(*) from ops.contact k
            join ops.task t on t.task_id = k.task_id
            join ops.campaign_member m on m.campaign_id = t.campaign_id and m.subscriber_id = t.subscriber_id
            where m.member_group <> 'treated'
            """));
        // answers follow what the subscriber did next
        Assert.True(Success(stayers) > Success(leavers) + 0.2);
        Assert.All(reached.Where(r => r.Result == "already_churned"), r => Assert.True(r.GoneNextMonth));
        Assert.All(reached.Where(r => r.Result is "refused" or "already_churned"), r => Assert.NotNull(r.ChurnReasonId));
        Assert.Contains(reached, r => r.Result == "accepted_offer" && r.OfferId is not null);
        // the history reads in order: list made, then calls, then closed
        Assert.Equal(0, demo.Scalar<long>("""
            select count(*) from ops.task t join ops.contact k on k.task_id = t.task_id
            where t.campaign_id in (select campaign_id from ops.campaign where demo)
                and not (t.created_at < k.contact_time and k.contact_time <= t.updated_at)
            """));
    }

    [Fact]
    public void A_past_list_excludes_only_who_had_left_by_the_day_it_was_made()
    {
        var members = demo.Query<(string Group, string? Reason, bool ChurnedBefore, bool LeftAfter)>("""
            select m.member_group, m.excluded_reason,
                coalesce((select bool_or(f.churned_in_month) from dw.fct_subscriber_month f
                          where f.subscriber_id = m.subscriber_id and f.month <= c.period), false),
                coalesce((select bool_or(f.churned_in_month) from dw.fct_subscriber_month f
                          where f.subscriber_id = m.subscriber_id and f.month > c.period), false)
            from ops.campaign_member m join ops.campaign c on c.campaign_id = m.campaign_id and c.demo
            """);

        Assert.All(members.Where(m => m.Reason == "churned"), m => Assert.True(m.ChurnedBefore));
        // subscribers who only left later were called (or held back as control), which is what effectiveness measures
        Assert.Contains(members, m => m.Group == "treated" && m.LeftAfter);
        Assert.Contains(members, m => m.Group == "control" && m.LeftAfter);
    }
}

/// <summary>A demo seed stopped in the middle of a month is taken up again: the month is made anew, never twice.</summary>
[Collection(DemoCollection.Name)]
public sealed class DemoResumeTests(DemoWarehouseFixture demo)
{
    [Fact]
    public void A_month_left_unfinished_is_removed_and_made_again_with_the_same_members()
    {
        var september = new DateOnly(2026, 9, 1);
        const string Members = """
            select m.member_group, count(*) from ops.campaign_member m
            join ops.campaign c on c.campaign_id = m.campaign_id and c.demo and c.period = $september
            group by all order by 1
            """;
        var before = demo.Query<(string Group, long Count)>(Members, new { september });
        // what a process stopped during September's calls leaves: the month is not recorded as made
        demo.Scalar<long>("delete from meta.demo_history where period = $september; update meta.demo_warehouse set history_seeded_at = null",
            new { september });
        demo.Scalar<long>("""
            update ops.task set status = 'in_progress'
            where task_id in (select task_id from ops.task where campaign_id in
                (select campaign_id from ops.campaign where demo and period = $september) limit 5)
            """, new { september });

        var made = demo.Services.GetRequiredService<DemoHistory>().Seed();

        Assert.Equal([september], made.Select(m => m.Period));
        Assert.Equal(2, demo.Scalar<long>("select count(*) from ops.campaign where demo and period = $september", new { september }));
        Assert.Equal(before, demo.Query<(string Group, long Count)>(Members, new { september }));
        Assert.Equal(0, demo.Scalar<long>("select count(*) from ops.contact where task_id is not null and task_id not in (select task_id from ops.task)"));
        Assert.Equal(0, demo.Scalar<long>("select count(*) from ops.task where campaign_id not in (select campaign_id from ops.campaign)"));
        Assert.Equal(0, demo.Scalar<long>("""
            select count(*) from ops.task where status not in ('done', 'closed')
                and campaign_id in (select campaign_id from ops.campaign where demo)
            """));
        Assert.Equal(4, demo.Scalar<long>("select count(*) from meta.demo_history"));
        Assert.NotNull(demo.Services.GetRequiredService<DemoWarehouse>().State()!.HistorySeededAt);
        // a made history is not made again
        Assert.Empty(demo.Services.GetRequiredService<DemoHistory>().Seed());
    }
}
