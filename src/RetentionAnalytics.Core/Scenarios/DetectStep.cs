using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Pipeline;

namespace RetentionAnalytics.Core.Scenarios;

/// <summary>The daily pipeline's detection: every enabled scenario for the newest month, after scoring and before call lists.</summary>
public sealed class DetectStep(DetectorRunner runner) : IPipelineStep
{
    public int Order => 200;

    public string Name => "detect";

    public string Run(IProgress<JobProgress>? progress, CancellationToken ct)
    {
        var results = runner.Run(progress: progress, trigger: "pipeline", ct: ct);
        var failed = results.Where(r => !r.Succeeded).Select(r => r.ScenarioId).ToList();
        var period = results.Count > 0 ? $" for {results[0].Period:yyyy-MM}" : "";
        return $"{results.Sum(r => r.Alerts):N0} alerts in {results.Count} scenarios{period}"
            + (failed.Count > 0 ? $", {failed.Count} failed: {string.Join(", ", failed)}" : "");
    }
}
