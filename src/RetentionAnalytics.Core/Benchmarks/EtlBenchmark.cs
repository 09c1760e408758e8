using System.Diagnostics;
using Dapper;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Benchmarks;

public sealed record EtlBenchmarkResult(
    int Files, long Bytes, long Rows,
    TimeSpan CopyTime, TimeSpan StageTime, TimeSpan TransformTime,
    long PeakWorkingSetAfterCopy, long PeakWorkingSetAfterEtl,
    TimeSpan CopyCpu, TimeSpan StageCpu, TimeSpan TransformCpu, TimeSpan TextStageTime, TimeSpan TextStageCpu, int TypedFiles)
{
    /// <summary>Staging against COPY in processor time of this process: steadier than wall time on a shared machine.</summary>
    public double StageCpuRatio => CopyCpu / StageCpu;
    public double EndToEndCpuRatio => CopyCpu / (StageCpu + TransformCpu);
    public double TextStageRatio => CopyTime / TextStageTime;
    public double TextStageCpuRatio => CopyCpu / TextStageCpu;
    public double CopyRowsPerSecond => Rows / CopyTime.TotalSeconds;
    public double StageRowsPerSecond => Rows / StageTime.TotalSeconds;
    public double EndToEndRowsPerSecond => Rows / (StageTime + TransformTime).TotalSeconds;
    public double StageRatio => StageRowsPerSecond / CopyRowsPerSecond;
    public double EndToEndRatio => EndToEndRowsPerSecond / CopyRowsPerSecond;
}

/// <summary>
/// The ETL against DuckDB's plain COPY of the same files, measured in one run on one machine so that the ratio
/// means something: the reference reads every file into a bare table (types auto-detected, no checks),
/// the ETL stages them through the contracts (validation, rejects, audit, quality) and rebuilds the warehouse.
/// </summary>
public static class EtlBenchmark
{
    /// <summary>
    /// The reference: every file read by DuckDB's own CSV reader into a bare table of a fresh database (types detected,
    /// no checks, no audit). Returns the rows it read.
    /// </summary>
    public static long PlainCopy(IReadOnlyList<string> files, string databasePath, IProgress<(string Stage, int Done, int Total)>? progress = null,
        long? memoryLimitBytes = null)
    {
        File.Delete(databasePath);
        File.Delete(databasePath + ".wal");
        long rows = 0;
        var limit = memoryLimitBytes is { } bytes ? $";memory_limit={bytes >> 20}MiB" : "";
        using var reference = new DuckDB.NET.Data.DuckDBConnection($"Data Source={databasePath}{limit}");
        reference.Open();
        for (var i = 0; i < files.Count; i++)
        {
            progress?.Report(("copy", i, files.Count));
            // GBK deliveries are not UTF-8: the plain reader skips what it cannot decode, which only flatters the reference
            reference.Execute($"create table bare_{i} as select * from read_csv($path, header = true, ignore_errors = true)", new { path = files[i] });
            rows += reference.ExecuteScalar<long>($"select count(*) from bare_{i}");
        }
        return rows;
    }

    private static TimeSpan Cpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    public static EtlBenchmarkResult Run(string inbox, string workFolder, IProgress<(string Stage, int Done, int Total)>? progress = null)
    {
        Directory.CreateDirectory(workFolder);
        var files = Directory.GetFiles(inbox, "*.csv").Order(StringComparer.Ordinal).ToList();
        var bytes = files.Sum(f => new FileInfo(f).Length);

        var referencePath = Path.Combine(workFolder, "reference.duckdb");
        var etlPath = Path.Combine(workFolder, "etl.duckdb");
        var textPath = Path.Combine(workFolder, "etl-text.duckdb");
        foreach (var p in new[] { referencePath, etlPath, textPath })
        {
            File.Delete(p);
            File.Delete(p + ".wal");
        }

        var copyCpu = Cpu();
        var copy = Stopwatch.StartNew();
        PlainCopy(files, referencePath, progress);
        copy.Stop();
        copyCpu = Cpu() - copyCpu;
        var peakAfterCopy = ProcessMemory.Peak();

        // staging with every file on the text path, for comparison (staging only, in a database of its own)
        var textCpu = Cpu();
        var textStage = Stopwatch.StartNew();
        using (var textDb = Db.Open(new WarehouseOptions { DatabasePath = textPath }))
        {
            var textContracts = ContractCatalog.LoadFolder(textDb.Options.ContractRoot);
            new Loader(textDb, textContracts, new QualityChecks(textDb, textContracts)) { TypedReads = false }
                .LoadDirectory(inbox, new Progress<LoadProgress>(p => progress?.Report(("text", p.FileIndex, p.FileCount))));
        }
        textStage.Stop();
        textCpu = Cpu() - textCpu;

        using var db = Db.Open(new WarehouseOptions { DatabasePath = etlPath });
        var contracts = ContractCatalog.LoadFolder(db.Options.ContractRoot);
        var quality = new QualityChecks(db, contracts);
        var loader = new Loader(db, contracts, quality);
        var stageCpu = Cpu();
        var stage = Stopwatch.StartNew();
        var results = loader.LoadDirectory(inbox, new Progress<LoadProgress>(p => progress?.Report(("etl", p.FileIndex, p.FileCount))));
        stage.Stop();
        stageCpu = Cpu() - stageCpu;
        var transformCpu = Cpu();
        var transform = Stopwatch.StartNew();
        new TransformRunner(db, contracts).Run();
        quality.CheckFreshness();
        transform.Stop();
        transformCpu = Cpu() - transformCpu;
        var rows = results.Sum(r => r.RowsRead);

        return new EtlBenchmarkResult(files.Count, bytes, rows, copy.Elapsed, stage.Elapsed, transform.Elapsed,
            peakAfterCopy, ProcessMemory.Peak(), copyCpu, stageCpu, transformCpu, textStage.Elapsed, textCpu, results.Count(r => r.Typed));
    }

}
