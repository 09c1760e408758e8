using System.CommandLine;
using System.Globalization;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Core.Warehouse;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class RebuildCommand
{
    public static Command Create()
    {
        var from = new Option<string?>("--from") { Description = "Refresh as if every delivery from this month (yyyy-MM) on had just arrived, instead of rebuilding everything" };
        var noCompact = new Option<bool>("--no-compact") { Description = "Leave the file as the rebuild left it (by default a full rebuild compacts it)" };
        var command = new Command("rebuild", "Rebuild dimensions, facts and marts from all of staging (or from a month on), then compact the file")
        {
            from, noCompact,
        };
        command.SetAction(async (parse, ct) =>
        {
            DateOnly? fromMonth = null;
            if (parse.GetValue(from) is { } text)
            {
                if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var month))
                {
                    AnsiConsole.MarkupLineInterpolated($"[red]--from must be a month as yyyy-MM, not '{text}'[/]");
                    return CliOptions.ExitFailed;
                }
                fromMonth = month;
            }
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            var contracts = ContractCatalog.Load(db.Options.Definitions);
            BuildResult result;
            try
            {
                result = await Rebuild(db, contracts, fromMonth, ct);
            }
            catch (TransformException ex)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
                return CliOptions.ExitFailed;
            }
            BuildReport.Write(result);
            if (fromMonth is null && !parse.GetValue(noCompact))
            {
                CompactCommand.CompactAndReport(db);
            }
            return 0;
        });
        return command;
    }

    private static Task<BuildResult> Rebuild(Db db, ContractCatalog contracts, DateOnly? fromMonth, CancellationToken ct) =>
        new JobRuns(db).RunAsync("cli-rebuild", "cli", (jobProgress, token) =>
            {
                BuildResult? built = null;
                AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .Start(ctx =>
                    {
                        var task = ctx.AddTask("rebuild", maxValue: 100);
                        built = new TransformRunner(db, contracts).Rebuild(fromMonth, new SyncProgress<JobProgress>(p =>
                        {
                            task.Value = p.Percent;
                            task.Description = Markup.Escape(p.Message ?? p.Stage);
                            jobProgress.Report(p);
                        }), token);
                        task.Value = 100;
                        task.Description = "rebuild";
                    });
                new QualityChecks(db, contracts).CheckFreshness();
                return Task.FromResult(built!);
            }, ct);
}

/// <summary>The models a build refreshed, as a table: mode, reason, scope, rows and time.</summary>
internal static class BuildReport
{
    public static void Write(BuildResult result)
    {
        if (result.Models.Count > 0)
        {
            var table = new Table().AddColumns("model", "mode", "reason", "scope", "deleted", "inserted", "ms");
            foreach (var m in result.Models)
            {
                var scope = m.ScopeKind == "all" ? "all" : $"{m.ScopeCount:N0} {m.ScopeKind}" + (m.ScopeDetail is null ? "" : $" ({m.ScopeDetail})");
                table.AddRow(Markup.Escape(m.Model), m.Mode, Markup.Escape(m.Reason + (m.Cause is null ? "" : ": " + m.Cause)),
                    Markup.Escape(scope), m.RowsDeleted is { } d ? $"{d:N0}" : "", m.RowsInserted is { } i ? $"{i:N0}" : "",
                    $"{m.Duration.TotalMilliseconds:N0}");
            }
            AnsiConsole.Write(table);
        }
        AnsiConsole.MarkupLineInterpolated($"build: {result}");
    }
}
