using Quartz;
using RetentionAnalytics.Core.Delivery;

namespace RetentionAnalytics.Portal.Features.Delivery;

/// <summary>Every minute: delivers the due subscriptions and retries the failed runs whose wait is over.</summary>
[DisallowConcurrentExecution]
public sealed class DeliveryJob(DeliveryService delivery, RetentionAnalytics.Core.Regions.RegionClock clock, ILogger<DeliveryJob> log) : IJob
{
    public static readonly JobKey Key = new("scheduled-delivery");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var attempted = await delivery.RunDue(clock.Now, cancellationToken);
        if (attempted > 0)
        {
            log.LogInformation("Scheduled delivery attempted {Runs} runs", attempted);
        }
    }
}
