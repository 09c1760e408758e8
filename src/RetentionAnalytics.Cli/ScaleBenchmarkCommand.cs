using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using RetentionAnalytics.Core.Benchmarks;
using RetentionAnalytics.Core.Generator;
using RetentionAnalytics.Core.Warehouse;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

/// <summary><c>ra benchmark scale</c>: the province at scale, initial load and a month of daily deliveries (docs/benchmarks.md).</summary>
internal static class ScaleBenchmarkCommand
{
    // generated CSV and warehouse per subscriber and month, measured on the 1 M province (5.25 GB of CSV for 13 months)
    private const double CsvBytesPerSubscriberMonth = 420, WarehouseBytesPerSubscriberMonth = 400;

    public static Command Create()
    {
        var subscribers = new Option<int>("--subscribers") { Description = "Subscribers in the province", DefaultValueFactory = _ => 1_000_000 };
        var months = new Option<int>("--months") { Description = "Months of history before the month delivered day by day", DefaultValueFactory = _ => 13 };
        var seed = new Option<int>("--seed") { Description = "Generator seed", DefaultValueFactory = _ => 7 };
        var work = new Option<string>("--work") { Description = "Scratch folder for the files, the warehouse and the results", DefaultValueFactory = _ => Path.Combine("data", "bench") };
        var memory = new Option<string>("--memory-limit") { Description = "The process's memory limit for the run (Warehouse:MemoryLimit: a size or a share of memory)", DefaultValueFactory = _ => "10GB" };
        var maxRss = new Option<string>("--max-rss") { Description = "Stop the benchmark when the process holds more than this (others share the machine)", DefaultValueFactory = _ => "18GB" };
        var fullTraining = new Option<long>("--full-training-max-rows") { Description = "Also train on every labelled row when there are at most this many", DefaultValueFactory = _ => 3_000_000 };
        var days = new Option<int?>("--days") { Description = "Run only the first N days of the month delivered day by day (default: all, the month end included)" };
        var growth = new Option<double>("--compact-at-growth")
        {
            Description = "Compact when the file grew by this share since the first build after its last compaction (Warehouse:CompactAtGrowth; 0: only when enough of it is free)",
            DefaultValueFactory = _ => WarehouseOptions.DefaultCompactAtGrowth,
        };
        var command = new Command("scale", "Initial load of a province and a month of daily deliveries through the pipeline: times, memory per phase, file sizes, sampled training, detectors")
        {
            subscribers, months, seed, work, memory, maxRss, fullTraining, growth, days,
        };
        command.Add(CreateReferenceCopy());
        command.SetAction((parse, ct) =>
        {
            var options = new ScaleBenchmarkOptions(parse.GetValue(subscribers), parse.GetValue(months), parse.GetValue(seed), Path.GetFullPath(parse.GetValue(work)!))
            {
                MemoryLimit = parse.GetValue(memory)!,
                FullTrainingMaxRows = parse.GetValue(fullTraining),
                Days = parse.GetValue(days) is { } n && n > 0 ? n : null,
                CompactAtGrowth = parse.GetValue(growth),
                ReferenceCopy = (files, database) => CopyInChildProcess(files, database, parse.GetValue(memory)!, ct),
            };
            Directory.CreateDirectory(options.WorkFolder);
            if (!EnoughDisk(options))
            {
                return Task.FromResult(CliOptions.ExitFailed);
            }
            var limit = WarehouseOptions.ParseMemoryLimit(parse.GetValue(maxRss), GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
            using var watchdog = new Timer(_ =>
            {
                // other developers' processes share the machine: never take more than was allowed
                if (ProcessMemory.Current() > limit)
                {
                    Console.Error.WriteLine($"benchmark stopped: {ProcessMemory.Current() / 1e9:N1} GB resident, above --max-rss {limit / 1e9:N1} GB");
                    Environment.Exit(CliOptions.ExitFailed);
                }
            }, null, TimeSpan.Zero, TimeSpan.FromMilliseconds(500));

            var log = new SyncProgress<string>(line => Console.WriteLine($"{DateTime.Now:HH:mm:ss} {line}"));
            log.Report($"generating {options.Subscribers:N0} subscribers × {options.Months} months + one month day by day into {options.ProvinceFolder}");
            ScaleBenchmark.Generate(options, new SyncProgress<GeneratorProgress>(_ => { }));
            var result = ScaleBenchmark.Run(options, log, ct);
            var report = Report(result);
            var file = Path.Combine(options.WorkFolder, $"scale-{options.Subscribers}.md");
            File.WriteAllText(file, report);
            Console.WriteLine(report);
            AnsiConsole.MarkupLineInterpolated($"results written to [green]{file}[/]");
            return Task.FromResult(0);
        });
        return command;
    }

    /// <summary>
    /// <c>ra benchmark scale reference-copy --db PATH --files LIST</c>, hidden: the plain-COPY reference of the files
    /// listed (one path a line), run by the benchmark in a process of its own.
    /// </summary>
    private static Command CreateReferenceCopy()
    {
        var db = new Option<string>("--db") { Required = true };
        var list = new Option<string>("--files") { Required = true };
        var memory = new Option<string>("--memory-limit") { Required = true };
        var command = new Command("reference-copy", "The plain-COPY reference of the files listed, for the scale benchmark") { db, list, memory };
        command.Hidden = true;
        command.SetAction(parse =>
        {
            var limit = WarehouseOptions.ParseMemoryLimit(parse.GetValue(memory), GC.GetGCMemoryInfo().TotalAvailableMemoryBytes);
            var rows = EtlBenchmark.PlainCopy(File.ReadAllLines(parse.GetValue(list)!), parse.GetValue(db)!, memoryLimitBytes: limit);
            Console.WriteLine(rows.ToString(CultureInfo.InvariantCulture));
            return 0;
        });
        return command;
    }

    /// <summary>
    /// Runs <c>reference-copy</c> in a new process of this program, with this process's runtime and the run's memory
    /// limit; a stop, or this process's end, ends it too.
    /// </summary>
    private static void CopyInChildProcess(IReadOnlyList<string> files, string database, string memoryLimit, CancellationToken ct)
    {
        var list = database + ".files";
        File.WriteAllLines(list, files);
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(ScaleBenchmarkCommand).Assembly.Location);
        }
        foreach (var arg in new[] { "benchmark", "scale", "reference-copy", "--db", database, "--files", list, "--memory-limit", memoryLimit })
        {
            start.ArgumentList.Add(arg);
        }
        try
        {
            using var child = Process.Start(start)!;
            void End(object? sender, EventArgs e) => child.Kill(entireProcessTree: true);
            AppDomain.CurrentDomain.ProcessExit += End;
            try
            {
                child.WaitForExitAsync(ct).GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
                child.Kill(entireProcessTree: true);
                throw;
            }
            finally
            {
                AppDomain.CurrentDomain.ProcessExit -= End;
            }
            if (child.ExitCode != 0)
            {
                throw new InvalidOperationException($"the reference COPY ended with exit code {child.ExitCode}");
            }
        }
        finally
        {
            File.Delete(list);
        }
    }

    private static bool EnoughDisk(ScaleBenchmarkOptions o)
    {
        var subscriberMonths = (double)o.Subscribers * (o.Months + 1);
        var generated = File.Exists(Path.Combine(o.ProvinceFolder, "_truth", "churn_truth.csv"));
        // the CSV files (unless there), the warehouse, its compacted copy, and DuckDB's spill files
        var needed = (generated ? 0 : subscriberMonths * CsvBytesPerSubscriberMonth) + 3 * subscriberMonths * WarehouseBytesPerSubscriberMonth;
        var free = new DriveInfo(Path.GetPathRoot(o.WorkFolder)!).AvailableFreeSpace;
        if (free >= needed)
        {
            return true;
        }
        AnsiConsole.MarkupLineInterpolated(
            $"[red]{o.Subscribers:N0} subscribers × {o.Months + 1} months need about {needed / 1e9:N0} GB of disk in {o.WorkFolder}; {free / 1e9:N0} GB are free.[/]");
        return false;
    }

    /// <summary>The rows of the days after the first: the middle ones summed up, and the last (the month end, when it ran).</summary>
    private static IEnumerable<string> LaterDays(ScaleBenchmarkResult r)
    {
        static string S(TimeSpan t) => t.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture) + " s";
        if (r.Days.Count >= 3)
        {
            var middle = r.Days.Skip(1).SkipLast(1).ToList();
            yield return $"| days 2 … {r.Days.Count - 1}: median / slowest | {S(Median(middle))} / {S(middle.Max(d => d.Time))} |";
        }
        if (r.Days.Count >= 2)
        {
            var last = r.Days[^1];
            var monthEnd = last.Day.Day == DateTime.DaysInMonth(last.Day.Year, last.Day.Month);
            yield return string.Create(CultureInfo.InvariantCulture,
                $"| {(monthEnd ? "month end" : "last day")} ({last.Day:yyyy-MM-dd}{(monthEnd ? ": snapshots and bills, the models they change" : "")}) | {S(last.Time)}, peak {last.PeakBytes / 1e9:N2} GB |");
        }
    }

    private static string Report(ScaleBenchmarkResult r)
    {
        static string Gb(long bytes) => (bytes / 1e9).ToString("N2", CultureInfo.InvariantCulture) + " GB";
        static string S(TimeSpan t) => t.TotalSeconds.ToString("N1", CultureInfo.InvariantCulture) + " s";
        var sb = new StringBuilder();
        var o = r.Options;
        sb.AppendLine(CultureInfo.InvariantCulture, $"""

            ### {o.Subscribers:N0} subscribers × {o.Months} months, then one month day by day ({DateTime.Now:yyyy-MM-dd})

            Machine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9:N0} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}; process memory limit {Gb(r.MemoryLimitBytes)} (`--memory-limit {o.MemoryLimit}`), of which DuckDB's buffer manager {Gb(r.MemoryLimitBytes - WarehouseOptions.HeapReserve(r.MemoryLimitBytes))}; every peak below should stay under the process's limit.

            | initial load | time | peak resident | |
            |---|---:|---:|---|
            | plain COPY (reference), {r.InitialFiles} files, {Gb(r.InitialFileBytes)}, {r.InitialRows:N0} rows | {S(r.PlainCopy)} | | |
            """);
        foreach (var p in r.Initial)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {p.Name} | {S(p.Time)} | {Gb(p.PeakBytes)} | {p.Note?.Replace("|", "/", StringComparison.Ordinal)} |");
        }
        sb.AppendLine(CultureInfo.InvariantCulture, $"""
            | **staging / COPY rate** | **{r.StagingRatio:N2}** | | target ≥ 0.8 |
            | **end to end** (load … call lists) | {S(r.InitialEndToEnd)} | | **{r.EndToEndRatio:N2} of the COPY rate**, target ≥ 0.5 |
            | file after the initial load | {Gb(r.FileAfterInitial)} | | |

            | daily deliveries | value |
            |---|---|
            | first day ({r.FirstDay.Day:yyyy-MM-dd}, {r.FirstDay.Files} files, {r.FirstDay.Rows:N0} rows), end to end through call lists | **{S(r.FirstDay.Time)}**, {r.FirstDayShare:P1} of the initial load (targets ≤ 5 % and ≤ 60 s), peak {Gb(r.FirstDay.PeakBytes)} |
            {string.Join("\n", LaterDays(r).Append($"| peak resident over the {r.Days.Count} day(s) | {Gb(r.Days.Max(d => d.PeakBytes))} |"))}
            | file after the initial load → after {r.Days.Count} daily loads | {Gb(r.FileAfterInitial)} → {Gb(r.FileAfterDays)} ({r.Days.Count(d => d.Compacted)} compaction(s) on the way, largest {Gb(r.Days.Max(d => d.FileBytes))}, `--compact-at-growth {o.CompactAtGrowth.ToString(CultureInfo.InvariantCulture)}`) |

            | training | share of subscribers | rows | AUC | time | peak resident |
            |---|---:|---:|---:|---:|---:|
            """);
        foreach (var t in r.Training)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"| {t.Kind} | {t.SampleShare:P1} | {t.Rows:N0} | {t.Auc:F4} | {S(t.Time)} | {Gb(t.PeakBytes)} |");
        }
        if (r.Detectors is { } d)
        {
            sb.AppendLine(CultureInfo.InvariantCulture, $"""

                Detectors on {d.Period:yyyy-MM} ({d.SubscriberMonths:N0} subscriber-months), reference aggregate {d.Reference.TotalMilliseconds:N0} ms:

                | detector | alerts | query ms (× ref) | run incl. write ms (× ref) | query ≤ 3× |
                |---|---:|---:|---:|---|
                """);
            foreach (var t in d.Detectors)
            {
                sb.AppendLine(CultureInfo.InvariantCulture,
                    $"| {t.ScenarioId} | {t.Alerts:N0} | {t.Query.TotalMilliseconds:N0} ({t.QueryRatio:N2}) | {t.Duration.TotalMilliseconds:N0} ({t.Ratio:N2}) | {(t.QueryRatio <= 3 ? "met" : "missed")} |");
            }
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| all together | {d.AllAlerts:N0} | {d.AllQueries.TotalMilliseconds:N0} ({d.AllQueriesRatio:N1}) | {d.AllTogether.TotalMilliseconds:N0} ({d.AllRatio:N1}) | {(d.AllQueriesRatio <= 15 ? "met" : "missed")} (≤ 15×) |");
        }
        return sb.ToString();
    }

    private static TimeSpan Median(IEnumerable<DayFigure> days)
    {
        var times = days.Select(d => d.Time).Order().ToList();
        return times.Count == 0 ? TimeSpan.Zero : times[times.Count / 2];
    }
}
