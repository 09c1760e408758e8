using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Scenarios;

public static class ScenarioServices
{
    /// <summary>The scenario detectors, their parameters, custom rules, preview, and the pipeline's detect step.</summary>
    public static IServiceCollection AddScenarios(this IServiceCollection services)
    {
        services.AddSingleton(sp => ScenarioCatalog.Load(sp.GetRequiredService<Db>().Sql));
        services.AddSingleton<ScenarioParameters>();
        services.AddSingleton<CustomRules>();
        services.AddSingleton<DetectorRunner>();
        services.AddSingleton<ThresholdPreview>();
        services.AddSingleton<IPipelineStep, DetectStep>();
        return services;
    }
}
