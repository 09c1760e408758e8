using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Regions;

namespace RetentionAnalytics.Core.Tasks;

public static class TaskServices
{
    /// <summary>Call lists: team seeding, campaign and task generation, and its step in the daily pipeline.</summary>
    public static IServiceCollection AddCallLists(this IServiceCollection services)
    {
        services.AddRegionClock();
        services.AddSingleton<TeamRecords>();
        services.AddSingleton<TeamSeeder>();
        services.AddSingleton<TaskGenerator>();
        services.AddSingleton<IPipelineStep, CallListStep>();
        return services;
    }
}
