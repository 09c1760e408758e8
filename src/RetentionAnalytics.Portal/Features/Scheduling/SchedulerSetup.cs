using Quartz;
using RetentionAnalytics.Portal.Features.Pipeline;

namespace RetentionAnalytics.Portal.Features.Scheduling;

public static class SchedulerSetup
{
    /// <summary>
    /// Quartz in-process (the portal owns the warehouse, DESIGN.md): the inbox poll, the nightly pipeline, and the
    /// startup seed / catch-up. Jobs are thin; the <see cref="PipelineRunner"/> does the work.
    /// </summary>
    public static WebApplicationBuilder AddScheduler(this WebApplicationBuilder builder)
    {
        var etl = EtlOptions.From(builder.Configuration);
        if (!CronExpression.TryParse(etl.DailyCron, out _))
        {
            throw new InvalidOperationException($"Etl:DailyCron '{etl.DailyCron}' is not a valid Quartz cron expression.");
        }

        builder.Services.AddQuartz(q =>
        {
            q.AddJob<InboxPollJob>(j => j.WithIdentity(InboxPollJob.Key));
            q.AddTrigger(t => t
                .ForJob(InboxPollJob.Key)
                .WithIdentity("inbox-poll-trigger")
                .StartAt(DateTimeOffset.Now.AddSeconds(etl.InboxPollSeconds))
                .WithSimpleSchedule(s => s
                    .WithInterval(TimeSpan.FromSeconds(etl.InboxPollSeconds))
                    .RepeatForever()
                    // A long load swallows polls; the next one after it is enough.
                    .WithMisfireInstruction(SimpleTriggerMisfireInstruction.NextWithRemainingCount)));

            q.AddJob<DailyPipelineJob>(j => j.WithIdentity(DailyPipelineJob.Key));
            q.AddTrigger(t => t
                .ForJob(DailyPipelineJob.Key)
                .WithIdentity("daily-pipeline-trigger")
                // Missed nights are caught up once at start by StartupRuns, not replayed by Quartz.
                .WithCronSchedule(etl.DailyCron, c => c.WithMisfireInstruction(CronTriggerMisfireInstruction.DoNothing)));
        });
        builder.Services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        builder.Services.AddHostedService<StartupRuns>();
        return builder;
    }
}
