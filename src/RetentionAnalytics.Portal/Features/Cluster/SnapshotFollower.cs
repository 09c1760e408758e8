using RetentionAnalytics.Core.Cluster;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Portal.Features.Cluster;

/// <summary>
/// On a node that is not the writer: every <see cref="ClusterOptions.FollowSeconds"/>, a newer published build replaces
/// the node's file (<see cref="WarehouseSnapshots.Follow"/>), so its reports show what the writer last built; a former
/// writer first writes the journal rows its file still owes, and keeps its file until it has. On the writer: the rows its
/// own file owes the operational database are written once it answers (<see cref="AgentJournal.PayOwed"/>), and rows a
/// former writer wrote late are applied to its file (<see cref="AgentJournal.ReplayLate"/>).
/// </summary>
public sealed class SnapshotFollower(
    WarehouseSnapshots snapshots, WriterRole role, AgentJournal journal, AgentWorkbench workbench, ClusterOptions options, ILogger<SnapshotFollower> log)
    : BackgroundService
{
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.FollowSeconds));
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (role.IsWriter)
                {
                    // the writer's own file is the newest build
                    if (role.IsCaughtUpWriter)
                    {
                        TryPayOwed();
                        ReplayLate();
                    }
                    continue;
                }
                // the rows a former writer's file owes are in no build: written before the file gives way to one
                if (journal.Owes && !TryPayOwed())
                {
                    continue;
                }
                try
                {
                    await Task.Run(() => snapshots.Follow(Drain), stoppingToken);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or TimeoutException)
                {
                    log.LogWarning("Snapshot not adopted: {ExceptionType}; tried again shortly", ex.GetType().FullName);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private bool TryPayOwed()
    {
        try
        {
            journal.PayOwed();
            return !journal.Owes;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // the operational database still out of reach: the rows stay owed (their warning was logged when they were kept)
            log.LogDebug("Owed journal rows not written yet: {ExceptionType}", ex.GetType().FullName);
            return false;
        }
    }

    private void ReplayLate()
    {
        try
        {
            journal.ReplayLate(workbench);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // the next look reads them again from where this one started
            log.LogDebug("Late journal rows not read: {ExceptionType}", ex.GetType().FullName);
        }
    }
}
