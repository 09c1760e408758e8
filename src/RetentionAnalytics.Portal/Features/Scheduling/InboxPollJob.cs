using Quartz;
using RetentionAnalytics.Portal.Features.Pipeline;

namespace RetentionAnalytics.Portal.Features.Scheduling;

/// <summary>Runs the pipeline when new CSV deliveries wait in the inbox; an empty inbox writes no job rows.</summary>
[DisallowConcurrentExecution]
public sealed class InboxPollJob(PipelineRunner runner, InboxFolder inbox, ILogger<InboxPollJob> log) : IJob
{
    public static readonly JobKey Key = new(PipelineRunner.InboxPollJob);

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        if (!inbox.HasNewDeliveries(out var fingerprint))
        {
            return;
        }
        var outcome = await runner.TryRunAsync(PipelineRunner.InboxPollJob, "schedule", inbox.Path, cancellationToken);
        if (outcome is PipelineOutcome.Refused refused)
        {
            // Not marked as attempted: the next poll tries again once the running pipeline is done.
            log.LogInformation("Inbox poll skipped: {Reason}", refused.Message);
            return;
        }
        inbox.MarkAttempted(fingerprint);
    }
}
