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

    public RunNotes Run(IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var months = history.Seed(progress, ct);
        return new RunNotes(months.Count == 0
            ? new RunNote("DemoHistoryNone")
            : new RunNote("DemoHistory", months.Count, $"{months[0].Period:yyyy-MM}", $"{months[^1].Period:yyyy-MM}",
                months.Sum(m => m.Campaigns), months.Sum(m => m.Tasks), months.Sum(m => m.Calls)));
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
