using System.CommandLine;
using System.Globalization;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Warehouse;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class DetectCommand
{
    private const int ExitUsage = 2;

    public static Command Create()
    {
        var period = new Option<string?>("--period") { Description = "Month to detect for, YYYY-MM (default: the newest loaded month)" };
        var scenario = new Option<string?>("--scenario") { Description = "Run one scenario (e.g. s04_bill_drop or custom_3) instead of every enabled one" };
        var list = new Option<bool>("--list") { Description = "List the scenarios and their current parameters; runs nothing" };
        var command = new Command("detect", "Run the scenario detectors for a period and write their alerts (det.alert)")
        {
            period, scenario, list,
        };
        command.SetAction(async (parse, ct) =>
        {
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            try
            {
                var (runner, _) = Services(db);
                if (parse.GetValue(list))
                {
                    List(runner);
                    return 0;
                }
                var month = ParsePeriod(parse.GetValue(period));
                var id = parse.GetValue(scenario);
                // validated before the job starts, so a typo is a usage error and not a failed run
                month = month is { } m ? runner.CheckPeriod(m) : runner.DefaultPeriod();
                if (id is not null)
                {
                    runner.Query(id);
                }
                return await new JobRuns(db).RunAsync("cli-detect", "cli", (jobProgress, token) =>
                {
                    IReadOnlyList<ScenarioRunResult> results = [];
                    AnsiConsole.Progress()
                        .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                        .Start(ctx =>
                        {
                            var task = ctx.AddTask("detect", maxValue: 100);
                            results = runner.Run(month, id, new SyncProgress<JobProgress>(p =>
                            {
                                task.Value = p.Percent;
                                task.Description = Markup.Escape(p.Message ?? p.Stage);
                                jobProgress.Report(p);
                            }), "cli", token);
                            task.Value = 100;
                            task.Description = "detect";
                        });
                    Summary(results);
                    return Task.FromResult(results.All(r => r.Succeeded || r.Status == "skipped") ? 0 : CliOptions.ExitFailed);
                }, ct);
            }
            catch (Exception ex) when (ex is ScenarioException or ScenarioParameterException or CustomRuleException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
                return ExitUsage;
            }
        });
        return command;
    }

    /// <summary><c>ra benchmark detect</c>: the detectors against a full-scan reference on the same warehouse.</summary>
    public static Command CreateBenchmark()
    {
        var period = new Option<string?>("--period") { Description = "Month to detect for, YYYY-MM (default: the newest loaded month)" };
        var repeats = new Option<int>("--repeats") { Description = "Reference runs before and after the detectors", DefaultValueFactory = _ => 3 };
        var command = new Command("detect", "Time every detector and all together against a full-scan aggregate over dw.fct_subscriber_month")
        {
            period, repeats,
        };
        command.SetAction(parse =>
        {
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            try
            {
                var (runner, _) = Services(db);
                DetectorBenchmarkResult? r = null;
                AnsiConsole.Progress().Start(ctx =>
                {
                    var task = ctx.AddTask("reference", maxValue: 1);
                    r = DetectorBenchmark.Run(db, runner, ParsePeriod(parse.GetValue(period)), parse.GetValue(repeats),
                        new SyncProgress<(string Stage, int Done, int Total)>(p =>
                        {
                            task.Description = p.Stage;
                            task.MaxValue = Math.Max(1, p.Total);
                            task.Value = p.Done;
                        }));
                    task.Value = task.MaxValue;
                });
                var result = r!;
                Console.WriteLine($"""

                    Warehouse {db.Options.DatabasePath}, period {result.Period:yyyy-MM}, {result.SubscriberMonths:N0} subscriber-months
                    Reference (sum of bill_amount by city × month over dw.fct_subscriber_month): median {result.Reference.TotalMilliseconds:N0} ms of {string.Join(", ", result.ReferenceSamples.Select(s => s.TotalMilliseconds.ToString("N0", CultureInfo.InvariantCulture)))}

                    | detector | alerts | query (ms) | × ref | run incl. write (ms) | × ref | query ≤ 3× |
                    |---|---:|---:|---:|---:|---:|---|
                    """);
                foreach (var d in result.Detectors)
                {
                    Console.WriteLine($"| {d.ScenarioId} | {d.Alerts:N0} | {d.Query.TotalMilliseconds:N0} | {d.QueryRatio:N2} | {d.Duration.TotalMilliseconds:N0} | {d.Ratio:N2} | {(d.Status != "succeeded" ? "failed" : d.QueryRatio <= 3 ? "met" : "**missed**")} |");
                }
                Console.WriteLine($"| **all together** | {result.AllAlerts:N0} | {result.AllQueries.TotalMilliseconds:N0} | {result.AllQueriesRatio:N2} | {result.AllTogether.TotalMilliseconds:N0} | {result.AllRatio:N2} | {(result.AllQueriesRatio <= 15 ? "met (≤ 15×)" : "**missed** (≤ 15×)")} |");
                Console.WriteLine($"\nmachine: {Environment.ProcessorCount} cores, {GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1e9:N0} GB, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
                return result.Detectors.All(d => d.Status == "succeeded") ? 0 : CliOptions.ExitFailed;
            }
            catch (Exception ex) when (ex is ScenarioException)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
                return ExitUsage;
            }
        });
        return command;
    }

    private static (DetectorRunner Runner, ScenarioParameters Parameters) Services(Db db)
    {
        var catalog = ScenarioCatalog.Load(db.Sql);
        var audit = new AuditLog(db);
        var parameters = new ScenarioParameters(db, catalog, audit);
        var requirements = new RetentionAnalytics.Core.Definitions.DataRequirements(db, RetentionAnalytics.Core.Etl.Contracts.ContractCatalog.Load(db.Options.Definitions));
        return (new DetectorRunner(db, catalog, parameters, new CustomRules(db, audit), audit, requirements: requirements), parameters);
    }

    private static DateOnly? ParsePeriod(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        return DateOnly.TryParseExact(text.Trim() + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? d
            : throw new ScenarioException(ScenarioRefusal.PeriodFormat, $"period '{text}' is not a month in the form YYYY-MM", text);
    }

    /// <summary>Plain lines, not a table: scripts grep them and long parameter lists do not wrap.</summary>
    private static void List(DetectorRunner runner)
    {
        foreach (var s in runner.Sync())
        {
            Console.WriteLine($"{s.ScenarioId}  {s.Kind}  priority {s.Priority}  {s.Action}  {(s.Enabled ? "enabled" : "disabled")}  {s.NameEn} / {s.NameDe} / {s.NameZh}");
            foreach (var p in s.Parameters)
            {
                var bounds = p.Definition.Min is not null || p.Definition.Max is not null
                    ? $", {p.Definition.Min?.ToString(CultureInfo.InvariantCulture) ?? ""}..{p.Definition.Max?.ToString(CultureInfo.InvariantCulture) ?? ""}"
                    : "";
                Console.WriteLine($"    {p.Name}={p.Value}  ({p.Type}{bounds}{(p.Overridden ? $", changed from the default {p.Default}" : ", default")})");
            }
        }
    }

    private static void Summary(IReadOnlyList<ScenarioRunResult> results)
    {
        var table = new Table().AddColumns("scenario", "alerts", "top cities", "duration", "status");
        foreach (var r in results)
        {
            table.AddRow(r.ScenarioId, $"{r.Alerts:N0}", string.Join(", ", r.TopCities.Select(c => $"{c.CityCode}: {c.Alerts:N0}")),
                $"{r.Duration.TotalSeconds:N2} s", r.Succeeded ? "ok" : r.Status == "skipped" ? $"[yellow]skipped[/]: {Markup.Escape(r.Message ?? "")}" : $"[red]failed[/]: {Markup.Escape(r.Message ?? "")}");
        }
        AnsiConsole.Write(table);
        var period = results.Count > 0 ? $" for {results[0].Period:yyyy-MM}" : "";
        AnsiConsole.MarkupLineInterpolated($"{results.Sum(r => r.Alerts):N0} alert(s) in {results.Count} scenario(s){period}; {results.Count(r => r.Status == "failed")} failed, {results.Count(r => r.Status == "skipped")} skipped for missing extracts.");
    }
}
