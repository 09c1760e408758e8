using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Pipeline;

namespace RetentionAnalytics.Core.Model;

/// <summary>
/// After each rebuild: train when there is no active province model, retrain when the <see cref="RetrainingPolicy"/> says
/// so (a cadence of labelled months, or the model ranking the churners of the months it never saw worse than at its
/// training), then score every month the active model has not scored yet: the new month, so that scenario 13 reads fresh
/// scores, and after a retraining every month, so that score bands and back-tests of past months read the same model as
/// the present one. The step's result says why the model was retrained or kept.
/// </summary>
public sealed class ChurnScoreStep(ChurnModels models, ChurnTrainer trainer, ChurnScorer scorer,
    Warehouse.Db? db = null, Etl.Contracts.ContractCatalog? contracts = null, RetrainingPolicy? policy = null) : IPipelineStep
{
    public int Order => 100;
    public string Name => "churn-score";

    public string Run(IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var months = models.ProvinceMonths();
        if (months.LatestMonth is null)
        {
            return "churn model: no subscriber months yet";
        }
        if (db is not null && contracts is not null && SnapshotFeatures.Choose(db, contracts).Spec is { FeatureSet: FeatureSpec.SnapshotSet } snapshot)
        {
            return RunSnapshot(snapshot, progress, ct);
        }
        var active = models.Active(FeatureSpec.Province.FeatureSet);
        var decision = (policy ?? new RetrainingPolicy()).Decide(models, active, months);
        var trained = active is null ? "" : decision.Retrain ? $"retraining: {decision.Why}; " : $"model kept: {decision.Why}; ";
        if (decision.Retrain)
        {
            if (!CanTrain(months))
            {
                return active is null ? "churn model: too few labelled months to train" : Score(active, progress, ct, trained);
            }
            try
            {
                active = trainer.Train(FeatureSpec.Province, new TimeSplit(), progress: Half(progress, 0), ct: ct);
                trained += $"trained {active.ModelId} (AUC {active.Auc:F3}); ";
            }
            catch (InvalidOperationException ex) when (active is not null)
            {
                // a failed retraining keeps the previous model scoring: the call lists still need this month's scores
                trained += $"retraining failed ({ex.Message}); ";
            }
        }
        return Score(active!, progress, ct, trained);
    }

    /// <summary>A single snapshot (a churn dataset): trained once on churn within it, then its scores kept fresh.</summary>
    private string RunSnapshot(FeatureSpec spec, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var trained = "";
        if (models.Active(spec.FeatureSet) is not { } active)
        {
            active = trainer.Train(spec, new RandomSplit(0.2, Seed: 42), progress: Half(progress, 0), ct: ct);
            trained = $"trained {active.ModelId} on the snapshot (AUC {active.Auc:F3}); ";
        }
        var result = scorer.Score(progress: Half(progress, 50), ct: ct, features: spec);
        return $"churn model: {trained}{result.Scored:N0} subscribers scored for {result.Period:yyyy-MM} with {active.ModelId}";
    }

    // two labelled months at least: one to learn from, one to judge the model on
    private static bool CanTrain(LabelledMonths months) =>
        months is { FirstLabelled: { } first, LatestLabelled: { } last } && last > first;

    private string Score(ChurnModelInfo model, IProgress<JobProgress>? progress, CancellationToken ct, string trained)
    {
        var results = scorer.ScoreUnscored(progress: Half(progress, 50), ct: ct);
        if (results.Count == 0)
        {
            return $"churn model: {trained}every month already scored with {model.ModelId}";
        }
        var months = results.Count == 1 ? $"{results[0].Period:yyyy-MM}" : $"{results.Count} months ({results[0].Period:yyyy-MM}..{results[^1].Period:yyyy-MM})";
        return $"churn model: {trained}{results.Sum(r => r.Scored):N0} subscriber-months scored for {months} with {model.ModelId}";
    }

    private static Progress<JobProgress> Half(IProgress<JobProgress>? progress, double from) =>
        new(p => progress?.Report(p with { Percent = from + p.Percent / 2 }));
}
