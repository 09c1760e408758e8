using System.CommandLine;
using RetentionAnalytics.Core.Definitions;
using RetentionAnalytics.Core.Warehouse;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

/// <summary>
/// <c>ra check</c>: validates every definition (contracts, fixed reports, cubes, scenarios) the way the loader, the
/// inbox and the portal read them, and prints <c>file:line: message</c> for each problem. Reads files only, so it runs
/// while the portal holds the warehouse.
/// </summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var contractFolder = new Option<string?>("--contracts")
        {
            Description = "Contract folder to check instead of etl/contracts, on its own: reports, cubes and scenarios that need an extract it has no " +
                          "contract for are warnings, which do not change the exit code",
        };
        var command = new Command("check", "Validate every definition (contracts, reports, cubes, scenarios); prints file:line: message per problem, exit 4 when there are any")
        {
            contractFolder,
        };
        command.SetAction(parse =>
        {
            CliOptions.WideWhenRedirected();
            if (parse.GetValue(contractFolder) is { } only && !Directory.Exists(only))
            {
                AnsiConsole.MarkupLineInterpolated($"[red]contract folder {Path.GetFullPath(only)} not found[/]");
                return CliOptions.ExitFailed;
            }
            var options = CliOptions.Options(parse, parse.GetValue(contractFolder));
            var folders = options.Definitions;
            var report = DefinitionCheck.Run(folders, new SqlFiles(folders.SqlRoots), unmetNeedsAreNotes: folders.ContractsOverride is not null);
            foreach (var problem in report.Problems)
            {
                // plain lines, as compilers print them: editors and CI annotate file:line
                Console.WriteLine($"{Relative(problem.File)}:{problem.Line}: {problem.Message}");
            }
            foreach (var note in report.Notes)
            {
                Console.WriteLine($"{Relative(note.File)}:{note.Line}: warning: {note.Message}");
            }
            var warnings = report.Notes.Count == 0
                ? ""
                : $"; {report.Notes.Count} warning(s): reports, cubes or scenarios that need extracts the contract folder does not deliver";
            var summary = $"{string.Join(", ", report.Valid.Select(kv => $"{kv.Value} {kv.Key}"))} valid; {report.Problems.Count} problem(s){warnings} " +
                          $"(definitions: {string.Join(" over ", folders.Roots)}{(folders.ContractsOverride is { } c ? $"; contracts: {c}" : "")})";
            if (report.Ok)
            {
                AnsiConsole.MarkupLineInterpolated($"[green]{summary}[/]");
                return 0;
            }
            AnsiConsole.MarkupLineInterpolated($"[red]{summary}[/]");
            return CliOptions.ExitNeedsAttention;
        });
        return command;
    }

    private static string Relative(string path)
    {
        var relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
