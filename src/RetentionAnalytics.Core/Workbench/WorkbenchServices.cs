using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using RetentionAnalytics.Core.Regions;

namespace RetentionAnalytics.Core.Workbench;

public static class WorkbenchServices
{
    /// <summary>The agent workbench and the supervisor's desk; outcome steps (questionnaires, offers) register <see cref="IOutcomeStep"/>.</summary>
    public static IServiceCollection AddWorkbench(this IServiceCollection services, WorkbenchOptions? options = null)
    {
        services.TryAddSingleton(options ?? new WorkbenchOptions());
        services.AddRegionClock();
        services.AddSingleton<TaskAccess>();
        services.AddSingleton<AgentWorkbench>();
        services.AddSingleton<ContactReasons>();
        services.AddSingleton<TaskOpening>();
        services.AddSingleton<SupervisorDesk>();
        services.AddSingleton<WorkOrders>();
        services.AddSingleton<ScenarioNames>();
        return services;
    }
}
