using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Transforms;

public sealed record TransformResult(string File, TimeSpan Duration);

/// <summary>
/// Rebuilds dimensions, facts and marts from staging by running <c>sql/transforms/*.sql</c> in name order,
/// all in one transaction: readers see the previous build or the new one, never half of it, and a killed
/// rebuild leaves the previous build in place. Every file is idempotent (create or replace).
/// </summary>
public sealed class TransformRunner(Db db, ContractCatalog contracts, ILogger<TransformRunner>? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger<TransformRunner>.Instance;

    public IReadOnlyList<TransformResult> Run(IProgress<JobProgress>? progress = null, CancellationToken ct = default)
    {
        var files = db.Sql.List("transforms");
        var results = new List<TransformResult>(files.Count);
        using var connection = db.Connect();
        if (!Etl.Loading.Loader.TableExists(connection, "stg", "subscription"))
        {
            _log.LogInformation("No subscriptions staged yet; transforms skipped");
            return results;
        }
        // extracts not delivered yet read as empty tables, typed by their contracts, so a partial delivery still builds
        foreach (var contract in contracts.All)
        {
            Etl.Loading.Loader.EnsureStagingTable(connection, contract);
        }
        using var tx = connection.BeginTransaction();
        for (var i = 0; i < files.Count; i++)
        {
            ct.ThrowIfCancellationRequested();
            progress?.Report(new JobProgress(100.0 * i / files.Count, "transform", Path.GetFileName(files[i])));
            var clock = Stopwatch.StartNew();
            try
            {
                connection.Execute(db.Sql.Get(files[i]), transaction: tx, commandTimeout: 0);
            }
            catch (Exception ex)
            {
                throw new InvalidOperationException($"transform {files[i]} failed: {ex.Message}", ex);
            }
            results.Add(new TransformResult(files[i], clock.Elapsed));
            _log.LogInformation("Transform {File} in {Ms} ms", files[i], clock.ElapsedMilliseconds);
        }
        tx.Commit();
        return results;
    }
}
