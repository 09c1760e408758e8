using Microsoft.Extensions.DependencyInjection;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Pipeline;

namespace RetentionAnalytics.Core.Demo;

/// <summary>
/// In the pipeline run that seeds a demo warehouse: after scoring (every month), detection, and the questionnaire and
/// offer seeds, before the newest month's call lists, so the simulated desk has its agents' capacity and the newest
/// lists see the past contacts. Any other warehouse, or a demo whose past is already made: nothing.
/// </summary>
public sealed class DemoHistoryStep(DemoHistory history) : IPipelineStep
{
    public int Order => 295;

    public string Name => "demo-history";

    public string Run(IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var months = history.Seed(progress, ct);
        return months.Count == 0
            ? "demo history: none to make"
            : $"demo history: {months.Count} month(s) {months[0].Period:yyyy-MM}..{months[^1].Period:yyyy-MM}, " +
              $"{months.Sum(m => m.Campaigns)} campaign(s), {months.Sum(m => m.Tasks):N0} tasks, {months.Sum(m => m.Calls):N0} calls";
    }
}

public static class DemoServices
{
    /// <summary>The demo mark and the demo's past campaigns (made only in a marked warehouse); needs the workbench services.</summary>
    public static IServiceCollection AddDemo(this IServiceCollection services, DemoOptions? options = null)
    {
        services.AddSingleton(options ?? new DemoOptions());
        services.AddSingleton<DemoWarehouse>();
        services.AddSingleton<DemoCallCentre>();
        services.AddSingleton<DemoHistory>();
        services.AddSingleton<IPipelineStep, DemoHistoryStep>();
        return services;
    }
}
