using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Core.Generator;
using RetentionAnalytics.Core.Model;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Benchmarks;

public sealed record ScaleBenchmarkOptions(int Subscribers, int Months, int Seed, string WorkFolder)
{
    /// <summary>The process's memory limit for the run (Warehouse:MemoryLimit; DuckDB gets it less the heap's reserve).</summary>
    public string MemoryLimit { get; init; } = "10GB";

    /// <summary>Train on every labelled row as well, for comparison with the sample, when there are at most this many.</summary>
    public long FullTrainingMaxRows { get; init; } = 3_000_000;

    /// <summary>How many days of the month delivered day by day run through the pipeline (null: all of them, month end included).</summary>
    public int? Days { get; init; }

    /// <summary>Warehouse:CompactAtGrowth for the run (0: only the free-share trigger compacts).</summary>
    public double CompactAtGrowth { get; init; } = WarehouseOptions.DefaultCompactAtGrowth;

    /// <summary>
    /// Makes the plain-COPY reference of the files into the database given, in a process of its own (the CLI starts
    /// itself): memory DuckDB frees stays with the process (its allocator keeps it), and would count in every phase
    /// measured after it.
    /// </summary>
    public required Action<IReadOnlyList<string>, string> ReferenceCopy { get; init; }

    /// <summary>The history months, then one month delivered day by day; the history ends with the default month (2026-10).</summary>
    public string ProvinceFolder => Path.Combine(WorkFolder, $"daily-{Subscribers}x{Months}-s{Seed}");

    public string DatabasePath => Path.Combine(WorkFolder, $"scale-{Subscribers}.duckdb");
}

/// <param name="PeakBytes">The process's peak resident memory during the phase (DuckDB's native memory included).</param>
public sealed record PhaseFigure(string Name, TimeSpan Time, long PeakBytes, string? Note = null);

public sealed record DayFigure(DateOnly Day, int Files, long Rows, TimeSpan Time, long PeakBytes, long FileBytes, int Refreshed, bool Compacted);

public sealed record TrainingFigure(string Kind, double SampleShare, long Rows, double? Auc, TimeSpan Time, long PeakBytes);

public sealed record ScaleBenchmarkResult(
    ScaleBenchmarkOptions Options, long MemoryLimitBytes, int InitialFiles, long InitialFileBytes, long InitialRows,
    TimeSpan PlainCopy, IReadOnlyList<PhaseFigure> Initial, long FileAfterInitial, IReadOnlyList<DayFigure> Days,
    IReadOnlyList<TrainingFigure> Training, DetectorBenchmarkResult? Detectors)
{
    public TimeSpan Staging => Initial.First(p => p.Name == "load").Time;
    public TimeSpan InitialEndToEnd => Initial.Aggregate(TimeSpan.Zero, (sum, p) => sum + p.Time);
    public double StagingRatio => PlainCopy / Staging;
    public double EndToEndRatio => PlainCopy / InitialEndToEnd;
    public DayFigure FirstDay => Days[0];
    public double FirstDayShare => FirstDay.Time / InitialEndToEnd;
    public long FileAfterDays => Days.Count == 0 ? FileAfterInitial : Days[^1].FileBytes;
}

/// <summary>
/// The province at scale, as an operator runs it, in one process: a history of monthly deliveries loaded at once
/// (staging against DuckDB's plain COPY of the same files, then transforms, training, scoring, detection and call
/// lists), then a month delivered day by day through the daily pipeline (the portal's nightly job), then the churn model
/// trained on a sample against all rows, and the detectors against a full-scan aggregate. Times, peak memory per phase
/// and file sizes are recorded; nothing in the test suite depends on them (docs/benchmarks.md).
/// </summary>
public static class ScaleBenchmark
{
    public static void Generate(ScaleBenchmarkOptions o, IProgress<GeneratorProgress>? progress = null)
    {
        if (File.Exists(Path.Combine(o.ProvinceFolder, "_truth", "churn_truth.csv")))
        {
            return;
        }
        // one month more than the history, delivered daily: the history ends with the default month
        var history = new GeneratorOptions(o.Subscribers, o.Months + 1, o.Seed, o.ProvinceFolder) { DailyMonths = 1 };
        ProvinceGenerator.Generate(history with { EndMonth = history.EndMonth.AddMonths(1) }, progress);
    }

