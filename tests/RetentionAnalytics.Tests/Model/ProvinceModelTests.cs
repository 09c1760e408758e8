using RetentionAnalytics.Core.Model;
using RetentionAnalytics.Tests.Support;
using RetentionAnalytics.Tests.Warehouse;
using Xunit.Abstractions;

namespace RetentionAnalytics.Tests.Model;

[Collection(ProvinceModelCollection.Name)]
public sealed class ProvinceModelTests(SampleProvinceFixture sample, ITestOutputHelper output)
{
    private Core.Warehouse.Db Db => sample.Warehouse.Db;

    [Fact]
    public void A_model_trained_on_earlier_months_ranks_later_churners_better_than_chance_but_not_suspiciously_well()
    {
        var models = new ChurnModels(Db);

        var model = new ChurnTrainer(Db, models).Train(FeatureSpec.Province, new TimeSplit(TrainUntil: new DateOnly(2026, 6, 1)), activate: false);

        output.WriteLine($"province: AUC {model.Auc:F4}, baseline {model.BaselineAuc:F4}, lift@10% {model.LiftTopDecile:F2}, " +
                         $"train {model.TrainFrom:yyyy-MM}..{model.TrainTo:yyyy-MM} ({model.TrainRows} rows, {model.TrainPositives} churners), " +
                         $"eval {model.EvalFrom:yyyy-MM}..{model.EvalTo:yyyy-MM} ({model.EvalRows} rows, {model.EvalPositives} churners), {model.TrainingSeconds:F1} s");
        foreach (var f in models.Features(model.ModelId, 8))
        {
            output.WriteLine($"  {f.Rank}. {f.Feature} {f.Importance:P1}");
        }
        Assert.Equal(new DateOnly(2026, 6, 1), model.TrainTo);
        Assert.Equal(new DateOnly(2026, 7, 1), model.EvalFrom);
        Assert.True(model.Auc >= 0.6, $"province AUC {model.Auc:F4}: the model learnt nothing");
        Assert.True(model.Auc <= 0.90, $"province AUC {model.Auc:F4} is too good for month-ahead churn: look for leakage");
    }

    [Fact]
    public void Above_its_row_budget_training_reads_a_seeded_sample_of_whole_subscribers()
    {
        var models = new ChurnModels(Db);
        var labelled = FeatureTable.Count(Db, FeatureSpec.Province, null, null, labelledOnly: true);
        var budget = labelled / 4;

        var model = new ChurnTrainer(Db, models).Train(FeatureSpec.Province, new TimeSplit(TrainUntil: new DateOnly(2026, 6, 1)),
            new TreeSettings(Trees: 50, MaxTrainingRows: budget), activate: false);

        output.WriteLine($"sampled {model.SampleShare:P1}: AUC {model.Auc:F4}, {model.TrainRows} train / {model.EvalRows} eval rows");
        Assert.InRange(model.SampleShare, 0.2, 0.3);
        Assert.InRange(model.TrainRows + model.EvalRows, budget / 2, budget * 3 / 2);
        Assert.True(model.Auc >= 0.6, $"sampled AUC {model.Auc:F4}: the model learnt nothing");
        Assert.Equal(model.SampleShare, models.Get(model.ModelId)!.SampleShare);

        // a sampled subscriber comes with every labelled month it has, and the same seed samples the same subscribers
        var sampled = FeatureTable.Read(Db, FeatureSpec.Province, labelledOnly: true, sampleShare: 0.25, sampleSeed: 7);
        var again = FeatureTable.Read(Db, FeatureSpec.Province, labelledOnly: true, sampleShare: 0.25, sampleSeed: 7);
        var all = FeatureTable.Read(Db, FeatureSpec.Province, labelledOnly: true);
        var ids = sampled.Rows.Select(r => r.Id).ToHashSet();
        Assert.Equal(ids, again.Rows.Select(r => r.Id).ToHashSet());
        Assert.Equal(all.Rows.Count(r => ids.Contains(r.Id)), sampled.Rows.Count);
        Assert.InRange(ids.Count, all.Rows.Select(r => r.Id).Distinct().Count() / 5, all.Rows.Select(r => r.Id).Distinct().Count() * 3 / 10);
    }

