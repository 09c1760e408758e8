using Quartz;
using RetentionAnalytics.Portal.Features.Pipeline;

namespace RetentionAnalytics.Portal.Features.Scheduling;

/// <summary>The nightly pipeline over the inbox (rebuilds and quality checks run even when nothing new arrived).</summary>
[DisallowConcurrentExecution]
public sealed class DailyPipelineJob(PipelineRunner runner, EtlOptions options, ILogger<DailyPipelineJob> log) : IJob
{
    public static readonly JobKey Key = new(PipelineRunner.DailyJob);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var outcome = await runner.TryRunAsync(PipelineRunner.DailyJob, "schedule", options.Inbox, cancellationToken);
        if (outcome is PipelineOutcome.Refused refused)
        {
            log.LogWarning("Nightly pipeline not started: {Reason}", refused.Message);
        }
    }
}