    public static ScaleBenchmarkResult Run(ScaleBenchmarkOptions o, IProgress<string>? progress = null, CancellationToken ct = default)
    {
        var files = Directory.GetFiles(o.ProvinceFolder, "*.csv").Order(StringComparer.Ordinal).ToList();
        var firstDay = files.Select(BusinessDate).Where(d => d.Day != DateTime.DaysInMonth(d.Year, d.Month)).Max();
        firstDay = new DateOnly(firstDay.Year, firstDay.Month, 1);
        var initial = files.Where(f => BusinessDate(f) < firstDay).ToList();
        var days = files.Where(f => BusinessDate(f) >= firstDay).GroupBy(BusinessDate).OrderBy(g => g.Key).Take(o.Days ?? int.MaxValue).ToList();

        progress?.Report($"plain COPY of {initial.Count} files");
        var copyClock = Stopwatch.StartNew();
        var reference = Path.Combine(o.WorkFolder, "reference.duckdb");
        o.ReferenceCopy(initial, reference);
        var copy = copyClock.Elapsed;
        File.Delete(reference);

        foreach (var stale in new[] { o.DatabasePath, o.DatabasePath + ".wal", WarehouseCompactor.CopyPath(o.DatabasePath) })
        {
            File.Delete(stale);
        }
        if (Directory.Exists(Path.Combine(o.WorkFolder, "models")))
        {
            Directory.Delete(Path.Combine(o.WorkFolder, "models"), recursive: true);
        }
        var options = new WarehouseOptions { DatabasePath = o.DatabasePath, MemoryLimit = o.MemoryLimit, CompactAtGrowth = o.CompactAtGrowth };
        using var services = new ServiceCollection().AddLogging().AddWarehouseCore(options).BuildServiceProvider();
        var db = services.GetRequiredService<Db>();

        var phases = new List<PhaseFigure>();
        long loaded = 0;
        Measure(phases, "load", progress, () =>
        {
            var results = services.GetRequiredService<Loader>().LoadDirectory(Delivery(o, "initial", initial), null, ct);
            loaded = results.Sum(r => r.RowsRead);
            return $"{results.Count} files, {loaded:N0} rows, {results.Sum(r => r.RowsRejected):N0} rejected";
        });
        Measure(phases, "transforms", progress, () => services.GetRequiredService<TransformRunner>().Build(BuildRequest.Incremental, null, ct).ToString());
        Measure(phases, "training", progress, () =>
        {
            var model = services.GetRequiredService<ChurnTrainer>().Train(FeatureSpec.Province, new TimeSplit(), ct: ct);
            return $"AUC {model.Auc:F4}, {model.TrainRows:N0} rows, sample {model.SampleShare:P1}";
        });
        // every month, as the pipeline's step does after a training: the daily deliveries then score only what they change
        Measure(phases, "scoring", progress, () => services.GetRequiredService<ChurnScorer>().ScoreUnscored(ct: ct)
            .Sum(r => r.Scored).ToString("N0", CultureInfo.InvariantCulture) + " subscriber-months scored");
        foreach (var step in services.GetServices<IPipelineStep>().Where(s => s is not ChurnScoreStep).OrderBy(s => s.Order))
        {
            Measure(phases, step.Name, progress, () => step.Run(null, ct).ToString());
        }
        var compactor = services.GetRequiredService<WarehouseCompactor>();
        if (compactor.IsWorthCompacting() is { } reason)
        {
            Measure(phases, "compaction", progress, () => compactor.Compact(DailyPipeline.CompactionDrain, reason, ct).ToString());
        }
        var fileAfterInitial = new FileInfo(o.DatabasePath).Length;

        var pipeline = services.GetRequiredService<DailyPipeline>();
        var dayFigures = new List<DayFigure>();
        foreach (var day in days)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report($"daily delivery {day.Key:yyyy-MM-dd} ({day.Count()} files)");
            ProcessMemory.ResetPeak();
            var clock = Stopwatch.StartNew();
            var result = pipeline.Run(Delivery(o, day.Key.ToString("yyyyMMdd", CultureInfo.InvariantCulture), day), null, ct);
            dayFigures.Add(new DayFigure(day.Key, result.Files.Count, result.Files.Sum(f => f.RowsRead), clock.Elapsed, ProcessMemory.Peak(),
                new FileInfo(o.DatabasePath).Length, result.TransformsRun, result.Compaction?.Compacted == true));
            progress?.Report($"  {clock.Elapsed.TotalSeconds:N1} s: {result}");
        }