    [Fact]
    public void Training_rows_never_include_a_churn_month_row_and_the_newest_month_has_no_label()
    {
        var table = FeatureTable.Read(Db, FeatureSpec.Province);
        var churnMonths = sample.Warehouse.Query<(string Id, DateOnly Month)>(
            "select subscriber_id, month from dw.fct_subscriber_month where churned_in_month").ToHashSet();
        var latest = table.Rows.Max(r => r.Period!.Value);

        Assert.NotEmpty(churnMonths);
        Assert.DoesNotContain(table.Rows, r => churnMonths.Contains((r.Id, r.Period!.Value)));
        Assert.All(table.Rows.Where(r => r.Period == latest), r => Assert.Null(r.Label));
        // columns that repeat the label month or the future are not features
        Assert.DoesNotContain("is_active", table.NumericColumns);
        Assert.DoesNotContain("status", table.CategoricalColumns);
        Assert.DoesNotContain("in_snapshot_base", table.NumericColumns);
        Assert.DoesNotContain("days_since_last_usage", table.NumericColumns);
    }

    [Fact]
    public void A_contract_cancelled_at_churn_still_binds_in_the_months_before_it()
    {
        // the newest agreement state says "cancelled"; the months before the cancellation was delivered knew it as active
        var cancelled = sample.Warehouse.Query<(string Subscriber, DateOnly Delivered, DateOnly Start, DateOnly End)>("""
            select subscriber_id, _business_date, start_date, end_date from stg.agreement
            where status = 'cancelled' and start_date < _business_date - interval 40 day and end_date > _business_date
            order by subscriber_id limit 5
            """);
        Assert.NotEmpty(cancelled);
        var table = FeatureTable.Read(Db, FeatureSpec.Province);
        var contractEnd = table.NumericColumns.ToList().IndexOf("months_to_contract_end");
        var checkedRows = 0;
        foreach (var (subscriber, delivered, start, _) in cancelled)
        {
            var monthBefore = new DateOnly(delivered.Year, delivered.Month, 1).AddMonths(-1);
            var row = table.Rows.SingleOrDefault(r => r.Id == subscriber && r.Period == monthBefore);
            if (row is null || monthBefore < new DateOnly(start.Year, start.Month, 1))
            {
                continue;
            }
            Assert.False(double.IsNaN(row.Numeric[contractEnd]), $"{subscriber} {monthBefore:yyyy-MM} lost its contract end");
            checkedRows++;
        }
        Assert.True(checkedRows > 0);
    }

    [Fact]
    public void Scoring_a_month_twice_keeps_one_score_per_subscriber_with_readable_top_factors()
    {
        var models = new ChurnModels(Db);
        var model = new ChurnTrainer(Db, models).Train(FeatureSpec.Province, new TimeSplit());
        var scorer = new ChurnScorer(Db, models);
        var october = new DateOnly(2026, 10, 1);

        var first = scorer.Score(october);
        var second = scorer.Score(october);

        var expected = sample.Warehouse.Scalar<long>(
            "select count(*) from mart.mart_subscriber_features where month = '2026-10-01' and status <> 'churned'");
        Assert.Equal(expected, first.Scored);
        Assert.Equal(first.Scored, second.Scored);
        Assert.Equal(expected, sample.Warehouse.Scalar<long>("select count(*) from det.churn_score where period = '2026-10-01'"));
        Assert.Equal(expected, sample.Warehouse.Scalar<long>("select count(distinct subscriber_id) from det.churn_score where period = '2026-10-01'"));
        Assert.Equal(0, sample.Warehouse.Scalar<long>(
            "select count(*) from det.churn_score where period = '2026-10-01' and (model_id <> $id or score < 0 or score > 1)", new { id = model.ModelId }));
        var top = sample.Warehouse.Query<string>(
            "select top_factors from det.churn_score where period = '2026-10-01' order by score desc limit 20");
        Assert.All(top, f => Assert.InRange(f.Split("; ").Length, 1, 3));
    }

