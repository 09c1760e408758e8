using System.CommandLine;
using System.Globalization;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Model;
using RetentionAnalytics.Core.Warehouse;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

/// <summary><c>ra model train|show|score</c>: the churn model of scenario 13.</summary>
internal static class ModelCommand
{
    public static Command Create()
    {
        var command = new Command("model", "The churn model: train it, show its evaluation, score a month");
        command.Add(Train());
        command.Add(Show());
        command.Add(Score());
        return command;
    }

    private static Command Train()
    {
        var until = new Option<string?>("--until")
        {
            Description = "Train on labelled months up to yyyy-MM and evaluate on the months after it (default: evaluate the last 3 labelled months, then refit on all)",
        };
        var command = new Command("train", "Train the province churn model (FastTree, logistic regression baseline) and make it active") { until };
        command.SetAction(async (parse, ct) =>
        {
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            if (Features(db) is not { } spec)
            {
                return CliOptions.ExitFailed;
            }
            // a single snapshot has no next month to label: churned in the snapshot, judged on a seeded random fifth
            DataSplit split = spec.FeatureSet == FeatureSpec.SnapshotSet
                ? new RandomSplit(0.2, Seed: 42)
                : new TimeSplit(TrainUntil: ParseMonth(parse.GetValue(until)));
            if (spec.FeatureSet == FeatureSpec.SnapshotSet)
            {
                AnsiConsole.MarkupLine("[grey]The warehouse holds a single snapshot month: training on churn within it (seeded 80/20 split).[/]");
            }
            var models = new ChurnModels(db);
            var model = await new JobRuns(db).RunAsync("cli-model-train", "cli", (jobProgress, token) =>
                Task.FromResult(WithProgress("train", jobProgress, p => new ChurnTrainer(db, models).Train(spec, split, progress: p, ct: token))), ct);
            Describe(models, model);
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var top = new Option<int>("--top") { Description = "Features to list by importance", DefaultValueFactory = _ => 10 };
        var command = new Command("show", "The active churn model: windows, AUC against the baseline, lift, top features") { top };
        command.SetAction(parse =>
        {
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            var models = new ChurnModels(db);
            var featureSet = SnapshotFeatures.Choose(db, ContractCatalog.Load(db.Options.Definitions)).Spec?.FeatureSet ?? FeatureSpec.Province.FeatureSet;
            var active = models.Active(featureSet);
            if (active is null)
            {
                AnsiConsole.MarkupLine("[yellow]No active churn model; run [bold]ra model train[/].[/]");
                return CliOptions.ExitFailed;
            }
            Describe(models, active, parse.GetValue(top));
            if (featureSet == FeatureSpec.Province.FeatureSet)
            {
                // what the nightly pipeline watches between retrainings (docs/model.md, "When the model is retrained")
                var drift = models.Drift(active);
                var decision = CliConfiguration.Retraining.Decide(active, models.ProvinceMonths(), drift);
                if (drift.Rows == 0)
                {
                    AnsiConsole.MarkupLine("since training: no labelled month scored by this model yet");
                }
                else
                {
                    AnsiConsole.MarkupLineInterpolated(
                        $"since training: AUC {Figure(drift.Auc)} on {drift.FromMonth:yyyy-MM}..{drift.ToMonth:yyyy-MM} ({drift.Rows:N0} rows, {drift.Churners:N0} churners)");
                }
                AnsiConsole.MarkupLineInterpolated($"next pipeline run: {(decision.Retrain ? "retrains" : "keeps the model")} ({decision.Why})");
            }
            var history = new Table().AddColumns("model", "trained", "train window", "AUC", "baseline", "active");
            foreach (var m in models.List(featureSet).Take(10))
            {
                history.AddRow(m.ModelId, $"{m.TrainedAt:yyyy-MM-dd HH:mm}", $"{m.TrainFrom:yyyy-MM}..{m.TrainTo:yyyy-MM}",
                    Figure(m.Auc), Figure(m.BaselineAuc), m.Active ? "yes" : "");
            }
            AnsiConsole.Write(history);
            return 0;
        });
        return command;
    }

    private static Command Score()
    {
        var period = new Option<string?>("--period") { Description = "Month to score, yyyy-MM (default: the newest loaded month)" };
        var unscored = new Option<bool>("--unscored") { Description = "Score every month the active model has not scored yet (what the daily pipeline does)" };
        var command = new Command("score", "Score a month with the active model into det.churn_score (replaces that month's scores)") { period, unscored };
        command.SetAction(async (parse, ct) =>
        {
            if (parse.GetValue(unscored) && parse.GetValue(period) is not null)
            {
                AnsiConsole.MarkupLine("[red]--period and --unscored exclude each other[/]");
                return CliOptions.ExitFailed;
            }
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            if (Features(db) is not { } spec)
            {
                return CliOptions.ExitFailed;
            }
            var month = ParseMonth(parse.GetValue(period));
            var models = new ChurnModels(db);
            if (models.Active(spec.FeatureSet) is null)
            {
                AnsiConsole.MarkupLine("[yellow]No active churn model for this warehouse; run [bold]ra model train[/] first.[/]");
                return CliOptions.ExitFailed;
            }
            var scorer = new ChurnScorer(db, models);
            // every month the active model has not scored is the province's notion; a snapshot has one month
            var all = parse.GetValue(unscored) && spec == FeatureSpec.Province;
            var results = await new JobRuns(db).RunAsync("cli-model-score", "cli", (jobProgress, token) =>
                Task.FromResult(WithProgress("score", jobProgress, p =>
                    all ? scorer.ScoreUnscored(p, token) : [scorer.Score(month, p, token, spec)])), ct);
            if (results.Count == 0)
            {
                AnsiConsole.MarkupLine("Every month is already scored with the active model.");
            }
            foreach (var result in results)
            {
                AnsiConsole.MarkupLineInterpolated(
                    $"Scored [green]{result.Scored:N0}[/] subscribers for {result.Period:yyyy-MM} with {result.ModelId}; mean churn probability {result.MeanScore:P2}.");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The features this warehouse supports, or null after saying what it lacks.</summary>
    private static FeatureSpec? Features(Db db)
    {
        var (spec, missing) = SnapshotFeatures.Choose(db, ContractCatalog.Load(db.Options.Definitions));
        if (spec is null)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]The churn model cannot run: {missing}.[/]");
        }
        return spec;
    }

    private static T WithProgress<T>(string title, IProgress<JobProgress> jobProgress, Func<IProgress<JobProgress>, T> work)
    {
        T result = default!;
        AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask(title, maxValue: 100);
                result = work(new SyncProgress<JobProgress>(p =>
                {
                    task.Value = p.Percent;
                    task.Description = Markup.Escape(p.Message is null ? p.Stage : $"{p.Stage}: {p.Message}");
                    jobProgress.Report(p);
                }));
                task.Value = 100;
            });
        return result;
    }

    private static void Describe(ChurnModels models, ChurnModelInfo m, int top = 10)
    {
        var grid = new Grid().AddColumn().AddColumn();
        grid.AddRow("model", m.ModelId + (m.Active ? " [green](active)[/]" : ""));
        grid.AddRow("algorithm", $"{m.Algorithm}, baseline {m.BaselineAlgorithm}");
        // one labelled month (a snapshot such as IBM Telco's) has no windows: the model is evaluated on a random holdout
        var window = m.TrainFrom is { } from ? $"{from:yyyy-MM} .. {m.TrainTo:yyyy-MM}" : "one labelled month, random split";
        grid.AddRow("training window", $"{window}: {m.TrainRows:N0} rows, {m.TrainPositives:N0} churners" +
            (m.SampleShare < 1 ? $" (a sample of {m.SampleShare:P1} of the subscribers)" : ""));
        grid.AddRow("evaluation window", m.EvalRows == 0 ? "none (no later labelled month)"
            : m.EvalFrom is null ? $"held-out subscribers of the same month: {m.EvalRows:N0} rows, {m.EvalPositives:N0} churners"
            : $"{m.EvalFrom:yyyy-MM} .. {m.EvalTo:yyyy-MM}: {m.EvalRows:N0} rows, {m.EvalPositives:N0} churners (model trained on months <= {m.BacktestTrainTo:yyyy-MM})");
        grid.AddRow("ROC AUC", $"{Figure(m.Auc)} (baseline {Figure(m.BaselineAuc)})");
        grid.AddRow("lift at top decile", m.LiftTopDecile is { } lift ? lift.ToString("F2", CultureInfo.InvariantCulture) : "-");
        grid.AddRow("trained", $"{m.TrainedAt:yyyy-MM-dd HH:mm:ss} in {m.TrainingSeconds:F1} s");
        AnsiConsole.Write(grid);
        var features = new Table().AddColumns("#", "feature", "importance");
        foreach (var f in models.Features(m.ModelId, top))
        {
            features.AddRow($"{f.Rank}", Markup.Escape(f.Feature), f.Importance.ToString("P1", CultureInfo.InvariantCulture));
        }
        AnsiConsole.Write(features);
    }

    private static string Figure(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";

    internal static DateOnly? ParseMonth(string? text) =>
        string.IsNullOrWhiteSpace(text) ? null
        : DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month) ? month
        : throw new ArgumentException($"expected a month as yyyy-MM, got {text}");
}
