using RetentionAnalytics.Core.Cluster;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Portal.Features.Pipeline;

/// <summary>How a request to run the pipeline ended.</summary>
public abstract record PipelineOutcome
{
    public sealed record Succeeded(PipelineResult Result) : PipelineOutcome;
    public sealed record Failed(string Message) : PipelineOutcome;
    public sealed record Cancelled : PipelineOutcome;
    /// <summary>Another run held the gate; nothing was started and no job row was written.</summary>
    public sealed record Refused(string Message) : PipelineOutcome;
    /// <summary>Started in the background (the operations page); its row in meta.job_run tells the rest.</summary>
    public sealed record Started : PipelineOutcome;
}

/// <summary>
/// The one way the portal runs the <see cref="DailyPipeline"/>: behind the <see cref="PipelineGate"/>, recorded
/// in meta.job_run through <see cref="JobRuns"/>. A failing pipeline is a failed run, never a failed portal.
/// </summary>
public sealed class PipelineRunner(
    PipelineGate gate, JobRuns runs, EtlOptions etl, IServiceProvider services, ILogger<PipelineRunner> log) : IHostedService
{
    /// <summary>Job names as recorded in meta.job_run.</summary>
    public const string DailyJob = "daily-pipeline";
    public const string InboxPollJob = "inbox-poll";

    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _backgroundLock = new();
    private readonly HashSet<Task> _background = [];

    /// <summary>Runs now, or refuses at once when another run holds the gate (scheduled jobs).</summary>
    public async Task<PipelineOutcome> TryRunAsync(string jobName, string triggerKind, string inbox, CancellationToken ct)
    {
        if (!gate.TryEnter(jobName, triggerKind, out var lease))
        {
            return new PipelineOutcome.Refused(gate.DescribeRefusal());
        }
        return await RunHoldingAsync(lease, jobName, triggerKind, inbox, ct);
    }

    /// <summary>
    /// Waits for the gate, then runs (startup seed and catch-up, which must not be lost to a poll). <paramref name="rebuild"/>:
    /// rebuild and run the steps even when every file was loaded before (a seed taken up again).
    /// </summary>
    public async Task<PipelineOutcome> RunWhenFreeAsync(string jobName, string triggerKind, string inbox, CancellationToken ct, bool rebuild = false)
    {
        var lease = await gate.EnterAsync(jobName, triggerKind, ct);
        return await RunHoldingAsync(lease, jobName, triggerKind, inbox, ct, rebuild);
    }

    /// <summary>
    /// Starts a run in the background and returns at once (the operations page must stay responsive);
    /// refuses when the gate is taken. The host waits for the run when it stops.
    /// </summary>
    public PipelineOutcome StartInBackground(string jobName, string triggerKind, string inbox) =>
        StartHolding(jobName, triggerKind, lease => RunHoldingAsync(lease, jobName, triggerKind, inbox, _stopping.Token));

    /// <summary>
    /// Other work that writes staging and rebuilds the warehouse (a held replacement released on the operations page):
    /// behind the same gate, in the background, recorded as a job run whose message is what the work returns.
    /// </summary>
    public PipelineOutcome StartInBackground(string jobName, string triggerKind, Func<IProgress<JobProgress>, CancellationToken, string> work) =>
        StartHolding(jobName, triggerKind, lease => RunWorkAsync(lease, jobName, triggerKind, work, _stopping.Token));

    private PipelineOutcome StartHolding(string jobName, string triggerKind, Func<PipelineGate.Lease, Task> run)
    {
        if (!gate.TryEnter(jobName, triggerKind, out var lease))
        {
            return new PipelineOutcome.Refused(gate.DescribeRefusal());
        }
        var task = Task.Run(() => run(lease));
        lock (_backgroundLock)
        {
            _background.Add(task);
        }
        task.ContinueWith(t =>
        {
            lock (_backgroundLock)
            {
                _background.Remove(t);
            }
        }, TaskScheduler.Default);
        return new PipelineOutcome.Started();
    }

    private async Task RunWorkAsync(PipelineGate.Lease lease, string jobName, string triggerKind,
        Func<IProgress<JobProgress>, CancellationToken, string> work, CancellationToken ct)
    {
        using (lease)
        {
            try
            {
                await runs.RunAsync(jobName, triggerKind, (progress, token) => Task.Run(() =>
                {
                    var message = work(progress, token);
                    PublishSnapshot(progress);
                    return message;
                }, token), ct);
            }
            catch (Exception ex)
            {
                // the run's row holds the message; the log gets the type only (messages may quote delivered values)
                log.LogError("Job {JobName} ({TriggerKind}) failed with {ExceptionType}; see meta.job_run for the message",
                    jobName, triggerKind, ex.GetType().FullName);
            }
        }
    }

    private async Task<PipelineOutcome> RunHoldingAsync(
        PipelineGate.Lease lease, string jobName, string triggerKind, string inbox, CancellationToken ct, bool rebuild = false)
    {
        using (lease)
        {
            log.LogInformation("Pipeline {JobName} started ({TriggerKind})", jobName, triggerKind);
            try
            {
                // Task.Run: the loader does blocking DuckDB work; it must not run on a Blazor circuit or Quartz thread.
                var result = await runs.RunAsync(jobName, triggerKind, (progress, token) => Task.Run(async () =>
                {
                    // Resolved per run, inside the recorded job: a pipeline that cannot be built (a missing or
                    // broken contract folder) is a failed run on the operations page, not a portal that will not start.
                    var pipeline = services.GetRequiredService<DailyPipeline>();
                    // processed inbox files move to archive/ or rejected/; the sample folder is part of the checkout and stays
                    var isInbox = Path.GetFullPath(inbox) == Path.GetFullPath(etl.Inbox);
                    // with several nodes the inbox gives its files up only once the build that loaded them is
                    // published: a writer killed before that leaves them to the next writer, which loads them again
                    var publishes = services.GetService<WarehouseSnapshots>() is not null;
                    var built = await pipeline.RunAsync(inbox, progress, token, archive: isInbox && !publishes, rebuild: rebuild);
                    PublishSnapshot(progress);
                    if (isInbox && publishes)
                    {
                        InboxArchive.Move(inbox, built.Files, services.GetRequiredService<RetentionAnalytics.Core.Warehouse.Db>().Clock.Today);
                    }
                    return built;
                }, token), ct);
                log.LogInformation(
                    "Pipeline {JobName} ({TriggerKind}) succeeded: {Files} file(s), {RowsLoaded} rows loaded, {RowsRejected} rejected",
                    jobName, triggerKind, result.Files.Count, result.Files.Sum(f => f.RowsLoaded), result.Files.Sum(f => f.RowsRejected));
                return new PipelineOutcome.Succeeded(result);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                log.LogWarning("Pipeline {JobName} ({TriggerKind}) cancelled", jobName, triggerKind);
                return new PipelineOutcome.Cancelled();
            }
            catch (Exception ex)
            {
                // Messages of load errors can quote delivered values (personal data): the message is kept in
                // meta.job_run for the operations page; the log gets the type and the stack only.
                log.LogError("Pipeline {JobName} ({TriggerKind}) failed with {ExceptionType}; see meta.job_run for the message.{NewLine}{StackTrace}",
                    jobName, triggerKind, ex.GetType().FullName, Environment.NewLine, ex.StackTrace);
                return new PipelineOutcome.Failed(ex.Message);
            }
        }
    }

    /// <summary>
    /// With several nodes, the writer publishes what it built for the others (docs/deploy.md) as the run's last step:
    /// a run whose snapshot could not be published is a failed run.
    /// </summary>
    private void PublishSnapshot(IProgress<JobProgress> progress)
    {
        if (services.GetService<WarehouseSnapshots>() is { } snapshots)
        {
            progress.Report(new JobProgress(99, "publish"));
            snapshots.Publish(TimeSpan.FromSeconds(60));
            services.GetService<AgentJournal>()?.Prune(DateTime.UtcNow);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>A manual run in flight is asked to stop and awaited, so its job row ends 'cancelled', not 'interrupted'.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        Task[] pending;
        lock (_backgroundLock)
        {
            pending = [.. _background];
        }
        await Task.WhenAll(pending).WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }
}
