using RetentionAnalytics.Core.Model;
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
}
