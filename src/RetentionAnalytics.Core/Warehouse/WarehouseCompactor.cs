using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>How full the file is: DuckDB's blocks in use and free (freed blocks are reused, but the file only shrinks by copying).</summary>
public sealed record FileUsage(long FileBytes, long TotalBlocks, long FreeBlocks, long BlockSize)
{
    public double FreeShare => TotalBlocks == 0 ? 0 : (double)FreeBlocks / TotalBlocks;
}

public sealed record CompactionResult(bool Compacted, long BytesBefore, long BytesAfter, TimeSpan Duration, string Message)
{
    public override string ToString() => Compacted
        ? $"file compacted from {BytesBefore / 1e6:N0} MB to {BytesAfter / 1e6:N0} MB in {Duration.TotalSeconds:N1} s"
        : $"file not compacted: {Message}";
}

/// <summary>
/// Gives the space of replaced tables back to the file system. DuckDB reuses the blocks a rebuild frees, but the file
/// keeps its size (reclaiming space: docs "Reclaiming Space", CHECKPOINT and COPY FROM DATABASE); so the warehouse is
/// copied into a fresh file and swapped in. The copy runs while readers go on; the swap waits until no connection is
/// open and happens only if nothing was written since the copy began (the write-ahead log is still empty), so no write
/// is ever lost: a busy warehouse is compacted after a later build.
/// </summary>
public sealed class WarehouseCompactor(Db db, ILogger<WarehouseCompactor>? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger<WarehouseCompactor>.Instance;

    public static string CopyPath(string databasePath) => databasePath + ".compact";

    public FileUsage Usage()
    {
        using var c = db.Connect();
        var size = c.QuerySingle<(long BlockSize, long TotalBlocks, long FreeBlocks)>(
            "select block_size, total_blocks, free_blocks from pragma_database_size() where database_name = current_database()");
        return new FileUsage(new FileInfo(db.Options.DatabasePath).Length, size.TotalBlocks, size.FreeBlocks, size.BlockSize);
    }

    /// <summary>Worth a copy: enough of a large enough file is free (Warehouse:CompactAtFreeShare, CompactMinimumBytes).</summary>
    public bool IsWorthCompacting()
    {
        var usage = Usage();
        return db.Options.CompactAtFreeShare > 0 && usage.FileBytes >= db.Options.CompactMinimumBytes
            && usage.FreeShare >= db.Options.CompactAtFreeShare;
    }

    public CompactionResult Compact(TimeSpan drain, CancellationToken ct = default)
    {
        var clock = Stopwatch.StartNew();
        var path = db.Options.DatabasePath;
        var copy = CopyPath(path);
        var before = FileBytes(path) + FileBytes(path + ".wal");
        DeleteCopy(copy);
        using (var c = db.Connect())
        {
            // everything committed goes into the file, so that a log that is not empty later means a write since; no
            // automatic checkpoint may empty the log before the swap
            c.Execute("set checkpoint_threshold = '1TB'");
            c.Execute("force checkpoint");
            var source = c.ExecuteScalar<string>("select current_database()")!;
            ct.ThrowIfCancellationRequested();
            // attach takes no parameters; the path is the warehouse's own, configured, not typed by a user
            c.Execute($"attach '{copy.Replace("'", "''", StringComparison.Ordinal)}' as ra_compact");
            try
            {
                c.Execute($"copy from database \"{source}\" to ra_compact", commandTimeout: 0);
            }
            finally
            {
                c.Execute("detach ra_compact");
            }
        }
        ct.ThrowIfCancellationRequested();

        string? refused = null;
        var swapped = db.Exclusive(drain, _ =>
        {
            if (FileBytes(path + ".wal") > 0)
            {
                refused = "the warehouse was written while it was copied; the next build compacts it";
                return null;
            }
            return () =>
            {
                // rename is atomic: a crash leaves either the old file or the compacted one, never half of each
                File.Move(copy, path, overwrite: true);
                File.Delete(path + ".wal");
            };
        });
        using (var c = db.Connect())
        {
            c.Execute("reset checkpoint_threshold");
        }
        if (!swapped)
        {
            refused = $"connections stayed open for more than {drain.TotalSeconds:N0} s; the next build compacts it";
        }
        if (refused is not null)
        {
            DeleteCopy(copy);
            _log.LogInformation("Compaction skipped: {Reason}", refused);
            return new CompactionResult(false, before, before, clock.Elapsed, refused);
        }
        var result = new CompactionResult(true, before, FileBytes(path), clock.Elapsed, "compacted");
        _log.LogInformation("Warehouse {Result}", result);
        return result;
    }

    /// <summary>A copy left by a process that died before its swap is only a copy: the warehouse file is intact.</summary>
    internal static void RecoverInterruptedSwap(string databasePath)
    {
        if (File.Exists(databasePath))
        {
            DeleteCopy(CopyPath(databasePath));
        }
    }

    private static void DeleteCopy(string copy)
    {
        File.Delete(copy);
        File.Delete(copy + ".wal");
    }

    private static long FileBytes(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
