using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RetentionAnalytics.Core.Pipeline;

namespace RetentionAnalytics.Core.Model;

public static class ModelServices
{
    /// <summary>The churn model (scenario 13): training, scoring and its step in the daily pipeline.</summary>
    public static IServiceCollection AddChurnModel(this IServiceCollection services)
    {
        // the portal binds its Model section before this; elsewhere the defaults
        services.TryAddSingleton<RetrainingPolicy>();
        services.AddSingleton<ChurnModels>();
        services.AddSingleton<ChurnTrainer>();
        services.AddSingleton<ChurnScorer>();
        services.AddSingleton<IPipelineStep, ChurnScoreStep>();
        return services;
    }
}
