using RetentionAnalytics.Core.Model;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Tests.Etl;
using RetentionAnalytics.Tests.Support;
using Xunit.Abstractions;

namespace RetentionAnalytics.Tests.Model;

/// <summary>IBM's public Telco sample goes through its extract contract and the same training code as the province.</summary>
public sealed class IbmTelcoModelTests(ITestOutputHelper output)
{
    [Fact]
    public void The_ibm_sample_trained_with_a_seeded_random_split_reaches_an_auc_of_at_least_0_84()
    {
        using var w = new TestWarehouse();
        Assert.Equal("loaded", w.Loader.LoadFile(TelcoChurnLoadTests.SampleFile).Status);
        new TransformRunner(w.Db, w.Contracts).Run();
        var models = new ChurnModels(w.Db);
        var (spec, missing) = SnapshotFeatures.Choose(w.Db, w.Contracts);
        Assert.True(spec is not null, missing);
        Assert.Equal(FeatureSpec.SnapshotSet, spec.FeatureSet);

        var model = new ChurnTrainer(w.Db, models).Train(spec, new RandomSplit(0.2, Seed: 42));

        output.WriteLine($"IBM: AUC {model.Auc:F4}, baseline {model.BaselineAuc:F4}, lift@10% {model.LiftTopDecile:F2}, " +
                         $"{model.TrainRows} train / {model.EvalRows} eval rows, {model.TrainingSeconds:F1} s");
        foreach (var f in models.Features(model.ModelId, 5))
        {
            output.WriteLine($"  {f.Rank}. {f.Feature} {f.Importance:P1}");
        }
        Assert.Equal(7043, model.TrainRows + model.EvalRows);
        Assert.InRange(model.EvalRows, 7043 * 0.17, 7043 * 0.23);
        Assert.True(model.Auc >= 0.84, $"IBM AUC {model.Auc:F4} is below 0.84");
        Assert.True(File.Exists(models.FullPath(model.ModelPath)));
        Assert.Equal("random", model.Split);
    }

    [Fact]
    public void The_same_seed_gives_the_same_split_and_the_same_auc()
    {
        using var w = new TestWarehouse();
        w.Loader.LoadFile(TelcoChurnLoadTests.SampleFile);
        new TransformRunner(w.Db, w.Contracts).Run();
        var trainer = new ChurnTrainer(w.Db, new ChurnModels(w.Db));
        var settings = new TreeSettings(Trees: 50);
        var spec = SnapshotFeatures.Choose(w.Db, w.Contracts).Spec!;

        var first = trainer.Train(spec, new RandomSplit(0.2, 7), settings);
        var second = trainer.Train(spec, new RandomSplit(0.2, 7), settings);

        Assert.Equal(first.EvalRows, second.EvalRows);
        Assert.Equal(first.EvalPositives, second.EvalPositives);
        Assert.Equal(first.Auc, second.Auc);
        // training again activates the new model only
        Assert.Equal(second.ModelId, new ChurnModels(w.Db).Active(FeatureSpec.SnapshotSet)!.ModelId);
    }
}
