using Dapper;
using Microsoft.ML;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Model;

public sealed record ScoreResult(DateOnly Period, string ModelId, int Scored, double MeanScore);

/// <summary>
/// Scores months of the province with the active model into det.churn_score, with the three features that raised each
/// score most. A month is replaced as a whole in its own transaction, so re-scoring never duplicates and a stopped run
/// leaves every month either scored completely or as it was.
/// </summary>
public sealed class ChurnScorer(Db db, ChurnModels models)
{
    /// <summary>Subscribers read and scored at a time.</summary>
    public const int ScoringBatch = 100_000;

    /// <summary>Scores one month (default: the newest) with the active model of the features (default: the province's).</summary>
    public ScoreResult Score(DateOnly? period = null, IProgress<JobProgress>? progress = null, CancellationToken ct = default,
        FeatureSpec? features = null)
    {
        var spec = features ?? FeatureSpec.Province;
        var model = ActiveModel(spec);
        var month = period ?? models.ProvinceMonths().LatestMonth
            ?? throw new InvalidOperationException("the warehouse holds no subscriber months to score");
        return Scoring.For(db, models, model, spec).Score(new DateOnly(month.Year, month.Month, 1), progress, ct);
    }

    /// <summary>
    /// Scores every month with features that the active model has not scored as it stands (all of them after a
    /// retraining, otherwise the newly loaded month), so that score bands and back-tests of past months have scores.
    /// </summary>
    public IReadOnlyList<ScoreResult> ScoreUnscored(IProgress<JobProgress>? progress = null, CancellationToken ct = default)
    {
        var model = ActiveModel(FeatureSpec.Province);
        List<DateOnly> months;
        using (var c = db.Connect())
        {
            months = c.Query<DateTime>(db.Sql.Get("model/months_to_score.sql"), new { model_id = model.ModelId })
                .Select(DateOnly.FromDateTime).ToList();
        }
        var scoring = Scoring.For(db, models, model, FeatureSpec.Province);
        var results = new List<ScoreResult>(months.Count);
        for (var i = 0; i < months.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            var (from, width) = (100.0 * i / months.Count, 100.0 / months.Count);
            results.Add(scoring.Score(months[i], new Progress<JobProgress>(p =>
                progress?.Report(p with { Percent = from + width * p.Percent / 100 })), ct));
        }
        progress?.Report(new JobProgress(100, "scored", $"{months.Count} month(s)"));
        return results;
    }

    private ChurnModelInfo ActiveModel(FeatureSpec spec) => models.Active(spec.FeatureSet)
        ?? throw new InvalidOperationException($"no active churn model for the {spec.FeatureSet} features; train one first (ra model train)");

    /// <summary>The active model loaded once for any number of months.</summary>
    private sealed class Scoring(Db db, ChurnModelInfo model, FeatureSpec spec, FeatureEncoder encoder, MLContext ml, ITransformer transformer)
    {
        public static Scoring For(Db db, ChurnModels models, ChurnModelInfo model, FeatureSpec spec)
        {
            var ml = new MLContext();
            var transformer = ml.Model.Load(models.FullPath(model.ModelPath), out _);
            return new Scoring(db, model, spec, FeatureEncoder.FromJson(model.EncoderJson), ml, transformer);
        }

        public ScoreResult Score(DateOnly month, IProgress<JobProgress>? progress, CancellationToken ct)
        {
            progress?.Report(new JobProgress(0, "read", $"{month:yyyy-MM}"));
            var total = FeatureTable.Count(db, spec, month, month, labelledOnly: false);
            var scoredAt = db.Clock.Now;
            var count = 0;
            var sum = 0.0;
            using var c = db.Connect();
            using var tx = c.BeginTransaction();
            c.Execute(db.Sql.Get("model/score_period_delete.sql"), new { period = month }, tx);
            using (var appender = c.CreateAppender("det", "churn_score"))
            {
                // batches read from one query as they are scored: memory stays flat however many subscribers the month has
                foreach (var table in FeatureTable.Batches(db, spec, month, month, labelledOnly: false, ScoringBatch))
                {
                    var encode = encoder.For(table);
                    var describe = encoder.DescriberFor(table);
                    var input = MlRow.View(ml, table.Rows.Select((r, i) => new MlRow { Features = encode(r), Index = i }), encoder.Length);
                    var scored = ml.Data.CreateEnumerable<MlExplainedPrediction>(transformer.Transform(input), reuseRowObject: false);
                    foreach (var s in scored)
                    {
                        var row = table.Rows[s.Index];
                        appender.CreateRow()
                            .AppendValue(row.Id)
                            .AppendValue((DateOnly?)month)
                            .AppendValue(row.City ?? "")
                            .AppendValue((double?)Math.Round(s.Probability, 6))
                            .AppendValue(model.ModelId)
                            .AppendValue(TopFactors(s.FeatureContributions, row, describe))
                            .AppendValue((DateTime?)scoredAt)
                            .EndRow();
                        count++;
                        sum += s.Probability;
                    }
                    ct.ThrowIfCancellationRequested();
                    progress?.Report(new JobProgress(100.0 * count / Math.Max(1, total), "score", $"{month:yyyy-MM}: {count:N0} of {total:N0}"));
                }
            }
            tx.Commit();
            progress?.Report(new JobProgress(100, "scored", $"{month:yyyy-MM}: {count:N0}"));
            return new ScoreResult(month, model.ModelId, count, count == 0 ? 0 : sum / count);
        }
    }

    /// <summary>The (up to) three features that pushed this subscriber's score up most, with their values.</summary>
    internal static string TopFactors(float[] contributions, RawRow row, Func<int, RawRow, string> describe) =>
        string.Join("; ", contributions
            .Select((value, slot) => (value, slot))
            .Where(p => p.value > 0)
            .OrderByDescending(p => p.value)
            .Select(p => describe(p.slot, row))
            .Distinct(StringComparer.Ordinal) // a value and its missing indicator describe the same column
            .Take(3));
}
