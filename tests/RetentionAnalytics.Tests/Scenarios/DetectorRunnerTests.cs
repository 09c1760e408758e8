using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Tests.Scenarios;

public sealed class DetectorRunnerTests : IDisposable
{
    private readonly DetectorWarehouse w = new();

    public DetectorRunnerTests()
    {
        w.Feature("S1", new { value_tier = "high", arpu = 30m, arpu_avg_3m = 100.0 });     // −70 %
        w.Feature("S2", new { value_tier = "high", arpu = 55m, arpu_avg_3m = 100.0 });     // −45 %
        w.Feature("S3", new { value_tier = "mid", arpu = 90m, arpu_avg_3m = 100.0, city_code = "574" }); // −10 %
    }

    public void Dispose() => w.Dispose();

    private List<(string Subscriber, double Score, string Evidence, string Hash)> Alerts() =>
        w.Runner.Alerts("s04_bill_drop", DetectorWarehouse.Period, RegionScope.WholeProvince)
            .Select(a => (a.SubscriberId, a.Score, a.Evidence, a.ParamsHash)).OrderBy(a => a.SubscriberId).ToList();

    [Fact]
    public void Running_a_scenario_twice_gives_the_same_alerts_without_duplicates()
    {
        w.Detect("s04_bill_drop");
        var first = Alerts();
        var second = w.Runner.Run(DetectorWarehouse.Period, "s04_bill_drop").Single();

        Assert.Equal(first, Alerts());
        Assert.Equal(2, second.Alerts);
        Assert.Equal(2, w.Scalar<long>("select count(*) from det.alert where scenario_id = 's04_bill_drop'"));
        // the alerts belong to the newest run
        Assert.Equal(second.RunId, w.Scalar<long>("select max(run_id) from det.alert where scenario_id = 's04_bill_drop'"));
        Assert.Equal(1, w.Scalar<long>("select count(distinct run_id) from det.alert where scenario_id = 's04_bill_drop'"));
    }

    [Fact]
    public void A_changed_parameter_changes_the_alerts_and_their_params_hash_on_the_next_run()
    {
        w.Detect("s04_bill_drop");
        var before = Alerts();
        w.Parameters.Set("s04_bill_drop", "drop_pct", "5", "admin");
        Assert.Equal(before, Alerts()); // nothing changes until the next run

        w.Detect("s04_bill_drop");
        var after = Alerts();

        Assert.Equal(["S1", "S2"], before.Select(a => a.Subscriber));
        Assert.Equal(["S1", "S2", "S3"], after.Select(a => a.Subscriber));
        Assert.NotEqual(before[0].Hash, after[0].Hash);
        var run = w.Runner.Runs("s04_bill_drop")[0];
        Assert.Contains("\"drop_pct\":\"5\"", run.ParamsJson);
        Assert.Equal(after[0].Hash, run.ParamsHash);

        // back to the same values: the same hash as before
        w.Parameters.Set("s04_bill_drop", "drop_pct", "40", "admin");
        w.Detect("s04_bill_drop");
        Assert.Equal(before, Alerts());
    }

    [Fact]
    public void Runs_of_different_periods_and_scenarios_do_not_touch_each_other()
    {
        w.Feature("S1", new { value_tier = "high", arpu = 10m, arpu_avg_3m = 100.0 }, DetectorWarehouse.Period.AddMonths(-1));
        w.Detect("s04_bill_drop");
        w.Detect("s04_bill_drop", DetectorWarehouse.Period.AddMonths(-1));
        w.Detect("s04_bill_drop");

        Assert.Equal(2, w.Scalar<long>("select count(*) from det.alert where period = '2026-10-01'"));
        Assert.Equal(1, w.Scalar<long>("select count(*) from det.alert where period = '2026-09-01'"));
    }

    [Fact]
    public void Every_run_is_recorded_with_its_parameters_count_and_status()
    {
        var results = w.Runner.Run(DetectorWarehouse.Period, trigger: "test");

        Assert.Equal(w.Catalog.All.Count, results.Count);
        Assert.All(results, r => Assert.True(r.Succeeded, r.ScenarioId + ": " + r.Message));
        Assert.Equal(results.Count, w.Scalar<long>("select count(*) from det.scenario_run where status = 'succeeded' and trigger_kind = 'test'"));
        Assert.Equal(2, results.Single(r => r.ScenarioId == "s04_bill_drop").Alerts);
        Assert.Equal([new CityAlerts("571", 2)], results.Single(r => r.ScenarioId == "s04_bill_drop").TopCities);
        Assert.Equal(results.Sum(r => r.Alerts), w.Scalar<long>("select count(*) from det.alert"));
    }

