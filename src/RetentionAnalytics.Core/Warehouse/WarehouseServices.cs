using RetentionAnalytics.Core.Reports;
using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Delivery;
using RetentionAnalytics.Core.Cubes;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Model;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Transforms;

namespace RetentionAnalytics.Core.Warehouse;

public static class WarehouseServices
{
    /// <summary>The warehouse and the services that work on it, for any host (portal, CLI, tests).</summary>
    public static IServiceCollection AddWarehouseCore(this IServiceCollection services, WarehouseOptions options)
    {
        services.AddSingleton(options);
        // before any feature's defaults: the zones the warehouse stamps in are the ones calling hours and quiet hours keep
        services.AddSingleton(options.Region);
        services.AddSingleton(_ => Db.Open(options));
        services.AddSingleton(_ => ContractCatalog.Load(options.Definitions));
        services.AddSingleton<QualityChecks>();
        services.AddSingleton<Loader>();
        services.AddSingleton<HeldLoads>();
        services.AddSingleton<Definitions.DefinitionReload>();
        services.AddSingleton<Definitions.DataRequirements>();
        services.AddSingleton<TransformRunner>();
        services.AddSingleton<WarehouseCompactor>();
        services.AddSingleton<JobRuns>();
        services.AddSingleton<DailyPipeline>();
        services.AddSingleton<Audit.AuditLog>();
        services.AddChurnModel();
        services.AddCallLists();
        services.AddScenarios();
        services.AddExports();
        services.AddFixedReports();
        services.AddDelivery();
        services.AddCubes();
        services.AddCampaigns();
        return services;
    }
}