    [Fact]
    public void The_pipeline_step_trains_when_no_model_is_active_and_then_only_scores()
    {
        sample.Warehouse.Scalar<long>("update det.churn_model set active = false where feature_set = 'province'");
        var models = new ChurnModels(Db);
        var step = new ChurnScoreStep(models, new ChurnTrainer(Db, models), new ChurnScorer(Db, models));
        var before = models.List("province").Count;

        var first = step.Run(null, CancellationToken.None).ToString();
        var second = step.Run(null, CancellationToken.None).ToString();

        output.WriteLine(first);
        output.WriteLine(second);
        Assert.Contains("trained", first);
        Assert.DoesNotContain("trained", second);
        Assert.Equal(before + 1, models.List("province").Count);
        var active = models.Active("province")!;
        Assert.Equal(new DateOnly(2026, 9, 1), active.TrainTo);
        Assert.Equal(active.ModelId, sample.Warehouse.Scalar<string>("select distinct model_id from det.churn_score where period = '2026-10-01'"));
    }

    [Fact]
    public void The_pipeline_step_retrains_on_its_cadence_of_labelled_months_and_not_in_between()
    {
        var months = new ChurnModels(Db).ProvinceMonths();
        ChurnModelInfo Model(DateOnly? trainTo) => new("m", "province", "fasttree", "lr", "time", null, trainTo, null, null, null,
            0, 0, 0, 0, 0.85, null, null, 0, "{}", "", DateTime.Now, true);
        var monthly = new RetrainingPolicy { RetrainAfterMonths = 1 };
        var quarterly = new RetrainingPolicy { RetrainAfterMonths = 3 };

        Assert.Equal(new DateOnly(2026, 9, 1), months.LatestLabelled);
        Assert.True(quarterly.Decide(null, months, drift: null).Retrain);
        Assert.True(monthly.Decide(Model(new DateOnly(2026, 8, 1)), months, drift: null).Retrain);
        Assert.False(monthly.Decide(Model(new DateOnly(2026, 9, 1)), months, drift: null).Retrain);
        var kept = quarterly.Decide(Model(new DateOnly(2026, 7, 1)), months, drift: null);
        Assert.False(kept.Retrain);
        Assert.Contains("2 labelled month(s) since training (retrain after 3)", kept.Why);
        var due = quarterly.Decide(Model(new DateOnly(2026, 6, 1)), months, drift: null);
        Assert.True(due.Retrain);
        Assert.Contains("3 labelled month(s) since training", due.Why);
        // an AUC read on too few churners is no reason to retrain
        Assert.False(quarterly.Decide(Model(new DateOnly(2026, 8, 1)), months, new ModelDrift(500, 5, null, null, 0.5)).Retrain);
    }

    [Theory]
    // 1,000 churners among 100,000: the noise is small, the configured drop decides
    [InlineData(100_000, 1_000, 0.82, true)]
    [InlineData(100_000, 1_000, 0.84, false)]
    [InlineData(100_000, 1_000, 0.83, false)] // exactly 0.02 lower is not more than 0.02
    // 40 churners: a drop of 0.05 is within twice the AUC's standard error (about 0.085), so the model is kept
    [InlineData(2_000, 40, 0.80, false)]
    [InlineData(2_000, 40, 0.60, true)]
    public void Between_its_cadence_a_model_is_retrained_only_when_its_auc_fell_by_more_than_the_drop_and_the_noise(
        long rows, long churners, double auc, bool retrain)
    {
        var months = new ChurnModels(Db).ProvinceMonths();
        var model = new ChurnModelInfo("m", "province", "fasttree", "lr", "time", null, new DateOnly(2026, 8, 1), null, null, null,
            0, 0, 0, 0, 0.85, null, null, 0, "{}", "", DateTime.Now, true);

        var decision = new RetrainingPolicy().Decide(model, months, new ModelDrift(rows, churners, new DateOnly(2026, 9, 1), new DateOnly(2026, 9, 1), auc));

        output.WriteLine(decision.Why);
        Assert.Equal(retrain, decision.Retrain);
        Assert.Contains(FormattableString.Invariant($"AUC {auc:F3} on 2026-09..2026-09 against 0.850 at training"), decision.Why);
    }

