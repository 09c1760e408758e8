using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Transforms;

/// <summary>
/// Builds dimensions, facts and marts from staging with the models of <c>sql/transforms</c> (docs/warehouse.md). An
/// incremental build refreshes only what the loads since the last build touched, model by model in run order; a full
/// build (<c>ra rebuild</c>), a changed transform or a changed contract rebuilds from all of staging. Every build runs in
/// one transaction: readers see the previous build or the new one, and a killed build leaves the previous one.
/// </summary>
public sealed class TransformRunner(Db db, ContractCatalog contracts, ILogger<TransformRunner>? logger = null)
{
    private readonly ILogger _log = logger ?? NullLogger<TransformRunner>.Instance;

    /// <summary>An incremental build; the models it refreshed (none when the loads since the last build changed nothing).</summary>
    public IReadOnlyList<TransformResult> Run(IProgress<JobProgress>? progress = null, CancellationToken ct = default) =>
        Build(BuildRequest.Incremental, progress, ct).Models;

    /// <summary>Every model from all of staging, or (with a month) as if every delivery from that month on had just arrived.</summary>
    public BuildResult Rebuild(DateOnly? fromMonth = null, IProgress<JobProgress>? progress = null, CancellationToken ct = default) =>
        Build(fromMonth is { } m ? BuildRequest.From(m) : BuildRequest.Full, progress, ct);

    public BuildResult Build(BuildRequest request, IProgress<JobProgress>? progress = null, CancellationToken ct = default)
    {
        try
        {
            return BuildOnce(request, progress, ct);
        }
        catch (Exception ex) when (ct.IsCancellationRequested)
        {
            // a statement the stop interrupted, wherever in the build: the transaction rolled back, the previous build stays
            throw StatementStop.Stopped(ex, ct);
        }
    }

    private BuildResult BuildOnce(BuildRequest request, IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var startedAt = db.Clock.Now;
        var catalog = TransformCatalog.Load(db.Sql);
        using var connection = db.Connect();
        using var stop = connection.InterruptOn(ct);
        // a rebuild without a core makes the empty tables (every consumer then says what is missing); loads wait for one
        if (request.Kind == BuildKind.Incremental && !CoreSnapshot.Sources(contracts).Any(s => Etl.Loading.Loader.TableExists(connection, "stg", s.Extract)
                && connection.ExecuteScalar<bool>($"select exists (select 1 from {s.StagingTable})")))
        {
            // without a subscriber snapshot there is nothing to build on; every consumer says "needs subscription"
            _log.LogInformation("No subscriber snapshot staged yet; transforms skipped");
            return new BuildResult(null, request.Kind, [], 0, clock.Elapsed,
                "no subscriber snapshot delivered yet (subscription, or a contract with target: subscription); nothing to build");
        }
        // extracts not delivered yet read as empty tables, typed by their contracts, so a partial delivery still builds
        foreach (var contract in contracts.All)
        {
            Etl.Loading.Loader.EnsureStagingTable(connection, contract);
        }
        foreach (var contract in ReplacedContractsRead(catalog))
        {
            Etl.Loading.Loader.EnsureStagingTable(connection, contract);
        }
        connection.Execute(CoreSnapshot.ViewSql(contracts));

        var results = new List<TransformResult>();
        using (var tx = connection.BeginTransaction())
        {
            var build = new WarehouseBuild(connection, tx, catalog, contracts, db.Sql, request, db.Options.DuckDbMemoryBytes, ct);
            build.Prepare();
            for (var i = 0; i < catalog.Models.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var model = catalog.Models[i];
                progress?.Report(new JobProgress(100.0 * i / catalog.Models.Count, "transform", model.File));
                TransformResult? result;
                try
                {
                    result = build.Refresh(model);
                }
                catch (Exception ex) when (ex is not (OperationCanceledException or TransformException) && !ct.IsCancellationRequested)
                {
                    throw new TransformException($"transform {model.File} failed: {ex.Message}; the previous build stays", ex);
                }
                if (result is not null)
                {
                    results.Add(result);
                    _log.LogInformation("Transform {Result}", result);
                }
            }
            build.DropTemporaryTables();
            build.Finish(results, catalog.Models.Count - results.Count, startedAt, clock.Elapsed);
            tx.Commit();
            // committed: a stop from here on would only cut the checkpoint and report a build that is in as stopped
            stop.Dispose();
            var outcome = new BuildResult(build.BuildId, request.Kind, results, catalog.Models.Count - results.Count, clock.Elapsed, null);
            _log.LogInformation("Build {BuildId} ({Kind}): {Outcome}", build.BuildId, request.Kind, outcome);
            Checkpoint(connection, results.Count > 0);
            progress?.Report(new JobProgress(100, "transform", outcome.ToString()));
            return outcome;
        }
    }

    /// <summary>
    /// The province's extracts the transforms read that a contract folder used instead of etl/contracts
    /// (<c>ra load --contracts</c>, <c>Definitions:Contracts</c>) has no contract for: their staging tables are typed by
    /// the contracts the folder replaced, so that an operator's folder with its own core source alone still builds (the
    /// reports that need the others say what is missing), as it does beside the shipped contracts.
    /// </summary>
    private IEnumerable<ExtractContract> ReplacedContractsRead(TransformCatalog catalog)
    {
        var folders = db.Options.Definitions;
        if (folders.ContractsOverride is null)
        {
            return [];
        }
        var replaced = ContractCatalog.Load(folders.WithoutContractsOverride());
        return catalog.Models.SelectMany(m => m.Inputs).Where(i => i.IsStaging).Select(i => i.StagingExtract).Distinct(StringComparer.Ordinal)
            .Where(x => contracts.Find(x) is null && x != CoreSnapshot.RelationExtract)
            .Select(replaced.Find).OfType<ExtractContract>();
    }

    /// <summary>
    /// Writes the build into the database file and gives the space of replaced rows back to it (DuckDB reuses freed
    /// blocks and vacuums deleted rows at a checkpoint). Readers holding a transaction defer it to the next automatic one.
    /// </summary>
    private void Checkpoint(DuckDB.NET.Data.DuckDBConnection connection, bool wrote)
    {
        if (!wrote)
        {
            return;
        }
        try
        {
            connection.Execute("checkpoint");
        }
        catch (DuckDB.NET.Data.DuckDBException ex)
        {
            _log.LogInformation("Checkpoint after the build deferred: {Message}", ex.Message);
        }
    }
}
