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
    public static Db? OpenOrExplain(ParseResult parse)
    {
        try
        {
            return Db.Open(new WarehouseOptions { DatabasePath = parse.GetValue(Database)! });
        }
        catch (WarehouseLockedException ex)
        {
            AnsiConsole.MarkupLineInterpolated($"[red]{ex.Message}[/]");
            return null;
        }
    }

    public const int ExitLocked = 3;
    public const int ExitFailed = 1;
}
