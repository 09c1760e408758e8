using System.CommandLine;
using System.Globalization;
using RetentionAnalytics.Core.Cubes;
using RetentionAnalytics.Core.Warehouse;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class CubesBenchmarkCommand
{
    /// <summary><c>ra benchmark cubes</c>: typical pivots, bare SQL against the full server path, on a read-only warehouse.</summary>
    public static Command Create()
    {
        var repeats = new Option<int>("--repeats") { Description = "Timed runs of each query (after one warm-up)", DefaultValueFactory = _ => 10 };
        var command = new Command("cubes", "Time typical cube queries: the generated SQL alone vs request → generator → DuckDB → pivot result (opens --db read-only)")
        {
            repeats,
        };
        command.SetAction(parse =>
        {
            var path = Path.GetFullPath(parse.GetValue(CliOptions.Database)!);
            var options = new WarehouseOptions { DatabasePath = path };
            var catalog = CubeCatalog.LoadFolder(CubeServices.CubeFolder(options));
            CubeBenchmarkResult? r = null;
            AnsiConsole.Progress().Start(ctx =>
            {
                var task = ctx.AddTask("cubes", maxValue: 1);
                r = CubeBenchmark.Run(path, new SqlFiles(options.SqlRoot), catalog, Math.Max(1, parse.GetValue(repeats)),
                    new SyncProgress<(string Stage, int Done, int Total)>(p =>
                    {
                        task.Description = Markup.Escape(p.Stage);
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                    }));
                task.Value = task.MaxValue;
            });
            var result = r!;
            string Ms(TimeSpan t) => t.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture);
            Console.WriteLine($"""

                Warehouse {result.Database} (read-only), {result.SubscriberMonths:N0} subscriber-months, p95 of {result.Repeats} runs each

                | query | cells | direct p95 (ms) | server p95 (ms) | server / direct | target server ≤ 1.5 × direct + 50 ms | without grain p95 (ms) | without grain / direct |
                |---|---:|---:|---:|---:|---|---:|---:|
                """);
            foreach (var f in result.Figures)
            {
                Console.WriteLine($"| {f.Name} | {f.Cells:N0} | {Ms(f.DirectP95)} | {Ms(f.ServerP95)} | {f.Ratio.ToString("N2", CultureInfo.InvariantCulture)} | {(f.Met ? "met" : "**missed**")} | {Ms(f.WithoutGrainP95)} | {f.GrainSpeedUp.ToString("N2", CultureInfo.InvariantCulture)} |");
            }
            Console.WriteLine($"\nmachine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9:N0} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            return result.Figures.All(f => f.Met) ? 0 : CliOptions.ExitFailed;
        });
        return command;
    }
}
