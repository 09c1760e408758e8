using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Model;

/// <summary>
/// Trains the churn model for any <see cref="FeatureSpec"/>: gradient-boosted trees (ML.NET FastTree) judged against a
/// logistic regression baseline (L-BFGS) on rows the training never saw -- later months for the province, a seeded
/// random fifth for data without periods. Stores the model file, its figures and feature importance.
/// </summary>
public sealed class ChurnTrainer(Db db, ChurnModels models)
{
    public const string Algorithm = "fasttree";
    public const string BaselineAlgorithm = "lbfgs_logistic_regression";

    /// <summary>
    /// What training holds on the heap per row it reads: the raw row, its encoded vector, ML.NET's copies and the trees'
    /// bins. Measured on the province's features: 1.0 M rows peaked at 2.9 GB resident with DuckDB held to 1 GB.
    /// </summary>
    public const long HeapBytesPerRow = 2_560;

    /// <summary>At most half the process's memory goes to the rows: above that many, training samples (docs/model.md).</summary>
    public static long RowsThatFit(WarehouseOptions options) => options.MemoryLimitBytes / 2 / HeapBytesPerRow;

    public ChurnModelInfo Train(FeatureSpec spec, DataSplit split, TreeSettings? settings = null, bool activate = true,
        IProgress<JobProgress>? progress = null, CancellationToken ct = default)
    {
        settings ??= new TreeSettings();
        var clock = Stopwatch.StartNew();
        progress?.Report(new JobProgress(0, "read", spec.FeatureSet));
        var plan = Plan(spec, split);
        // above the row budget, a seeded share of the subscribers with all their months: the time split is kept, memory is
        // bounded, and the ranking (AUC) is the same as on every row within noise (docs/model.md, "Sampling")
        var labelled = FeatureTable.Count(db, spec, plan.ReadFrom, plan.ReadTo, labelledOnly: true);
        var budget = Math.Min(settings.MaxTrainingRows, RowsThatFit(db.Options));
        var share = labelled <= budget ? 1.0 : (double)budget / labelled;
        // the rows and trees live on the heap: DuckDB makes room for them while they do
        using var loan = db.LendToHeap(Math.Min(labelled, budget) * HeapBytesPerRow);
        progress?.Report(new JobProgress(2, "read", share < 1 ? $"{labelled:N0} labelled rows, sample {share:P1} of the subscribers" : $"{labelled:N0} labelled rows"));
        var table = FeatureTable.Read(db, spec, plan.ReadFrom, plan.ReadTo, labelledOnly: true, sampleShare: share, sampleSeed: settings.Seed);
        var backtestTrain = table.Rows.Where(plan.InBacktestTraining).ToList();
        var evaluation = table.Rows.Where(plan.InEvaluation).ToList();
        var finalTrain = plan.Refit ? table.Rows.Where(plan.InFinalTraining).ToList() : backtestTrain;
        RequireBothClasses(spec, backtestTrain);
        ct.ThrowIfCancellationRequested();

        var ml = new MLContext(seed: settings.Seed);
        progress?.Report(new JobProgress(15, "train", $"{backtestTrain.Count:N0} training rows"));
        var encoder = FeatureEncoder.Fit(table, backtestTrain);
        var encode = encoder.For(table);
        var backtestView = View(ml, table, backtestTrain, encode, encoder.Length);
        var model = Trees(ml, settings).Fit(backtestView);
        ct.ThrowIfCancellationRequested();
        progress?.Report(new JobProgress(45, "baseline"));
        var baseline = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.BinaryClassification.Trainers.LbfgsLogisticRegression())
            .Fit(backtestView);

        progress?.Report(new JobProgress(60, "evaluate", $"{evaluation.Count:N0} evaluation rows"));
        var evaluable = evaluation.Any(r => r.Label == true) && evaluation.Any(r => r.Label == false);
        double? auc = null, baselineAuc = null, lift = null;
        if (evaluable)
        {
            var evalView = View(ml, table, evaluation, encode, encoder.Length);
            var scored = model.Transform(evalView);
            auc = ml.BinaryClassification.Evaluate(scored).AreaUnderRocCurve;
            baselineAuc = ml.BinaryClassification.Evaluate(baseline.Transform(evalView)).AreaUnderRocCurve;
            lift = LiftAtTopDecile(ml.Data.CreateEnumerable<MlPrediction>(scored, reuseRowObject: false).ToList());
        }
        ct.ThrowIfCancellationRequested();

