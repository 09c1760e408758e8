using System.CommandLine;
using RetentionAnalytics.Core.Generator;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class GenerateCommand
{
    public static Command Create()
    {
        var subscribers = new Option<int>("--subscribers") { Description = "Subscribers in the province", DefaultValueFactory = _ => 3000 };
        var months = new Option<int>("--months") { Description = "Months of history (monthly deliveries)", DefaultValueFactory = _ => 13 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed writes the same files", DefaultValueFactory = _ => 42 };
        var output = new Option<string>("--out") { Description = "Output folder", Required = true };
        var endMonth = new Option<string?>("--end-month") { Description = "Last delivered month, yyyy-MM (default 2026-10)" };
        var clean = new Option<bool>("--no-defects") { Description = "Do not inject the few bad rows real deliveries have" };
        var daily = new Option<bool>("--daily") { Description = "Deliver the last month the way the ODS runs every day: event extracts and usage as one file per day, month-end snapshots on its last day" };
        var dailyMonths = new Option<int>("--daily-months") { Description = "How many of the last months --daily delivers day by day", DefaultValueFactory = _ => 1 };
        var command = new Command("generate", "Write a synthetic province as ODS extract files")
        {
            subscribers, months, seed, output, endMonth, clean, daily, dailyMonths,
        };
        command.SetAction((parse, ct) =>
        {
            var options = new GeneratorOptions(parse.GetValue(subscribers), parse.GetValue(months), parse.GetValue(seed),
                Path.GetFullPath(parse.GetValue(output)!))
            {
                InjectDefects = !parse.GetValue(clean),
                DailyMonths = parse.GetValue(daily) ? Math.Max(1, parse.GetValue(dailyMonths)) : 0,
            };
            if (parse.GetValue(endMonth) is { } end)
            {
                options = options with { EndMonth = DateOnly.ParseExact(end + "-01", "yyyy-MM-dd") };
            }
            GeneratorResult? result = null;
            AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask("generate", maxValue: 1);
                    result = ProvinceGenerator.Generate(options, new SyncProgress<GeneratorProgress>(p =>
                    {
                        task.MaxValue = Math.Max(1, p.Total);
                        task.Value = p.Done;
                        task.Description = Markup.Escape(p.Stage);
                    }), ct);
                    task.Value = task.MaxValue;
                });
            AnsiConsole.MarkupLineInterpolated(
                $"Wrote {result!.Files.Count} file(s), {result.Rows:N0} rows ({result.DefectRows} injected bad rows) to [green]{options.OutputDirectory}[/]");
            return Task.FromResult(0);
        });
        return command;
    }
}
