using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>How full the file is: DuckDB's blocks in use and free (freed blocks are reused, but the file only shrinks by copying).</summary>
public sealed record FileUsage(long FileBytes, long TotalBlocks, long FreeBlocks, long BlockSize, long WalBytes = 0)
{
    public double FreeShare => TotalBlocks == 0 ? 0 : (double)FreeBlocks / TotalBlocks;

    /// <summary>The file and its write-ahead log: what the growth trigger compares.</summary>
    public long Bytes => FileBytes + WalBytes;
}

/// <summary>Why a compaction runs; <see cref="Kind"/> is what meta.compaction records (baseline | free_share | growth | on_demand).</summary>
public sealed record CompactionReason(string Kind, string Text)
{
    /// <summary>The reason as a sentence of the pipeline run's summary (<see cref="Jobs.RunNotes"/>).</summary>
    public Jobs.RunNote? Note { get; init; }

    public const string Baseline = "baseline", FreeShareKind = "free_share", GrowthKind = "growth", OnDemandKind = "on_demand";

    public static readonly CompactionReason OnDemand = new(OnDemandKind, "on demand");

    public static CompactionReason FreeShare(FileUsage usage, double threshold) =>
        new(FreeShareKind, $"{usage.FreeShare:P0} of the file is free blocks (at least {threshold:P0} compacts)")
        {
            Note = new("CompactFreeShare", usage.FreeShare, threshold),
        };

    /// <summary>What a baseline's detail says, after "since": the first check of a warehouse never compacted, or the first after a compaction.</summary>
    public const string FirstMeasured = "it was first measured", AfterCompaction = "the first build after the last compaction";

    /// <param name="since">The baseline: the size measured at the first check after the last compaction, or at the first check ever.</param>
    public static CompactionReason Growth(long bytes, CompactionRecord since) =>
        new(GrowthKind, $"file grew {(double)(bytes - since.BytesAfter) / since.BytesAfter:P0} since {since.Detail} ({Mb(since.BytesAfter)} -> {Mb(bytes)})")
        {
            Note = new(since.Detail == FirstMeasured ? "CompactGrowthSinceFirstMeasured" : "CompactGrowthSinceCompaction",
                (double)(bytes - since.BytesAfter) / since.BytesAfter, Math.Round(since.BytesAfter / 1e6), Math.Round(bytes / 1e6)),
        };

    internal static string Mb(long bytes) => $"{bytes / 1e6:N0} MB";

    public override string ToString() => Text;
}

/// <summary>A row of meta.compaction: the newest baseline is the size the growth trigger compares the file with.</summary>
public sealed record CompactionRecord(string Reason, long BytesAfter, string Detail);

public sealed record CompactionResult(bool Compacted, long BytesBefore, long BytesAfter, TimeSpan Duration, string Message, CompactionReason? Reason = null)
{
    public override string ToString() => Compacted
        ? $"file compacted from {CompactionReason.Mb(BytesBefore)} to {CompactionReason.Mb(BytesAfter)} in {Duration.TotalSeconds:N1} s" +
          (Reason is null || Reason.Kind == CompactionReason.OnDemandKind ? "" : $": {Reason}")
        : $"file not compacted: {Message}";

    /// <summary>A compaction done, as a sentence of the pipeline run's summary.</summary>
    public Jobs.RunNote Note => Reason?.Note is { } why
        ? new("Compacted", Math.Round(BytesBefore / 1e6), Math.Round(BytesAfter / 1e6), Math.Round(Duration.TotalSeconds, 1), new Jobs.RunNotes(why))
        : new("CompactedOnDemand", Math.Round(BytesBefore / 1e6), Math.Round(BytesAfter / 1e6), Math.Round(Duration.TotalSeconds, 1));
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
        var path = db.Options.DatabasePath;
        return new FileUsage(FileBytes(path), size.TotalBlocks, size.FreeBlocks, size.BlockSize, FileBytes(path + ".wal"));
    }

    /// <summary>The newest compaction or baseline (meta.compaction), or null when none was recorded yet.</summary>
    public CompactionRecord? LastRecord()
    {
        using var c = db.Connect();
        return c.QuerySingleOrDefault<CompactionRecord>(db.Sql.Get("compaction/last_record.sql"));
    }

    /// <summary>
    /// Why a copy is worth it, or null: a large enough file (CompactMinimumBytes) of which enough is free
    /// (Warehouse:CompactAtFreeShare), or which grew enough since its baseline (Warehouse:CompactAtGrowth). DuckDB does
    /// not count all the space of replaced tables and indexes as free, so daily refreshes can grow a file whose free
    /// share stays low; the growth trigger catches that. The baseline is the size measured at the first check after a
    /// compaction (or at the first check of a warehouse never compacted), recorded then: a compacted file has no room for
    /// a refresh to write the new version of a table beside the old one, so the first build after a compaction grows it
    /// by that room (a quarter of the file at 20,000 subscribers, docs/benchmarks.md), which is no reason to compact again.
    /// </summary>
    public CompactionReason? IsWorthCompacting()
    {
        var o = db.Options;
        var usage = Usage();
        // a file below the minimum is never compacted, and takes no baseline either: measured from a small file, the
        // ordinary growth of a young warehouse would look like a reason to compact as soon as it passed the minimum
        if (usage.Bytes < o.CompactMinimumBytes)
        {
            return null;
        }
        var last = LastRecord();
        var baseline = last;
        if (last is null || last.Reason != CompactionReason.Baseline)
        {
            TryRecord(CompactionReason.Baseline, usage.Bytes, usage.Bytes, last is null ? CompactionReason.FirstMeasured : CompactionReason.AfterCompaction);
            baseline = null;
        }
        if (o.CompactAtFreeShare > 0 && usage.FreeShare >= o.CompactAtFreeShare)
        {
            return CompactionReason.FreeShare(usage, o.CompactAtFreeShare);
        }
        if (o.CompactAtGrowth > 0 && baseline is { BytesAfter: > 0 } && usage.Bytes > baseline.BytesAfter * (1 + o.CompactAtGrowth))
        {
            return CompactionReason.Growth(usage.Bytes, baseline);
        }
        return null;
    }

    /// <param name="reason">Why (recorded in meta.compaction and said in the result); null: on demand.</param>
    public CompactionResult Compact(TimeSpan drain, CompactionReason? reason = null, CancellationToken ct = default)
    {
        reason ??= CompactionReason.OnDemand;
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
            return new CompactionResult(false, before, before, clock.Elapsed, refused, reason);
        }
        var result = new CompactionResult(true, before, FileBytes(path), clock.Elapsed, "compacted", reason);
        // into the swapped-in file, after the swap: a row written before it would be in the log the swap requires empty
        TryRecord(reason.Kind, result.BytesBefore, result.BytesAfter, reason.Text);
        _log.LogInformation("Warehouse {Result}", result);
        return result;
    }

    /// <summary>
    /// A record that cannot be written (a full disk) must not fail the pipeline run that checked: the compaction happened
    /// anyway, or the baseline is taken at the next check.
    /// </summary>
    private void TryRecord(string kind, long bytesBefore, long bytesAfter, string detail)
    {
        try
        {
            using var c = db.Connect();
            c.Execute(db.Sql.Get("compaction/record.sql"), new { reason = kind, bytes_before = bytesBefore, bytes_after = bytesAfter, detail });
        }
        catch (Exception ex) when (ex is DuckDB.NET.Data.DuckDBException or IOException)
        {
            _log.LogWarning("The compaction was not recorded in meta.compaction: {ExceptionType}", ex.GetType().Name);
        }
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
