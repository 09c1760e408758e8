using System.CommandLine;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Transforms;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

/// <summary>
/// <c>ra release LOAD_ID [--discard]</c>: decides on a replacement the loader held for review (<c>ra status</c> lists them).
/// Released, it replaces its business date as the load would have, and the warehouse is rebuilt; discarded, the loaded
/// data stays. The audit row records who decided.
/// </summary>
internal static class ReleaseCommand
{
    public static Command Create()
    {
        var loadId = new Argument<long>("LOAD_ID") { Description = "The held load (ra status lists held loads)" };
        var discard = new Option<bool>("--discard") { Description = "Discard the held rows instead; the loaded data stays" };
        var noTransform = new Option<bool>("--no-transform") { Description = "Release without rebuilding dimensions, facts and marts" };
        var contractFolder = new Option<string?>("--contracts") { Description = "Contract folder the held load was loaded with, if not etl/contracts" };
        var command = new Command("release", "Release a replacement held for review (it replaces its business date), or discard it with --discard")
        {
            loadId, discard, noTransform, contractFolder,
        };
        command.SetAction(async (parse, ct) =>
        {
            CliOptions.WideWhenRedirected();
            using var db = CliOptions.OpenOrExplain(parse, parse.GetValue(contractFolder));
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            var contracts = ContractCatalog.Load(db.Options.Definitions);
            var quality = new QualityChecks(db, contracts);
            var held = new HeldLoads(db, contracts, quality);
            var id = parse.GetValue(loadId);
            var by = $"{Environment.UserName} (ra release)";
            var outcome = parse.GetValue(discard) ? held.Discard(id, by) : held.Release(id, by);
            if (!outcome.Done)
            {
                AnsiConsole.MarkupLineInterpolated($"[red]{outcome.Message}[/]");
                return CliOptions.ExitFailed;
            }
            AnsiConsole.MarkupLineInterpolated($"[green]{outcome.Message}[/]");
            if (!parse.GetValue(discard) && !parse.GetValue(noTransform))
            {
                await new JobRuns(db).RunAsync("cli-release", "cli", (progress, token) =>
                {
                    var built = new TransformRunner(db, contracts).Run(progress, token);
                    quality.CheckFreshness();
                    return Task.FromResult($"released load {id}; {built.Count} transform(s)");
                }, ct);
            }
            return 0;
        });
        return command;
    }
}
