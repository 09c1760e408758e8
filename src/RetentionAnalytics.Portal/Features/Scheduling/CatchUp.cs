using Quartz;

namespace RetentionAnalytics.Portal.Features.Scheduling;

/// <summary>Whether the nightly run was missed while the portal was down.</summary>
public static class CatchUp
{
    /// <summary>
    /// Due when the last successful run started before the schedule's most recent fire time. One catch-up covers
    /// any number of missed nights: the pipeline loads whatever the inbox holds, not one night's share.
    /// </summary>
    /// <param name="lastSucceededAt">Local time, as meta.job_run stores it; null when it never succeeded.</param>
    public static bool IsDue(CronExpression schedule, DateTimeOffset now, DateTime? lastSucceededAt)
    {
        var previousFire = schedule.GetPreviousValidTimeBefore(now);
        if (previousFire is null)
        {
            return false;
        }
        if (lastSucceededAt is null)
        {
            return true;
        }
        var last = new DateTimeOffset(DateTime.SpecifyKind(lastSucceededAt.Value, DateTimeKind.Local));
        return last < previousFire.Value;
    }
}
