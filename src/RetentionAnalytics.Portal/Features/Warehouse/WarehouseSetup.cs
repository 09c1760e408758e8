using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Shared;

namespace RetentionAnalytics.Portal.Features.Warehouse;

public static class WarehouseSetup
{
    /// <summary>
    /// The portal owns the warehouse file (DESIGN.md, process model): one <see cref="Db"/> for the process,
    /// configured from the <c>Warehouse</c> section. The database path defaults to
    /// <see cref="WarehouseOptions.DefaultDatabasePath"/>, which honours <c>RA_DB</c>.
    /// </summary>
    public static WebApplicationBuilder AddWarehouse(this WebApplicationBuilder builder)
    {
        var options = new WarehouseOptions();
        builder.Configuration.GetSection("Warehouse").Bind(options);
        // Ops:Provider (duckdb | postgres) and Ops:ConnectionString: where the operational data lives (docs/deploy.md)
        builder.Configuration.GetSection("Ops").Bind(options.Ops);
        // Region:TimeZone and Region:CityTimeZones: the province's clock, which every stored time and every calling hour keeps
        builder.Configuration.GetSection("Region").Bind(options.Region);
        // Definitions:Folder (or RA_DEFINITIONS) and Definitions:Contracts, as the CLI's --definitions and --contracts
        if (builder.Configuration["Definitions:Folder"] is { Length: > 0 } definitions)
        {
            options.DefinitionsFolder = PortalPaths.Resolve(definitions);
        }
        if (builder.Configuration["Definitions:Contracts"] is { Length: > 0 } contracts)
        {
            options.ContractsFolder = PortalPaths.Resolve(contracts);
        }

        // Portal SQL files name columns in snake_case (sql/ style); rows are C# properties in PascalCase.
        Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;

        // a node of several starts on the newest published warehouse (docs/deploy.md)
        Cluster.ClusterSetup.AdoptPublishedWarehouse(builder.Configuration, options);

        // Model:RetrainAfterMonths and Model:AucDrop: when the nightly pipeline retrains the churn model (docs/model.md)
        builder.Services.AddSingleton(builder.Configuration.GetSection("Model").Get<RetentionAnalytics.Core.Model.RetrainingPolicy>()
            ?? new RetentionAnalytics.Core.Model.RetrainingPolicy());

        // Db, JobRuns, the loader, transforms, quality checks and the DailyPipeline, as Core wires them for every host.
        builder.Services.AddWarehouseCore(options);
        builder.Services.AddSingleton<WarehouseCatalog>();
        return builder;
    }

    /// <summary>The portal's exit code when the warehouse file is held by another process or cannot be opened.</summary>
    public const int WarehouseUnavailableExitCode = 3;

    /// <summary>
    /// Opens the file before the host starts, so that a warehouse held by another process stops the portal with
    /// a clear message instead of a half-started site, and marks runs a previous process left 'running'.
    /// </summary>
    public static WebApplication OpenWarehouse(this WebApplication app)
    {
        Db db;
        try
        {
            db = app.Services.GetRequiredService<Db>();
        }
        catch (Exception ex) when (ex is WarehouseLockedException or DuckDB.NET.Data.DuckDBException or IOException or UnauthorizedAccessException)
        {
            // held by another process, not a warehouse, not readable: the message names the file and the cause, a stack
            // trace would add nothing for the operator
            var message = ex is WarehouseLockedException ? ex.Message : $"The warehouse cannot be opened: {ex.Message}";
            app.Logger.LogCritical("{Message}", message);
            Environment.Exit(WarehouseUnavailableExitCode);
            throw;
        }
        // with several nodes the runs of another process may be alive: the node that takes the writer role decides (StartupRuns)
        var interrupted = db.Ops.IsPostgres ? 0 : app.Services.GetRequiredService<JobRuns>().MarkInterrupted();
        app.Logger.LogInformation("Warehouse {DatabasePath} open; {Interrupted} interrupted run(s) marked",
            db.Options.DatabasePath, interrupted);
        // a broken contract does not stop the portal: its files are refused with the reason; operators see it here too
        foreach (var problem in app.Services.GetRequiredService<ContractCatalog>().Problems)
        {
            app.Logger.LogWarning("Contract {File}:{Line} cannot be used: {Problem}", problem.File, problem.Line, problem.Message);
        }
        foreach (var problem in app.Services.GetRequiredService<RetentionAnalytics.Core.Reports.ReportCatalog>().Problems)
        {
            app.Logger.LogWarning("Report left out: {Problem}", problem);
        }
        return app;
    }
}
