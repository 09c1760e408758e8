using Dapper;
using Quartz;
using RetentionAnalytics.Core.Cluster;
using RetentionAnalytics.Core.Demo;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;
using RetentionAnalytics.Portal.Features.Access;
using RetentionAnalytics.Portal.Features.Cluster;
using RetentionAnalytics.Portal.Features.Pipeline;

namespace RetentionAnalytics.Portal.Features.Scheduling;

/// <summary>
/// What a start owes the warehouse, at most one pipeline run: the sample province on the first start of an empty
/// warehouse (trigger 'startup'), otherwise the nightly run if it was missed while the portal was down
/// ('catch_up'). Runs in the background: the portal answers HTTP (and shows the progress) meanwhile. In demo mode the
/// seeded warehouse is marked as a demo first, so the seed run also makes the sample's past campaigns.
/// With several nodes the same is owed each time this node becomes the writer, and first the runs the previous writer
/// left 'running' are marked interrupted; a pipeline run among them is started again here ('recovery').
/// </summary>
public sealed class StartupRuns(
    Db db, JobRuns runs, PipelineRunner runner, EtlOptions options, AuthOptions auth, DemoWarehouse demo, DemoOptions demoOptions,
    WriterRole role, IServiceProvider services, ILogger<StartupRuns> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        try
        {
            if (!role.IsClustered)
            {
                await RunOwedAsync(interrupted: [], stoppingToken);
                return;
            }
            while (!stoppingToken.IsCancellationRequested)
            {
                await role.WhenWriter(stoppingToken);
                var term = role.Term;
                try
                {
                    // the run starts again on this node's copy of the newest published build, with the agents' work
                    // the previous writer journaled since that build
                    CatchUpWithPreviousWriter(stoppingToken);
                }
                finally
                {
                    role.CaughtUp(term);
                }
                var interrupted = runs.InterruptOthers(role.Node);
                foreach (var run in interrupted)
                {
                    log.LogWarning("Run {RunId} ({JobName}, {TriggerKind}) of the previous writer marked interrupted",
                        run.RunId, run.JobName, run.TriggerKind);
                }
                await RunOwedAsync(interrupted, stoppingToken);
                await role.WhenNoLongerWriter(term, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void CatchUpWithPreviousWriter(CancellationToken ct)
    {
        if (services.GetService<WarehouseSnapshots>() is not { } snapshots)
        {
            return;
        }
        // rows this node's file still owes (work saved while PostgreSQL was out of reach, before it restarted) are in no
        // build: written before a newer build replaces the file, so the catch-up below finds them as written since
        var journal = services.GetService<AgentJournal>();
        while (journal is { Owes: true } && snapshots.Current is { } newer && newer != snapshots.Held && role.IsWriter)
        {
            ct.ThrowIfCancellationRequested();
            try
            {
                journal.SettleOwed(WarehouseSnapshots.PublishedAtUtc(snapshots.Held) - AgentJournal.ClockMargin);
                journal.PayOwed();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning("Owed journal rows not written yet ({ExceptionType}): build {Build} waits for them", ex.GetType().FullName, newer);
                ct.WaitHandle.WaitOne(TimeSpan.FromSeconds(2));
            }
        }
        // a reader's long query on the standby may hold the file past the drain: the new writer waits for the newest
        // build rather than run and publish on an older one
        while (!snapshots.Follow(TimeSpan.FromSeconds(60)) && snapshots.Current is { } newest && newest != snapshots.Held && role.IsWriter)
        {
            ct.ThrowIfCancellationRequested();
            log.LogWarning("Build {Build} not adopted yet: connections stayed open past the drain; trying again", newest);
        }
        // the teams and agents of the operational database, before the journal: an administrator's change on the previous
        // writer since the build (an agent's team and capacity decide what the agent's journaled claims may take)
        try
        {
            var (teams, agents) = services.GetRequiredService<TeamRecords>().Restore();
            log.LogInformation("Teams and agents restored from the operational database: {Teams} team(s), {Agents} agent(s)", teams, agents);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.LogWarning("Teams and agents stay those of the build: the operational database is out of reach ({ExceptionType})", ex.GetType().Name);
        }
        if (journal is not null)
        {
            var published = WarehouseSnapshots.PublishedAtUtc(snapshots.Held);
            try
            {
                // the clocks' margin: a row kept that the build holds is applied again harmlessly, one dropped would be lost
                if (journal.SettleOwed(published - AgentJournal.ClockMargin) is > 0 and var held)
                {
                    log.LogInformation("{Count} journal row(s) the previous writer owed are in build {Build}", held, snapshots.Held);
                }
                // this node's own owed rows (none, mostly) before it journals anything new
                journal.PayOwed();
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // the writer's next look tries again
                log.LogWarning("Owed journal rows of build {Build} not settled or written yet ({ExceptionType})", snapshots.Held, ex.GetType().FullName);
            }
            journal.Replay(services.GetRequiredService<AgentWorkbench>(), published is { } at ? at - AgentJournal.ClockMargin : DateTime.MinValue);
        }
        // the scenario catalogue of the build, with the switches and custom rules made on the previous writer since
        try
        {
            services.GetRequiredService<DetectorRunner>().Sync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // the operational database out of reach for a moment: the next detection run writes the catalogue again
            log.LogWarning("The scenario catalogue stays that of the build until the next detection run ({ExceptionType})", ex.GetType().Name);
        }
    }

    private async Task RunOwedAsync(IReadOnlyList<JobRun> interrupted, CancellationToken stoppingToken)
    {
        // a demo seed stopped before its end is taken up again: loading skips the files already in
        if (WarehouseIsEmpty() || demo.State() is { HistorySeededAt: null })
        {
            await SeedAsync(stoppingToken);
            // The seed is this start's pipeline run; a catch-up over the inbox right behind it adds nothing.
            return;
        }
        if (interrupted.FirstOrDefault(r => r.JobName is PipelineRunner.DailyJob or PipelineRunner.InboxPollJob) is { } cut)
        {
            log.LogInformation("Run {RunId} was cut off with the previous writer; running the pipeline again", cut.RunId);
            await runner.RunWhenFreeAsync(PipelineRunner.DailyJob, "recovery", options.Inbox, stoppingToken);
            return;
        }
        if (CatchUp.IsDue(CronExpression.Parse(options.DailyCron), DateTimeOffset.Now,
                runs.LastSucceededAt(PipelineRunner.DailyJob)))
        {
            log.LogInformation("The nightly pipeline was missed; catching up once");
            await runner.RunWhenFreeAsync(PipelineRunner.DailyJob, "catch_up", options.Inbox, stoppingToken);
        }
    }

    private bool WarehouseIsEmpty()
    {
        using var c = db.Connect();
        return c.ExecuteScalar<long>(db.Sql.Get("portal/startup_loaded_files.sql")) == 0;
    }

    private async Task SeedAsync(CancellationToken ct)
    {
        if (!Directory.Exists(options.SeedFolder))
        {
            log.LogWarning("The warehouse is empty and the sample folder {SeedFolder} does not exist; nothing seeded",
                options.SeedFolder);
            return;
        }
        if (auth.DemoMode)
        {
            demo.Mark("portal", demoOptions.HistoryMonths);
        }
        var demoState = demo.State();
        log.LogInformation("Seeding the sample province from {SeedFolder} (demo: {Demo})", options.SeedFolder, demoState is not null);
        // a resumed demo seed runs the steps even when every file is already in
        await runner.RunWhenFreeAsync(PipelineRunner.DailyJob, "startup", options.SeedFolder, ct, rebuild: demoState is not null);
    }
}
