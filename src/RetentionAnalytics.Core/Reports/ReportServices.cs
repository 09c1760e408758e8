using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Reports;

public static class ReportServices
{
    /// <summary>Fixed reports: the catalogue from reports/fixed of the definitions folders, the engine, and the renderer exports and deliveries use.</summary>
    public static IServiceCollection AddFixedReports(this IServiceCollection services)
    {
        services.AddSingleton(sp =>
        {
            var db = sp.GetRequiredService<Db>();
            return ReportCatalog.Load(db.Options.Definitions, db.Sql);
        });
        services.AddSingleton<ReportEngine>();
        services.AddSingleton<DimensionNames>();
        services.AddSingleton<IReportRenderer, FixedReportRenderer>();
        return services;
    }
}
