using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Cubes;

public static class CubeServices
{
    /// <summary>The cube catalogue from <c>reports/cubes</c> of the definitions folders, the pivot service, saved views and the view renderer.</summary>
    public static IServiceCollection AddCubes(this IServiceCollection services)
    {
        services.AddSingleton(sp => CubeCatalog.Load(sp.GetRequiredService<WarehouseOptions>().Definitions));
        services.AddSingleton<CubeService>();
        services.AddSingleton<CubeViews>();
        services.AddSingleton<CubeViewRenderer>();
        services.AddSingleton<IReportRenderer>(sp => sp.GetRequiredService<CubeViewRenderer>());
        return services;
    }

    public static string CubeFolder(WarehouseOptions options) => Path.Combine(options.ArtefactRoot, "reports", "cubes");
}
