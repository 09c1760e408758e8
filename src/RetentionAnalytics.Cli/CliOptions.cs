using System.CommandLine;
using RetentionAnalytics.Core.Warehouse;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class CliOptions
{
    public static readonly Option<string> Database = new("--db")
    {
        Description = "Warehouse file (default: the portal's, <repo>/data/warehouse.duckdb or $RA_DB)",
        Recursive = true,
        DefaultValueFactory = _ => WarehouseOptions.DefaultDatabasePath,
    };

    /// <summary>Opens the warehouse; when another process (the portal) holds it, says so and changes nothing.</summary>
    public static Db? OpenOrExplain(ParseResult parse, string? contracts = null)
    {
        try
        {
            var db = Db.Open(Options(parse, contracts));
            // a run of a CLI or portal process that was killed is still 'running': this process holds the file now
            new Core.Jobs.JobRuns(db).MarkInterrupted();
            return db;
        }
        catch (WarehouseLockedException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return null;
        }
    }

    public static readonly Option<string?> Definitions = new("--definitions")
    {
        Description = "Definitions folder (contracts, reports, cubes, scenarios in the repository's layout) read before the shipped ones (default: $RA_DEFINITIONS, else the checkout)",
        Recursive = true,
    };

    /// <summary>The warehouse options of this invocation: the file, and where definitions are read.</summary>
    public static WarehouseOptions Options(ParseResult parse, string? contracts = null)
    {
        var options = new WarehouseOptions
        {
            DatabasePath = parse.GetValue(Database)!, ContractsFolder = contracts, Ops = CliConfiguration.Ops,
            Region = CliConfiguration.Region,
        };
        if (parse.GetValue(Definitions) is { Length: > 0 } folder)
        {
            options.DefinitionsFolder = Path.GetFullPath(folder);
        }
        CliConfiguration.BindCompaction(options);
        return options;
    }

    /// <summary>
    /// Tables written to a file or a pipe are read in logs and by scripts: there they take the width their rows need
    /// instead of wrapping every cell at the 80 columns a redirected console reports.
    /// </summary>
    public static void WideWhenRedirected()
    {
        if (Console.IsOutputRedirected)
        {
            AnsiConsole.Profile.Width = 240;
        }
    }

    public const int ExitLocked = 3;
    public const int ExitFailed = 1;

    /// <summary>Stopped by Ctrl+C (SIGINT): 128 + 2, the shell's convention.</summary>
    public const int ExitInterrupted = 130;

    /// <summary>Stopped by a stop signal (SIGTERM, as a service manager sends): 128 + 15.</summary>
    public const int ExitTerminated = 143;

    /// <summary>The run completed, but some files need a person (rejected, failed, held, conflict, stale, unrecognised), or definitions have errors.</summary>
    public const int ExitNeedsAttention = 4;
}
