using RetentionAnalytics.Core.Cubes;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Definitions;

/// <summary>
/// Re-reads every definition from the definitions folders into the running process, all or nothing: when any
/// definition has a problem, nothing changes and the problems are returned; otherwise contracts, reports, cubes and
/// scenarios are replaced at once. Work in flight keeps the definitions it started with.
/// </summary>
public sealed class DefinitionReload(Db db, ContractCatalog contracts, ReportCatalog reports, CubeCatalog cubes, ScenarioCatalog scenarios)
{
    private readonly Lock _gate = new();

    public DefinitionReport Reload()
    {
        lock (_gate)
        {
            var folders = db.Options.Definitions;
            db.Sql.Forget();
            var report = DefinitionCheck.Run(folders, db.Sql);
            if (!report.Ok)
            {
                return report;
            }
            var nextContracts = ContractCatalog.Load(folders);
            var nextReports = ReportCatalog.Load(folders, db.Sql);
            var nextCubes = CubeCatalog.Load(folders);
            var nextScenarios = ScenarioCatalog.Load(db.Sql);
            contracts.ReplaceWith(nextContracts);
            reports.ReplaceWith(nextReports);
            cubes.ReplaceWith(nextCubes);
            scenarios.ReplaceWith(nextScenarios);
            return report with { Applied = true };
        }
    }
}