        var training = Training(services, o, progress, ct);
        progress?.Report("detectors against the reference aggregate");
        var detectors = DetectorBenchmark.Run(db, services.GetRequiredService<DetectorRunner>());
        return new ScaleBenchmarkResult(o, options.MemoryLimitBytes, initial.Count, initial.Sum(f => new FileInfo(f).Length),
            loaded, copy, phases, fileAfterInitial, dayFigures, training, detectors);
    }

    /// <summary>The churn model trained within its row budget (a sample above it) and, when it fits, on every labelled row.</summary>
    private static List<TrainingFigure> Training(ServiceProvider services, ScaleBenchmarkOptions o, IProgress<string>? progress, CancellationToken ct)
    {
        var db = services.GetRequiredService<Db>();
        var trainer = services.GetRequiredService<ChurnTrainer>();
        var labelled = FeatureTable.Count(db, FeatureSpec.Province, null, null, labelledOnly: true);
        var figures = new List<TrainingFigure>();
        foreach (var (kind, budget) in new[] { ("sampled", TreeSettings.DefaultMaxTrainingRows), ("all rows", long.MaxValue) })
        {
            if (budget == long.MaxValue && labelled > o.FullTrainingMaxRows)
            {
                progress?.Report($"training on all {labelled:N0} labelled rows skipped (more than {o.FullTrainingMaxRows:N0})");
                continue;
            }
            progress?.Report($"training ({kind})");
            ProcessMemory.ResetPeak();
            var clock = Stopwatch.StartNew();
            var model = trainer.Train(FeatureSpec.Province, new TimeSplit(), new TreeSettings(MaxTrainingRows: budget), activate: false, ct: ct);
            figures.Add(new TrainingFigure(kind, model.SampleShare, model.TrainRows + model.EvalRows, model.Auc, clock.Elapsed, ProcessMemory.Peak()));
        }
        return figures;
    }

    private static void Measure(List<PhaseFigure> phases, string name, IProgress<string>? progress, Func<string> work)
    {
        progress?.Report(name);
        ProcessMemory.ResetPeak();
        var clock = Stopwatch.StartNew();
        var note = work();
        phases.Add(new PhaseFigure(name, clock.Elapsed, ProcessMemory.Peak(), note));
        progress?.Report($"  {clock.Elapsed.TotalSeconds:N1} s, peak {ProcessMemory.Peak() / 1e9:N2} GB: {note}");
    }

    /// <summary>A delivery folder of links to the generated files, as the inbox would hold them.</summary>
    private static string Delivery(ScaleBenchmarkOptions o, string name, IEnumerable<string> files)
    {
        var folder = Path.Combine(o.WorkFolder, "deliveries", name);
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
        Directory.CreateDirectory(folder);
        foreach (var f in files)
        {
            File.CreateSymbolicLink(Path.Combine(folder, Path.GetFileName(f)), f);
        }
        return folder;
    }

    private static DateOnly BusinessDate(string file) =>
        DateOnly.ParseExact(Path.GetFileName(file).Split('_', '.').First(p => p.Length == 8 && p.All(char.IsDigit)), "yyyyMMdd", CultureInfo.InvariantCulture);
}