        if (plan.Refit)
        {
            // the saved model learns from every labelled month, with the encoding of those months
            progress?.Report(new JobProgress(75, "refit", $"{finalTrain.Count:N0} rows"));
            RequireBothClasses(spec, finalTrain);
            encoder = FeatureEncoder.Fit(table, finalTrain);
            encode = encoder.For(table);
            backtestView = View(ml, table, finalTrain, encode, encoder.Length);
            model = Trees(ml, settings).Fit(backtestView);
        }

        progress?.Report(new JobProgress(90, "save"));
        var explained = model.Append(ml.Transforms.CalculateFeatureContribution(model, numberOfPositiveContributions: 3, numberOfNegativeContributions: 0)
            .Fit(model.Transform(backtestView)));
        var trainedAt = db.Clock.Now;
        var modelId = $"churn-{spec.FeatureSet}-{trainedAt:yyyyMMddHHmmssfff}";
        var modelPath = Path.Combine("models", modelId + ".zip");
        var fullPath = models.FullPath(modelPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        ml.Model.Save(explained, backtestView.Schema, fullPath);

        var importance = Importance(model, encoder);
        using (var c = db.Connect())
        using (var tx = c.BeginTransaction())
        {
            if (activate)
            {
                c.Execute(db.Sql.Get("model/deactivate_models.sql"), new { feature_set = spec.FeatureSet }, tx);
            }
            var trainMonths = finalTrain.Select(r => r.Period).OfType<DateOnly>().ToList();
            var evalMonths = evaluation.Select(r => r.Period).OfType<DateOnly>().ToList();
            c.Execute(db.Sql.Get("model/insert_model.sql"), new
            {
                model_id = modelId,
                feature_set = spec.FeatureSet,
                algorithm = Algorithm,
                baseline_algorithm = BaselineAlgorithm,
                split = split is TimeSplit ? "time" : "random",
                train_from = trainMonths.Count == 0 ? (DateOnly?)null : trainMonths.Min(),
                train_to = trainMonths.Count == 0 ? (DateOnly?)null : trainMonths.Max(),
                eval_from = evalMonths.Count == 0 ? (DateOnly?)null : evalMonths.Min(),
                eval_to = evalMonths.Count == 0 ? (DateOnly?)null : evalMonths.Max(),
                backtest_train_to = plan.BacktestTrainTo,
                train_rows = (long)finalTrain.Count,
                train_positives = (long)finalTrain.Count(r => r.Label == true),
                eval_rows = (long)evaluation.Count,
                eval_positives = (long)evaluation.Count(r => r.Label == true),
                auc,
                baseline_auc = baselineAuc,
                lift_top_decile = lift,
                training_seconds = clock.Elapsed.TotalSeconds,
                encoder_json = encoder.ToJson(),
                model_path = modelPath,
                active = activate,
                sample_share = share,
            }, tx);
            c.Execute("insert into det.churn_model_feature values ($model_id, $feature, $importance, $rank)",
                importance.Select(f => new { model_id = modelId, feature = f.Feature, importance = f.Importance, rank = f.Rank }), tx);
            tx.Commit();
        }
        progress?.Report(new JobProgress(100, "trained", modelId));
        return models.Get(modelId)!;
    }

