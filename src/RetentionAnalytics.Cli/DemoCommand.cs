using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Demo;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

/// <summary>
/// <c>ra demo</c>: what the portal's first start in demo mode does to an empty warehouse, from the command line: the
/// sample province through the whole pipeline, with the past campaigns that the simulated desk worked (demo data).
/// </summary>
internal static class DemoCommand
{
    public static Command Create()
    {
        var sample = new Option<string?>("--sample") { Description = "The sample province folder (default: data-samples/province of the checkout)" };
        var months = new Option<int>("--months")
        {
            Description = "Months before the newest that get past campaigns with outcomes",
            DefaultValueFactory = _ => new DemoOptions().HistoryMonths,
        };
        var command = new Command("demo",
            "Seed an EMPTY warehouse as a demo: the sample province loaded and scored, its alerts and call lists, and past " +
            "campaigns worked by simulated agents (marked as demo data)")
        {
            sample, months,
        };
        command.SetAction(async (parse, ct) =>
        {
            var folder = Path.GetFullPath(parse.GetValue(sample)
                ?? Path.Combine(WarehouseOptions.FindRepositoryRoot() ?? ".", "data-samples", "province"));
            var history = parse.GetValue(months);
            if (!Directory.Exists(folder))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]The sample folder {folder} does not exist.[/]");
                return CliOptions.ExitFailed;
            }
            if (history is < 0 or > 24)
            {
                AnsiConsole.MarkupLine("[red]--months must be between 0 and 24[/]");
                return CliOptions.ExitFailed;
            }
            // no logging providers: the command line shows progress and the summary itself
            await using var services = new ServiceCollection()
                .AddSingleton(CliConfiguration.Retraining)
                .AddWarehouseCore(new WarehouseOptions { DatabasePath = parse.GetValue(CliOptions.Database)!, Region = CliConfiguration.Region })
                .AddWorkbench()
                .AddDemo(new DemoOptions { HistoryMonths = history })
                .BuildServiceProvider();
            Db db;
            try
            {
                db = services.GetRequiredService<Db>();
            }
            catch (WarehouseLockedException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
                return CliOptions.ExitLocked;
            }
            var demo = services.GetRequiredService<DemoWarehouse>();
            if (demo.State() is null && !demo.IsEmpty())
            {
                AnsiConsole.MarkupLineInterpolated(
                    $"[red]{db.Options.DatabasePath} already holds loaded data: demo data is only ever seeded into an empty warehouse.[/]");
                return CliOptions.ExitFailed;
            }
            demo.Mark("cli", history);
            var pipeline = services.GetRequiredService<DailyPipeline>();
            PipelineResult? result = null;
            try
            {
                await RunAsync();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // recorded in meta.job_run; what is left is taken up by running the command again
                AnsiConsole.MarkupLineInterpolated($"[red]The demo seed failed: {ex.Message}[/] Run ra demo again to finish it.");
                return CliOptions.ExitFailed;
            }
            foreach (var line in result!.ToString().Split("; "))
            {
                AnsiConsole.WriteLine(line);
            }
            AnsiConsole.MarkupLineInterpolated($"Demo warehouse [green]{db.Options.DatabasePath}[/] ready.");
            return 0;

            Task<string> RunAsync() => new JobRuns(db).RunAsync("cli-demo", "cli", (jobProgress, token) =>
            {
                AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("demo", maxValue: 100);
                        result = pipeline.Run(folder, new SyncProgress<JobProgress>(p =>
                        {
                            task.Value = p.Percent;
                            task.Description = Markup.Escape(p.Message is null ? p.Stage : $"{p.Stage}: {p.Message}");
                            jobProgress.Report(p);
                        }), token, rebuild: true);
                        task.Value = 100;
                    });
                return Task.FromResult(result!.ToString());
            }, ct);
        });
        return command;
    }
}
