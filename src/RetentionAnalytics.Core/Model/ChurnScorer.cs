using Dapper;
using Microsoft.ML;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Model;

public sealed record ScoreResult(DateOnly Period, string ModelId, int Scored, double MeanScore);

/// <summary>
/// Scores one month of the province with the active model into det.churn_score, with the three features that
/// raised each score most. A period is replaced as a whole in one transaction, so re-scoring never duplicates.
/// </summary>
public sealed class ChurnScorer(Db db, ChurnModels models)
{
    /// <summary>Subscribers read and scored at a time.</summary>
    public const int ScoringBatch = 100_000;

    public ScoreResult Score(DateOnly? period = null, IProgress<JobProgress>? progress = null, CancellationToken ct = default,
        FeatureSpec? features = null)
    {
        var spec = features ?? FeatureSpec.Province;
        var model = models.Active(spec.FeatureSet)
            ?? throw new InvalidOperationException($"no active churn model for the {spec.FeatureSet} features; train one first (ra model train)");
        var month = period ?? models.ProvinceMonths().LatestMonth
            ?? throw new InvalidOperationException("the warehouse holds no subscriber months to score");
        month = new DateOnly(month.Year, month.Month, 1);

        progress?.Report(new JobProgress(0, "read", $"{month:yyyy-MM}"));
        var total = FeatureTable.Count(db, spec, month, month, labelledOnly: false);
        var encoder = FeatureEncoder.FromJson(model.EncoderJson);
        var ml = new MLContext();
        var transformer = ml.Model.Load(models.FullPath(model.ModelPath), out _);

        var scoredAt = DateTime.Now;
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
                progress?.Report(new JobProgress(100.0 * count / Math.Max(1, total), "score", $"{count:N0} of {total:N0}"));
            }
        }
        tx.Commit();
        progress?.Report(new JobProgress(100, "scored", $"{count:N0}"));
        return new ScoreResult(month, model.ModelId, count, count == 0 ? 0 : sum / count);
    }

    /// <summary>The (up to) three features that pushed this subscriber's score up most, with their values.</summary>
    internal static string TopFactors(float[] contributions, RawRow row, Func<int, RawRow, string> describe) =>
        string.Join("; ", contributions
            .Select((value, slot) => (value, slot))
            .Where(p => p.value > 0)
            .OrderByDescending(p => p.value)
            .Take(3)
            .Select(p => describe(p.slot, row)));
}
