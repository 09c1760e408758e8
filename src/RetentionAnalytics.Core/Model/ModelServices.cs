using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Pipeline;

namespace RetentionAnalytics.Core.Model;

public static class ModelServices
{
    /// <summary>The churn model (scenario 13): training, scoring and its step in the daily pipeline.</summary>
    public static IServiceCollection AddChurnModel(this IServiceCollection services)
    {
        services.AddSingleton<ChurnModels>();
        services.AddSingleton<ChurnTrainer>();
        services.AddSingleton<ChurnScorer>();
        services.AddSingleton<IPipelineStep, ChurnScoreStep>();
        return services;
    }
}
