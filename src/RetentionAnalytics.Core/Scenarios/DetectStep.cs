using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Pipeline;

namespace RetentionAnalytics.Core.Scenarios;

/// <summary>The daily pipeline's detection: every enabled scenario for the newest month, after scoring and before call lists.</summary>
public sealed class DetectStep(DetectorRunner runner) : IPipelineStep
{
    public int Order => 200;

    public string Name => "detect";

    public RunNotes Run(IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var results = runner.Run(progress: progress, trigger: "pipeline", ct: ct);
        var failed = results.Where(r => !r.Succeeded).Select(r => r.ScenarioId).ToList();
        var alerts = results.Count > 0
            ? new RunNote("Alerts", results.Sum(r => r.Alerts), results.Count, $"{results[0].Period:yyyy-MM}")
            : new RunNote("AlertsNoScenario");
        return failed.Count > 0
            ? new RunNotes(alerts, new RunNote("ScenariosFailed", failed.Count, string.Join(", ", failed)))
            : new RunNotes(alerts);
    }
}
