using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Audit;

namespace RetentionAnalytics.Core.Exports;

public static class ExportServices
{
    /// <summary>Excel and CSV exports, for the portal, the CLI and the scheduled delivery.</summary>
    public static IServiceCollection AddExports(this IServiceCollection services)
    {
        services.AddSingleton<IExporter>(sp => new Exporter(sp.GetRequiredService<AuditLog>()));
        return services;
    }
}
