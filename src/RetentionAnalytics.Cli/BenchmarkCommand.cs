using System.CommandLine;
using System.Diagnostics;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Benchmarks;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Generator;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class BenchmarkCommand
{
    public static Command Create()
    {
        var subscribers = new Option<int>("--subscribers") { Description = "Subscribers in the generated province", DefaultValueFactory = _ => 1_000_000 };
        var months = new Option<int>("--months") { Description = "Months of history", DefaultValueFactory = _ => 13 };
        var seed = new Option<int>("--seed") { Description = "Generator seed", DefaultValueFactory = _ => 7 };
        var work = new Option<string>("--work") { Description = "Scratch folder for the files and the two databases", DefaultValueFactory = _ => Path.Combine("data", "bench") };
        var command = new Command("benchmark", "Generate a province and time the ETL against DuckDB's plain COPY of the same files")
        {
            subscribers, months, seed, work,
        };
        command.Add(DetectCommand.CreateBenchmark());
        command.Add(CreateExport());
        command.Add(CubesBenchmarkCommand.Create());
        command.Add(AgentBenchmarkCommand.Create());
        command.Add(HttpBenchmarkCommand.Create());
        command.Add(ScaleBenchmarkCommand.Create());
        command.SetAction(parse =>
        {
            var folder = Path.GetFullPath(parse.GetValue(work)!);
            var n = parse.GetValue(subscribers);
            var m = parse.GetValue(months);
            var inbox = Path.Combine(folder, $"province-{n}x{m}-s{parse.GetValue(seed)}");
            var generated = Stopwatch.StartNew();
            if (!File.Exists(Path.Combine(inbox, "_truth", "churn_truth.csv")))
            {
                AnsiConsole.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask("generate", maxValue: 1);
                    ProvinceGenerator.Generate(new GeneratorOptions(n, m, parse.GetValue(seed), inbox), new SyncProgress<GeneratorProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                        task.Description = Markup.Escape(p.Stage);
                    }));
                    task.Value = task.MaxValue;
                });
            }
            generated.Stop();

            EtlBenchmarkResult? r = null;
            AnsiConsole.Progress().Start(ctx =>
            {
                var copy = ctx.AddTask("plain COPY", maxValue: 1);
                var text = ctx.AddTask("staging, text path only", maxValue: 1);
                var etl = ctx.AddTask("ETL", maxValue: 1);
                r = EtlBenchmark.Run(inbox, folder, new SyncProgress<(string Stage, int Done, int Total)>(p =>
                {
                    var task = p.Stage switch { "copy" => copy, "text" => text, _ => etl };
                    task.MaxValue = Math.Max(1, p.Total);
                    task.Value = p.Done;
                }));
                copy.Value = copy.MaxValue;
                text.Value = text.MaxValue;
                etl.Value = etl.MaxValue;
            });

            var result = r!;
            Console.WriteLine($"""

                | measure | value |
                |---|---|
                | province | {n:N0} subscribers × {m} months, {result.Files} files, {result.Bytes / 1e9:N2} GB, {result.Rows:N0} rows |
                | generation | {generated.Elapsed.TotalSeconds:N1} s (0 when the files already existed) |
                | plain COPY (reference) | {result.CopyTime.TotalSeconds:N1} s, {result.CopyRowsPerSecond:N0} rows/s |
                | ETL staging (contracts, checks, rejects, audit, quality) | {result.StageTime.TotalSeconds:N1} s, {result.StageRowsPerSecond:N0} rows/s, ratio {result.StageRatio:N2} ({result.TypedFiles} of {result.Files} files through the typed read) |
                | the same staging, every file on the text path | {result.TextStageTime.TotalSeconds:N1} s, ratio {result.TextStageRatio:N2} |
                | processor time: COPY / staging / text-path staging / transforms | {result.CopyCpu.TotalSeconds:N1} s / {result.StageCpu.TotalSeconds:N1} s / {result.TextStageCpu.TotalSeconds:N1} s / {result.TransformCpu.TotalSeconds:N1} s |
                | ratios in processor time: staging / text-path staging / end to end | {result.StageCpuRatio:N2} / {result.TextStageCpuRatio:N2} / {result.EndToEndCpuRatio:N2} |
                | transforms (dimensions, facts, marts) | {result.TransformTime.TotalSeconds:N1} s |
                | ETL end to end | {(result.StageTime + result.TransformTime).TotalSeconds:N1} s, {result.EndToEndRowsPerSecond:N0} rows/s, **ratio {result.EndToEndRatio:N2}** |
                | peak memory (VmHWM) after COPY / after ETL | {result.PeakWorkingSetAfterCopy / 1e9:N2} GB / {result.PeakWorkingSetAfterEtl / 1e9:N2} GB |
                | machine | {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9:N0} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription} |
                """);
            return 0;
        });
        return command;
    }

    private static Command CreateExport()
    {
        var rows = new Option<long>("--rows") { Description = "Data rows (default: a full sheet under the header row)", DefaultValueFactory = _ => ExportBenchmark.FullSheetRows };
        var output = new Option<string?>("--out") { Description = "Keep the workbook at this path (default: a temporary file, removed)" };
        var command = new Command("export", "Stream a full Excel sheet (10 mixed columns from a DuckDB query) and measure time and memory growth")
        {
            rows, output,
        };
        command.SetAction(parse =>
        {
            // the warehouse only receives the export's audit row; the rows come from an in-memory DuckDB query
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            var keep = parse.GetValue(output);
            var path = keep is null ? Path.Combine(Path.GetTempPath(), $"ra-export-benchmark-{Guid.NewGuid():N}.xlsx") : Path.GetFullPath(keep);
            try
            {
                var r = ExportBenchmark.Run(db, new Exporter(new AuditLog(db)), path, parse.GetValue(rows));
                Console.WriteLine($"""

                    | measure | value |
                    |---|---|
                    | export | {r.Rows:N0} rows × {r.Columns} columns to xlsx, {(r.Streamed ? "streaming writer" : "formatted writer")}, {r.FileBytes / 1e6:N1} MB |
                    | time | {r.Duration.TotalSeconds:N1} s, {r.Rows / r.Duration.TotalSeconds:N0} rows/s |
                    | working set: baseline / peak / **growth** | {r.BaselineWorkingSet / 1e6:N0} MB / {r.PeakWorkingSet / 1e6:N0} MB / **{r.WorkingSetGrowth / 1e6:N0} MB** (target ≤ 256 MB) |
                    | managed heap growth (peak − baseline) | {r.GcHeapGrowth / 1e6:N0} MB ({r.Samples} samples) |
                    | machine | {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9:N0} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription} |
                    """);
                return r.WorkingSetGrowth <= 256L * 1024 * 1024 ? 0 : CliOptions.ExitFailed;
            }
            finally
            {
                if (keep is null)
                {
                    File.Delete(path);
                }
            }
        });
        return command;
    }
}
