using System.CommandLine;
using RetentionAnalytics.Core.Warehouse;
using Spectre.Console;

namespace RetentionAnalytics.Cli;

internal static class CompactCommand
{
    public static Command Create()
    {
        var ifNeeded = new Option<bool>("--if-needed")
        {
            Description = "Only when enough of the file is free (Warehouse:CompactAtFreeShare) or it grew enough since the first build after its last compaction (Warehouse:CompactAtGrowth)",
        };
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
            CompactionReason? reason = null;
            if (parse.GetValue(ifNeeded))
            {
                var compactor = new WarehouseCompactor(db);
                reason = compactor.IsWorthCompacting();
                if (reason is null)
                {
                    var usage = compactor.Usage();
                    var since = compactor.LastRecord();
                    var grown = since is { BytesAfter: > 0 }
                        ? $", {(double)(usage.Bytes - since.BytesAfter) / since.BytesAfter:P0} grown since {since.Detail} ({since.BytesAfter / 1e6:N0} MB)"
                        : "";
                    AnsiConsole.MarkupLineInterpolated($"{usage.Bytes / 1e6:N0} MB, {usage.FreeShare:P0} free{grown}: not worth compacting");
                    return 0;
                }
            }
            return CompactAndReport(db, reason) ? 0 : CliOptions.ExitFailed;
        });
        return command;
    }

    /// <summary>The CLI holds the file alone, so the swap never waits for another reader.</summary>
    /// <param name="reason">Why (recorded in meta.compaction); null: on demand.</param>
    public static bool CompactAndReport(Db db, CompactionReason? reason = null)
    {
        var compactor = new WarehouseCompactor(db);
        var usage = compactor.Usage();
        var result = compactor.Compact(TimeSpan.FromSeconds(30), reason);
        AnsiConsole.MarkupLineInterpolated($"{result}; {usage.FreeShare:P0} of the file was free");
        return result.Compacted;
    }
}
