using RetentionAnalytics.Core.Jobs;

namespace RetentionAnalytics.Core.Pipeline;

/// <summary>
/// Work that follows a successful rebuild of the warehouse in the daily pipeline (churn scoring, scenario
/// detection, call-list generation). Steps run in <see cref="Order"/>; each is registered once in DI by its feature.
/// </summary>
public interface IPipelineStep
{
    /// <summary>Lower runs first: scoring (100) before detection (200) before call lists (300).</summary>
    int Order { get; }

    string Name { get; }

    /// <returns>The step's summary for the job run ("1,234 alerts in 20 scenarios"), in sentences the portal words in the reader's language.</returns>
    RunNotes Run(IProgress<JobProgress>? progress, CancellationToken ct);
}