    private static IEstimator<BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>>> Trees(
        MLContext ml, TreeSettings settings) =>
        ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = settings.Trees,
            NumberOfLeaves = settings.Leaves,
            MinimumExampleCountPerLeaf = settings.MinRowsPerLeaf,
            LearningRate = settings.LearningRate,
            Seed = settings.Seed,
            // one thread: the same data and seed give the same model on any machine
            NumberOfThreads = 1,
        });

    private static IDataView View(MLContext ml, FeatureTable table, List<RawRow> rows, Func<RawRow, float[]> encode, int length)
    {
        var index = new Dictionary<RawRow, int>(ReferenceEqualityComparer.Instance);
        for (var i = 0; i < table.Rows.Count; i++)
        {
            index[table.Rows[i]] = i;
        }
        return MlRow.View(ml, rows.Select(r => new MlRow { Label = r.Label == true, Features = encode(r), Index = index[r] }).ToList(), length);
    }

    /// <summary>Churn rate among the top 10 % of scores divided by the overall churn rate: how much a call list gains.</summary>
    internal static double? LiftAtTopDecile(IReadOnlyList<MlPrediction> predictions)
    {
        var positives = predictions.Count(p => p.Label);
        if (predictions.Count == 0 || positives == 0)
        {
            return null;
        }
        var top = predictions.OrderByDescending(p => p.Probability).Take((int)Math.Ceiling(predictions.Count / 10.0)).ToList();
        return (double)top.Count(p => p.Label) / top.Count / ((double)positives / predictions.Count);
    }

    private static List<FeatureImportance> Importance(
        BinaryPredictionTransformer<CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator>> model, FeatureEncoder encoder)
    {
        VBuffer<float> weights = default;
        model.Model.SubModel.GetFeatureWeights(ref weights);
        var dense = weights.DenseValues().ToArray();
        var total = dense.Sum();
        var names = encoder.FeatureNames;
        return dense.Select((w, i) => (Name: names[i], Share: total > 0 ? w / total : 0))
            .OrderByDescending(f => f.Share).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select((f, i) => new FeatureImportance(f.Name, Math.Round(f.Share, 6), i + 1))
            .ToList();
    }

    private static void RequireBothClasses(FeatureSpec spec, List<RawRow> rows)
    {
        if (!rows.Any(r => r.Label == true) || !rows.Any(r => r.Label == false))
        {
            throw new InvalidOperationException($"feature set {spec.FeatureSet}: the training rows hold only one class; nothing to learn");
        }
    }

    private sealed record SplitPlan(
        DateOnly? ReadFrom, DateOnly? ReadTo, DateOnly? BacktestTrainTo, bool Refit,
        Func<RawRow, bool> InBacktestTraining, Func<RawRow, bool> InEvaluation, Func<RawRow, bool> InFinalTraining);

    private SplitPlan Plan(FeatureSpec spec, DataSplit split)
    {
        switch (split)
        {
            case RandomSplit random:
                bool IsTest(RawRow r) => Fraction(random.Seed, r.Id) < random.TestFraction;
                return new SplitPlan(null, null, null, false, r => !IsTest(r), IsTest, r => !IsTest(r));

            case TimeSplit time when spec.PeriodColumn is not null:
                var months = LabelledPeriods(spec);
                if (months.Count == 0)
                {
                    throw new InvalidOperationException($"feature set {spec.FeatureSet}: no labelled months yet");
                }
                DateOnly until;
                if (time.TrainUntil is { } asked)
                {
                    var candidates = months.Where(m => m <= asked).ToList();
                    until = candidates.Count > 0 ? candidates.Max()
                        : throw new InvalidOperationException($"feature set {spec.FeatureSet}: no labelled month on or before {asked:yyyy-MM}");
                }
                else
                {
                    until = months.Count > time.EvalMonths ? months[^(time.EvalMonths + 1)] : months[^1];
                }
                var backtestMonths = months.Where(m => m <= until).TakeLast(time.TrainMonths).ToHashSet();
                var refit = time.TrainUntil is null && time.Refit && until < months[^1];
                var finalMonths = refit ? months.TakeLast(time.TrainMonths).ToHashSet() : backtestMonths;
                return new SplitPlan(
                    backtestMonths.Concat(finalMonths).Min(), months[^1], until, refit,
                    r => backtestMonths.Contains(r.Period!.Value),
                    r => r.Period > until,
                    r => finalMonths.Contains(r.Period!.Value));

            default:
                throw new InvalidOperationException($"feature set {spec.FeatureSet} has no period column for a time split");
        }
    }

    private List<DateOnly> LabelledPeriods(FeatureSpec spec)
    {
        using var c = db.Connect();
        var sql = $"select distinct {spec.PeriodColumn} from ({FeatureTable.FilteredSql(db, spec, labelledOnly: true)}) as labelled order by 1";
        return c.Query<DateOnly>(sql, new { from = (DateOnly?)null, to = (DateOnly?)null }).ToList();
    }

    /// <summary>A stable fraction in [0, 1) from a seed and an id: the same split on every run and machine.</summary>
    internal static double Fraction(int seed, string id)
    {
        var hash = MD5.HashData(Encoding.UTF8.GetBytes($"{seed}:{id}"));
        return BitConverter.ToUInt32(hash, 0) / 4294967296.0;
    }
}
