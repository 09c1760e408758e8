using System.CommandLine;
using RetentionAnalytics.Core.Warehouse;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class CompactCommand
{
    public static Command Create()
    {
        var ifNeeded = new Option<bool>("--if-needed") { Description = "Only when enough of the file is free (Warehouse:CompactAtFreeShare)" };
        var command = new Command("compact", "Copy the warehouse into a fresh file and swap it in, giving the space of replaced tables back")
        {
            ifNeeded,
        };
        command.SetAction(parse =>
        {
            using var db = CliOptions.OpenOrExplain(parse);
            if (db is null)
            {
                return CliOptions.ExitLocked;
            }
            var compactor = new WarehouseCompactor(db);
            if (parse.GetValue(ifNeeded) && !compactor.IsWorthCompacting())
            {
                var usage = compactor.Usage();
                AnsiConsole.MarkupLineInterpolated($"{usage.FileBytes / 1e6:N0} MB, {usage.FreeShare:P0} free: not worth compacting");
                return 0;
            }
            return CompactAndReport(db) ? 0 : CliOptions.ExitFailed;
        });
        return command;
    }

    /// <summary>The CLI holds the file alone, so the swap never waits for another reader.</summary>
    public static bool CompactAndReport(Db db)
    {
        var compactor = new WarehouseCompactor(db);
        var usage = compactor.Usage();
        var result = compactor.Compact(TimeSpan.FromSeconds(30));
        AnsiConsole.MarkupLineInterpolated($"{result} ({usage.FreeShare:P0} of the file was free)");
        return result.Compacted;
    }
}
