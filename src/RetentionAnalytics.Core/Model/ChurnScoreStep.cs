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

    public RunNotes Run(IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var months = models.ProvinceMonths();
        if (months.LatestMonth is null)
        {
            return Churn(new RunNote("ChurnNoMonths"));
        }
        if (db is not null && contracts is not null && SnapshotFeatures.Choose(db, contracts).Spec is { FeatureSet: FeatureSpec.SnapshotSet } snapshot)
        {
            return RunSnapshot(snapshot, progress, ct);
        }
        var active = models.Active(FeatureSpec.Province.FeatureSet);
        var decision = (policy ?? new RetrainingPolicy()).Decide(models, active, months);
        var trained = new List<RunNote>();
        if (active is not null)
        {
            trained.Add(new RunNote(decision.Retrain ? "Retraining" : "ModelKept", decision.Reasons));
        }
        if (decision.Retrain)
        {
            if (!CanTrain(months))
            {
                return active is null ? Churn(new RunNote("ChurnTooFewMonths")) : Score(active, progress, ct, trained);
            }
            try
            {
                active = trainer.Train(FeatureSpec.Province, new TimeSplit(), progress: Half(progress, 0), ct: ct);
                trained.Add(new RunNote("Trained", active.ModelId, active.Auc ?? double.NaN));
            }
            catch (InvalidOperationException ex) when (active is not null)
            {
                // a failed retraining keeps the previous model scoring: the call lists still need this month's scores
                trained.Add(new RunNote("RetrainingFailed", ex.Message));
            }
        }
        return Score(active!, progress, ct, trained);
    }

    /// <summary>A single snapshot (a churn dataset): trained once on churn within it, then its scores kept fresh.</summary>
    private RunNotes RunSnapshot(FeatureSpec spec, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var trained = new List<RunNote>();
        if (models.Active(spec.FeatureSet) is not { } active)
        {
            active = trainer.Train(spec, new RandomSplit(0.2, Seed: 42), progress: Half(progress, 0), ct: ct);
            trained.Add(new RunNote("TrainedOnSnapshot", active.ModelId, active.Auc ?? double.NaN));
        }
        var result = scorer.Score(progress: Half(progress, 50), ct: ct, features: spec);
        return Churn([.. trained, new RunNote("ScoredSnapshot", result.Scored, $"{result.Period:yyyy-MM}", active.ModelId)]);
    }

    // two labelled months at least: one to learn from, one to judge the model on
    private static bool CanTrain(LabelledMonths months) =>
        months is { FirstLabelled: { } first, LatestLabelled: { } last } && last > first;

    private RunNotes Score(ChurnModelInfo model, IProgress<JobProgress>? progress, CancellationToken ct, List<RunNote> trained)
    {
        var results = scorer.ScoreUnscored(progress: Half(progress, 50), ct: ct);
        var scored = results.Count switch
        {
            0 => new RunNote("AllScored", model.ModelId),
            1 => new RunNote("ScoredMonth", results[0].Scored, $"{results[0].Period:yyyy-MM}", model.ModelId),
            _ => new RunNote("ScoredMonths", results.Sum(r => r.Scored), results.Count,
                $"{results[0].Period:yyyy-MM}", $"{results[^1].Period:yyyy-MM}", model.ModelId),
        };
        return Churn([.. trained, scored]);
    }

    /// <summary>"churn model: …" around the step's sentences.</summary>
    private static RunNotes Churn(params RunNote[] notes) => new(new RunNote("ChurnModel", new RunNotes(notes)));

    private static Progress<JobProgress> Half(IProgress<JobProgress>? progress, double from) =>
        new(p => progress?.Report(p with { Percent = from + p.Percent / 2 }));
}
