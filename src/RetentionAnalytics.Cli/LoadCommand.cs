using RetentionAnalytics.Core.Definitions;
using System.CommandLine;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Core.Warehouse;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class LoadCommand
{
    public static Command Create()
    {
        var folder = new Argument<string>("DIR") { Description = "Folder with ODS extract files (or one file)" };
        var replace = new Option<bool>("--replace") { Description = "Load files even if a different file of the same name, or a newer delivery, was loaded (replaces that business date)" };
        var noTransform = new Option<bool>("--no-transform") { Description = "Only stage the files; the next build refreshes what they changed" };
        var contractFolder = new Option<string?>("--contracts") { Description = "Contract folder to use instead of etl/contracts (to try a new or changed contract)" };
        var command = new Command("load", "Load extract files into the warehouse, then refresh what they changed in dimensions, facts and marts. " +
                                          "Exit 0: every file loaded or already known; 4: some files need a person (listed); 1: the run failed")
        {
            folder, replace, noTransform, contractFolder,
        };
        command.SetAction(async (parse, ct) =>
        {
            CliOptions.WideWhenRedirected();
            if (parse.GetValue(contractFolder) is { } only && !Directory.Exists(only))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]contract folder {Path.GetFullPath(only)} not found[/]");
                return CliOptions.ExitFailed;
            }
            var path = Path.GetFullPath(parse.GetValue(folder)!);
            if (!File.Exists(path) && !Directory.Exists(path))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{path} is neither a file nor a folder[/]");
                return CliOptions.ExitFailed;
            }
            using var db = CliOptions.OpenOrExplain(parse, parse.GetValue(contractFolder));
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            var contracts = ContractCatalog.Load(db.Options.Definitions);
            foreach (var problem in contracts.Problems)
            {
                AnsiConsole.MarkupLineInterpolated($"[yellow]contract problem: {problem}[/]");
            }
            var quality = new QualityChecks(db, contracts);
            var loader = new Loader(db, contracts, quality);
            var runs = new JobRuns(db);

            try
            {
                return await Load(runs, parse, loader, quality, db, contracts, path, replace, noTransform, ct);
            }
            catch (TransformException ex)
            {
                // the files stay loaded; the build failed in one transaction and the previous one stays
                AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
                return CliOptions.ExitFailed;
            }
        });
        return command;
    }

    private static Task<int> Load(JobRuns runs, ParseResult parse, Loader loader, QualityChecks quality, Db db,
        ContractCatalog contracts, string path, Option<bool> replace, Option<bool> noTransform, CancellationToken ct) =>
            runs.RunAsync("cli-load", "cli", async (jobProgress, token) =>
            {
                var results = new List<FileLoadResult>();
                BuildResult? build = null;
                await AnsiConsole.Progress()
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .StartAsync(async ctx =>
                    {
                        var loadTask = ctx.AddTask("load", maxValue: 1);
                        if (File.Exists(path))
                        {
                            results.Add(loader.LoadFile(path, parse.GetValue(replace), token));
                        }
                        else
                        {
                            results.AddRange(loader.LoadDirectory(path, new SyncProgress<LoadProgress>(p =>
                            {
                                loadTask.MaxValue = Math.Max(1, p.FileCount);
                                loadTask.Value = p.FileIndex;
                                loadTask.Description = p.FileName.Length == 0 ? "load" : Markup.Escape(p.FileName);
                                jobProgress.Report(new JobProgress(p.FileCount == 0 ? 0 : 80.0 * p.FileIndex / p.FileCount, "load", p.FileName));
                            }), token, parse.GetValue(replace)));
                        }
                        loadTask.Value = loadTask.MaxValue;
                        loadTask.Description = "load";
                        if (!parse.GetValue(noTransform))
                        {
                            var transformTask = ctx.AddTask("transform", maxValue: 100);
                            build = new TransformRunner(db, contracts).Build(BuildRequest.Incremental, new SyncProgress<JobProgress>(p =>
                            {
                                transformTask.Value = p.Percent;
                                transformTask.Description = Markup.Escape(p.Message ?? p.Stage);
                            }), token);
                            transformTask.Value = 100;
                            transformTask.Description = "transform";
                            quality.CheckFreshness();
                        }
                        await Task.CompletedTask;
                    });
                Report(results);
                if (build is not null)
                {
                    BuildReport.Write(build);
                    DescribeCoverage(new DataRequirements(db, contracts));
                }
                DescribeTrialContracts(db.Options.Definitions, contracts, results);
                return results.Any(r => InboxArchive.NeedsAttention(r.Status)) ? CliOptions.ExitNeedsAttention : 0;
            }, ct);

    /// <summary>
    /// With <c>--contracts DIR</c>: the contracts of the folder that loaded files here but are not among the definitions
    /// every other build reads (the portal's, a later <c>ra load</c>'s), whose data those builds would leave out.
    /// </summary>
    private static void DescribeTrialContracts(DefinitionFolders folders, ContractCatalog used, IReadOnlyList<FileLoadResult> results)
    {
        if (folders.ContractsOverride is null)
        {
            return;
        }
        var plain = ContractCatalog.Load(folders.WithoutContractsOverride());
        var loaded = results.Where(r => r.Status is "loaded" or "held").Select(r => r.Extract).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var trial = used.All.Where(c => loaded.Contains(c.Extract) && plain.Find(c.Extract) is null).Select(c => c.Extract).Order(StringComparer.Ordinal).ToList();
        if (trial.Count == 0)
        {
            return;
        }
        // the shipped definitions are the build's copy, replaced by the next build: only an operator's folder keeps a contract
        var home = folders.Roots.Count > 1
            ? $"{Path.Combine(folders.Roots[0], DefinitionFolders.Contracts)} (the definitions folder)"
            : $"{DefinitionFolders.Contracts} of a definitions folder of your own (--definitions DIR or RA_DEFINITIONS for ra, Definitions:Folder for the portal)";
        AnsiConsole.MarkupLineInterpolated(
            $"[yellow]Contract(s) {string.Join(", ", trial)} of {folders.ContractsOverride} are not among the definitions the portal and every build without --contracts read: those builds leave their data out. To keep it, copy the contract(s) to {home}, or give the portal Definitions:Contracts={folders.ContractsOverride}.[/]");
    }

    /// <summary>When the build had less than every extract: what it was built from and what it went without.</summary>
    private static void DescribeCoverage(DataRequirements requirements)
    {
        var (core, missing) = requirements.Coverage();
        if (core.Count == 0)
        {
            AnsiConsole.MarkupLine(
                "[yellow]Build limited: no subscriber snapshot was delivered (subscription, or a contract with target: subscription); " +
                "the warehouse is empty and every report says \"needs subscription: not delivered\".[/]");
            return;
        }
        if (missing.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[yellow]Build limited: built on the core from {string.Join(", ", core)}; {missing.Count} extract(s) not delivered: {string.Join(", ", missing)}. Their facts are empty; the reports, cubes and scenarios that need them say which.[/]");
        }
    }

    private static void Report(IReadOnlyList<FileLoadResult> results)
    {
        var table = new Table().AddColumns("load", "file", "status", "read", "loaded", "rejected", "ms", "message");
        foreach (var r in results)
        {
            var colour = r.Status switch { "loaded" => "green", "duplicate" => "grey", "held" => "yellow", _ => "red" };
            table.AddRow($"{r.LoadId}", Markup.Escape(r.FileName), $"[{colour}]{r.Status}[/]", $"{r.RowsRead:N0}", $"{r.RowsLoaded:N0}",
                $"{r.RowsRejected:N0}", $"{r.Duration.TotalMilliseconds:N0}", Markup.Escape(r.Message ?? ""));
        }
        AnsiConsole.Write(table);
        var loaded = results.Where(r => r.Status == "loaded").ToList();
        AnsiConsole.MarkupLineInterpolated(
            $"{results.Count} file(s): {loaded.Count} loaded, {loaded.Sum(r => r.RowsLoaded):N0} rows loaded, {results.Sum(r => r.RowsRejected):N0} rejected.");
        var attention = results.Where(r => InboxArchive.NeedsAttention(r.Status)).ToList();
        if (attention.Count > 0)
        {
            AnsiConsole.MarkupLineInterpolated(
                $"[yellow]{attention.Count} file(s) need a person ({string.Join(", ", attention.GroupBy(r => r.Status).Select(g => $"{g.Count()} {g.Key}"))}): see the table; exit code {CliOptions.ExitNeedsAttention}.[/]");
        }
    }
}

/// <summary>Progress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool and may arrive late).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
