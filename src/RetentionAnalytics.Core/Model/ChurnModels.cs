using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Model;

public sealed record ChurnModelInfo(
    string ModelId, string FeatureSet, string Algorithm, string BaselineAlgorithm, string Split,
    DateOnly? TrainFrom, DateOnly? TrainTo, DateOnly? EvalFrom, DateOnly? EvalTo, DateOnly? BacktestTrainTo,
    long TrainRows, long TrainPositives, long EvalRows, long EvalPositives,
    double? Auc, double? BaselineAuc, double? LiftTopDecile, double TrainingSeconds,
    string EncoderJson, string ModelPath, DateTime TrainedAt, bool Active, double SampleShare = 1);

public sealed record FeatureImportance(string Feature, double Importance, int Rank);

public sealed record LabelledMonths(DateOnly? LatestLabelled, DateOnly? FirstLabelled, DateOnly? LatestMonth);

/// <summary>The stored churn models: which is active, their evaluation and feature importance, where their files are.</summary>
public sealed class ChurnModels(Db db)
{
    public ChurnModelInfo? Active(string featureSet) =>
        Query(featureSet, modelId: null, activeOnly: true).FirstOrDefault();

    public ChurnModelInfo? Get(string modelId) => Query(null, modelId, activeOnly: false).FirstOrDefault();

    public IReadOnlyList<ChurnModelInfo> List(string? featureSet = null) => Query(featureSet, null, activeOnly: false);

    public IReadOnlyList<FeatureImportance> Features(string modelId, int top = 10)
    {
        using var c = db.Connect();
        return c.Query<FeatureImportance>(db.Sql.Get("model/model_features.sql"), new { model_id = modelId, top }).ToList();
    }

    /// <summary>Months of the province's feature mart: the newest with a known label decides whether to retrain.</summary>
    public LabelledMonths ProvinceMonths()
    {
        using var c = db.Connect();
        if (!Etl.Loading.Loader.TableExists(c, "mart", "mart_subscriber_features"))
        {
            return new LabelledMonths(null, null, null);
        }
        return c.QuerySingle<LabelledMonths>(db.Sql.Get("model/labelled_months.sql"));
    }

    /// <summary>The model on the labelled months after its training window, from the scores it stored for them.</summary>
    public ModelDrift Drift(ChurnModelInfo model)
    {
        using var c = db.Connect();
        return c.QuerySingle<ModelDrift>(db.Sql.Get("model/model_drift.sql"),
            new { model_id = model.ModelId, train_to = model.TrainTo ?? DateOnly.MinValue });
    }

    /// <summary>Model files live in <c>models/</c> beside the warehouse file (data/models/ for the default warehouse).</summary>
    public string FullPath(string modelPath) =>
        Path.Combine(Path.GetDirectoryName(db.Options.DatabasePath) ?? ".", modelPath);

    private List<ChurnModelInfo> Query(string? featureSet, string? modelId, bool activeOnly)
    {
        using var c = db.Connect();
        return c.Query<ChurnModelInfo>(db.Sql.Get("model/models.sql"),
            new { feature_set = featureSet, model_id = modelId, active_only = activeOnly }).ToList();
    }
}