    [Fact]
    public void The_catalogue_is_synchronised_from_the_yaml_files_and_keeps_a_disabled_scenario_out_of_the_run()
    {
        var catalogue = w.Runner.Sync();
        Assert.Equal(19, catalogue.Count(s => s.Kind is "scenario" or "analysis"));
        Assert.Equal(15, catalogue.Count(s => s.Kind == "scenario"));
        Assert.Equal("中高端话费突减预警", catalogue.Single(s => s.ScenarioId == "s04_bill_drop").NameZh);
        Assert.Equal(19, w.Scalar<long>("select count(*) from det.scenario"));

        w.Runner.SetEnabled("s04_bill_drop", false, "admin");
        w.Runner.Sync();
        var results = w.Runner.Run(DetectorWarehouse.Period);

        Assert.DoesNotContain(results, r => r.ScenarioId == "s04_bill_drop");
        Assert.False(w.Scalar<bool>("select enabled from det.scenario where scenario_id = 's04_bill_drop'"));
        Assert.Equal(1, w.Scalar<long>("select count(*) from det.scenario where scenario_id = 's04_bill_drop'"));
        // asked for by name it still runs
        Assert.Equal(2, w.Runner.Run(DetectorWarehouse.Period, "s04_bill_drop").Single().Alerts);
    }

    [Fact]
    public void An_unknown_scenario_or_an_unloaded_period_is_refused_with_a_clear_message()
    {
        var unknown = Assert.Throws<ScenarioException>(() => w.Runner.Run(DetectorWarehouse.Period, "s99_nothing"));
        Assert.Contains("unknown scenario s99_nothing", unknown.Message);
        var period = Assert.Throws<ScenarioException>(() => w.Runner.Run(new DateOnly(2030, 1, 1)));
        Assert.Equal("no data for period 2030-01; loaded months are 2026-07 .. 2026-10", period.Message);
        Assert.Equal(0, w.Scalar<long>("select count(*) from det.scenario_run"));
    }

    [Fact]
    public void Without_a_period_the_newest_loaded_month_is_detected()
    {
        Assert.Equal(DetectorWarehouse.Period, w.Runner.DefaultPeriod());
        Assert.Equal(DetectorWarehouse.Period, w.Runner.Run(scenarioId: "s04_bill_drop").Single().Period);
    }

    [Fact]
    public void A_failing_detector_is_recorded_as_failed_and_leaves_its_previous_alerts_in_place()
    {
        w.Detect("s04_bill_drop");
        using (var c = w.Db.Connect())
        {
            // the mart loses a column the detector needs, as a broken rebuild might leave it
            Dapper.SqlMapper.Execute(c, "alter table mart.mart_subscriber_features rename column arpu_avg_3m to arpu_avg_gone");
        }

        var result = w.Runner.Run(DetectorWarehouse.Period, "s04_bill_drop").Single();

        Assert.False(result.Succeeded);
        Assert.Equal("failed", w.Scalar<string>("select status from det.scenario_run where run_id = $id", new { id = result.RunId }));
        Assert.Equal(2, w.Scalar<long>("select count(*) from det.alert where scenario_id = 's04_bill_drop'"));
    }

    [Fact]
    public void The_detect_step_is_registered_with_the_warehouse_services_after_scoring_and_before_call_lists()
    {
        w.Release();
        var services = new ServiceCollection().AddLogging(b => b.ClearProviders())
            .AddWarehouseCore(new WarehouseOptions { DatabasePath = w.DatabasePath, Threads = 2 });
        using var provider = services.BuildServiceProvider();

        var step = Assert.Single(provider.GetServices<IPipelineStep>(), s => s.Name == "detect");
        Assert.Equal(200, step.Order);
        var summary = step.Run(null, CancellationToken.None).ToString();
        Assert.StartsWith("2 alerts in 19 scenarios for 2026-10", summary);
        Assert.NotNull(provider.GetService<ThresholdPreview>());
    }
}