    [Fact]
    public void Between_retrainings_the_step_keeps_the_model_until_it_ranks_the_new_months_churners_clearly_worse()
    {
        using var copy = sample.CopyWith(new Core.Warehouse.OpsOptions());
        var models = new ChurnModels(copy.Db);
        var trainer = new ChurnTrainer(copy.Db, models);
        var step = new ChurnScoreStep(models, trainer, new ChurnScorer(copy.Db, models), policy: new RetrainingPolicy { RetrainAfterMonths = 3 });
        var trained = trainer.Train(FeatureSpec.Province, new TimeSplit(TrainUntil: new DateOnly(2026, 7, 1)));
        step.Run(null, CancellationToken.None);

        // the months after its training window, scored by it and labelled since: ranked as in its own evaluation
        var drift = models.Drift(trained);
        output.WriteLine($"trained AUC {trained.Auc:F4} on {trained.EvalFrom:yyyy-MM}..{trained.EvalTo:yyyy-MM}; stored scores: AUC {drift.Auc:F4}, " +
                         $"{drift.Rows} rows, {drift.Churners} churners, {drift.FromMonth:yyyy-MM}..{drift.ToMonth:yyyy-MM}");
        Assert.Equal((new DateOnly(2026, 8, 1), new DateOnly(2026, 9, 1)), (drift.FromMonth, drift.ToMonth));
        Assert.Equal(PairwiseAuc(copy, trained.ModelId), drift.Auc!.Value, 9);
        var second = step.Run(null, CancellationToken.None).ToString();
        output.WriteLine(second);
        Assert.Contains("model kept: 2 labelled month(s) since training (retrain after 3); AUC", second);
        Assert.Equal(trained.ModelId, models.Active("province")!.ModelId);

        // the same model now ranking the new months' churners last: retrained before its cadence, and says why
        copy.Scalar<long>("update det.churn_score set score = 1 - score where model_id = $id and period > '2026-07-01'", new { id = trained.ModelId });
        Assert.Equal(1 - drift.Auc.Value, models.Drift(trained).Auc!.Value, 9);
        var third = step.Run(null, CancellationToken.None).ToString();
        output.WriteLine(third);
        Assert.Contains("retraining: AUC", third);
        Assert.Contains("lower; trained churn-province-", third);
        var retrained = models.Active("province")!;
        Assert.NotEqual(trained.ModelId, retrained.ModelId);
        Assert.Equal(new DateOnly(2026, 9, 1), retrained.TrainTo);
    }

    /// <summary>The share of (churner, stayer) pairs of the months after July that the model's stored scores order right, ties half.</summary>
    private static double PairwiseAuc(TestWarehouse warehouse, string modelId)
    {
        var rows = warehouse.Query<(double Score, int Churned)>(
            "select s.score, f.churned_next_month from det.churn_score s join mart.mart_subscriber_features f " +
            "on f.subscriber_id = s.subscriber_id and f.month = s.period " +
            "where s.model_id = $id and f.month > '2026-07-01' and f.churned_next_month is not null", new { id = modelId });
        var churners = rows.Where(r => r.Churned == 1).Select(r => r.Score).ToList();
        var stayers = rows.Where(r => r.Churned == 0).Select(r => r.Score).ToList();
        double right = 0;
        foreach (var c in churners)
        {
            foreach (var s in stayers)
            {
                right += c > s ? 1 : c == s ? 0.5 : 0;
            }
        }
        return right / ((double)churners.Count * stayers.Count);
    }
}
