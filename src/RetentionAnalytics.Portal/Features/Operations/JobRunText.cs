using System.Globalization;
using Microsoft.Extensions.Localization;
using RetentionAnalytics.Core.Jobs;

namespace RetentionAnalytics.Portal.Features.Operations;

/// <summary>A job run as a person reads it: the job's name and its summary in the reader's language.</summary>
public static class JobRunText
{
    /// <summary>"daily-pipeline" as "daily pipeline", "Tageslauf", "每日流水线"; a job this version does not know as stored.</summary>
    public static string JobName(this IStringLocalizer l, string jobName) =>
        l[$"Job_{jobName.Replace('-', '_')}"] is { ResourceNotFound: false } name ? name.Value : jobName;

    /// <summary>A step of a run as "loading files"; a step this version does not know as stored.</summary>
    public static string StageName(this IStringLocalizer l, string stage) =>
        l[$"Stage_{stage.Replace('-', '_')}"] is { ResourceNotFound: false } name ? name.Value : stage;

    /// <summary>
    /// The run's summary in the reader's language when it has one; an interrupted run's last step; else the run's
    /// message as recorded (a failure's message, a run of an earlier version).
    /// </summary>
    public static string? Message(this IStringLocalizer l, JobRun run) =>
        run.Notes?.Text(CultureInfo.CurrentCulture)
        ?? (run is { Status: "interrupted", Stage.Length: > 0 }
            ? l["RunInterrupted", l.StageName(run.Stage), Math.Round(run.ProgressPct)].Value
            : run.Message);
}
