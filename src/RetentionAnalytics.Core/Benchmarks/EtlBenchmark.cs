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
    long PeakWorkingSetAfterCopy, long PeakWorkingSetAfterEtl)
{
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
    public static EtlBenchmarkResult Run(string inbox, string workFolder, IProgress<(string Stage, int Done, int Total)>? progress = null)
    {
        Directory.CreateDirectory(workFolder);
        var files = Directory.GetFiles(inbox, "*.csv").Order(StringComparer.Ordinal).ToList();
        var bytes = files.Sum(f => new FileInfo(f).Length);

        var referencePath = Path.Combine(workFolder, "reference.duckdb");
        var etlPath = Path.Combine(workFolder, "etl.duckdb");
        foreach (var p in new[] { referencePath, etlPath })
        {
            File.Delete(p);
            File.Delete(p + ".wal");
        }

        var copy = Stopwatch.StartNew();
        long referenceRows = 0;
        using (var reference = new DuckDB.NET.Data.DuckDBConnection($"Data Source={referencePath}"))
        {
            reference.Open();
            for (var i = 0; i < files.Count; i++)
            {
                progress?.Report(("copy", i, files.Count));
                // GBK deliveries are not UTF-8: the plain reader skips what it cannot decode, which only flatters the reference
                reference.Execute($"create table bare_{i} as select * from read_csv($path, header = true, ignore_errors = true)", new { path = files[i] });
                referenceRows += reference.ExecuteScalar<long>($"select count(*) from bare_{i}");
            }
        }
        copy.Stop();
        var peakAfterCopy = PeakWorkingSet();

        using var db = Db.Open(new WarehouseOptions { DatabasePath = etlPath });
        var contracts = ContractCatalog.LoadFolder(db.Options.ContractRoot);
        var quality = new QualityChecks(db, contracts);
        var loader = new Loader(db, contracts, quality);
        var stage = Stopwatch.StartNew();
        var results = loader.LoadDirectory(inbox, new Progress<LoadProgress>(p => progress?.Report(("etl", p.FileIndex, p.FileCount))));
        stage.Stop();
        var transform = Stopwatch.StartNew();
        new TransformRunner(db, contracts).Run();
        quality.CheckFreshness();
        transform.Stop();
        var rows = results.Sum(r => r.RowsRead);

        return new EtlBenchmarkResult(files.Count, bytes, rows, copy.Elapsed, stage.Elapsed, transform.Elapsed,
            peakAfterCopy, PeakWorkingSet());
    }

    /// <summary>The process's peak resident set (VmHWM), which includes DuckDB's native memory.</summary>
    private static long PeakWorkingSet()
    {
        if (File.Exists("/proc/self/status"))
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out var kb))
            {
                return kb * 1024;
            }
        }
        return Process.GetCurrentProcess().PeakWorkingSet64;
    }
}
