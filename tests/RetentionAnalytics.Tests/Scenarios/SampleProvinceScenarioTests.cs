using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Tests.Warehouse;

namespace RetentionAnalytics.Tests.Scenarios;

/// <summary>The detectors on the committed sample province: every scenario finds someone, nobody finds everyone.</summary>
public sealed class SampleProvinceScenarioTests : IClassFixture<SampleProvinceFixture>
{
    private readonly SampleProvinceFixture sample;
    private readonly ScenarioParameters parameters;
    private readonly DetectorRunner runner;
    private readonly ThresholdPreview preview;

    public SampleProvinceScenarioTests(SampleProvinceFixture sample)
    {
        this.sample = sample;
        var db = sample.Warehouse.Db;
        var audit = new AuditLog(db);
        var catalog = ScenarioCatalog.Load(db.Sql);
        var rules = new CustomRules(db, audit);
        parameters = new ScenarioParameters(db, catalog, audit);
        runner = new DetectorRunner(db, catalog, parameters, rules, audit);
        preview = new ThresholdPreview(db, runner, rules);
    }

    [Fact]
    public void Every_built_in_scenario_and_analysis_flags_some_but_not_all_subscribers_with_evidence()
    {
        var results = runner.Run(trigger: "test");
        var active = sample.Warehouse.Scalar<long>(
            "select count(*) from mart.mart_subscriber_features where month = (select as_of_month from dw.as_of)");

        Assert.Equal(new DateOnly(2026, 10, 1), results[0].Period);
        Assert.Equal(19, results.Count);
        foreach (var r in results)
        {
            Assert.True(r.Succeeded, $"{r.ScenarioId}: {r.Message}");
            if (r.ScenarioId == "s13_churn_warning")
            {
                continue; // no churn model has scored the sample in this test
            }
            Assert.InRange(r.Alerts, 1, active / 5);
            var alerts = runner.Alerts(r.ScenarioId, r.Period, RegionScope.WholeProvince);
            Assert.Equal(r.Alerts, alerts.Count);
            Assert.All(alerts, a =>
            {
                Assert.False(string.IsNullOrWhiteSpace(a.Evidence), $"{r.ScenarioId} {a.SubscriberId}");
                Assert.InRange(a.Score, 0, 1);
                Assert.StartsWith("{", a.EvidenceJson);
            });
        }
        // one alert per subscriber, scenario and period
        Assert.Equal(0, sample.Warehouse.Scalar<long>(
            "select count(*) from (select scenario_id, period, subscriber_id from det.alert group by all having count(*) > 1)"));
    }

    [Fact]
    public void A_preview_counts_per_city_what_a_run_with_those_parameters_then_flags()
    {
        var proposed = new Dictionary<string, string> { ["drop_pct"] = "25", ["value_tiers"] = "high,mid,low" };
        var province = preview.Preview("s04_bill_drop", proposed, RegionScope.WholeProvince);
        var hangzhou = preview.Preview("s04_bill_drop", proposed, RegionScope.ForCities(["571"]));

        // nothing was saved by previewing
        Assert.Equal("40", parameters.Current("s04_bill_drop").Single(p => p.Name == "drop_pct").Value);
        try
        {
            parameters.Set("s04_bill_drop", "drop_pct", "25", "admin");
            parameters.Set("s04_bill_drop", "value_tiers", "high,mid,low", "admin");
            var run = runner.Run(scenarioId: "s04_bill_drop").Single();
            var byCity = runner.Alerts("s04_bill_drop", run.Period, RegionScope.WholeProvince, limit: 100_000)
                .GroupBy(a => a.CityCode).Select(g => new CityFlagged(g.Key, g.Count())).OrderBy(c => c.CityCode).ToList();

            Assert.True(run.Alerts > 0);
            Assert.Equal(byCity, province.Cities);
            Assert.Equal(run.Alerts, province.Total);
            Assert.Equal(byCity.Where(c => c.CityCode == "571"), hangzhou.Cities);

            // the hit rate of a past month is what that month's alerts did in the month after
            Assert.Equal(3, province.History.Count);
            var past = province.History[^1];
            Assert.Equal(new DateOnly(2026, 9, 1), past.Period);
            runner.Run(past.Period, "s04_bill_drop");
            var churned = sample.Warehouse.Scalar<long>("""
                select count(*) from det.alert a
                join mart.mart_subscriber_features f on f.subscriber_id = a.subscriber_id and f.month = a.period
                where a.scenario_id = 's04_bill_drop' and a.period = '2026-09-01' and f.churned_next_month = 1
                """);
            Assert.Equal(churned, past.FlaggedChurned);
            Assert.Equal(sample.Warehouse.Scalar<long>("select count(*) from det.alert where scenario_id = 's04_bill_drop' and period = '2026-09-01'"), past.Flagged);
            Assert.NotNull(past.BaseRate);
        }
        finally
        {
            parameters.Set("s04_bill_drop", "drop_pct", "40", "admin");
            parameters.Set("s04_bill_drop", "value_tiers", "high,mid", "admin");
        }
    }

    [Fact]
    public void A_preview_with_an_invalid_proposal_is_refused_before_anything_runs()
    {
        Assert.Throws<ScenarioParameterException>(() =>
            preview.Preview("s04_bill_drop", new Dictionary<string, string> { ["drop_pct"] = "-3" }, RegionScope.WholeProvince));
        Assert.Empty(preview.Preview("s04_bill_drop", null, RegionScope.None).Cities);
    }
}
