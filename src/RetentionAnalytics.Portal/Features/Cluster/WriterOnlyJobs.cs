using Quartz;

namespace RetentionAnalytics.Portal.Features.Cluster;

/// <summary>
/// The scheduled jobs (inbox poll, nightly pipeline, SMS dispatch, report delivery) fire on every node and run on the
/// writer only: the others veto the firing. With one process the node is always the writer.
/// </summary>
public sealed class WriterOnlyJobs(WriterRole role) : ITriggerListener
{
    public string Name => nameof(WriterOnlyJobs);

    public ValueTask<bool> VetoJobExecution(ITrigger trigger, IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(!role.IsWriter);
}
