using RetentionAnalytics.Core.Cluster;
using RetentionAnalytics.Core.Workbench;

namespace RetentionAnalytics.Portal.Features.Cluster;

/// <summary>
/// On a node that is not the writer: every <see cref="ClusterOptions.FollowSeconds"/>, a newer published build replaces
/// the node's file (<see cref="WarehouseSnapshots.Follow"/>), so its reports show what the writer last built. On the
/// writer: the journal rows its file owes the operational database are written once it answers (<see cref="AgentJournal.PayOwed"/>).
/// </summary>
public sealed class SnapshotFollower(WarehouseSnapshots snapshots, WriterRole role, AgentJournal journal, ClusterOptions options, ILogger<SnapshotFollower> log)
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
                    PayOwed();
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

    private void PayOwed()
    {
        if (!role.IsCaughtUpWriter)
        {
            return;
        }
        try
        {
            journal.PayOwed();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // the operational database still out of reach: the rows stay owed (their warning was logged when they were kept)
            log.LogDebug("Owed journal rows not written yet: {ExceptionType}", ex.GetType().FullName);
        }
    }
}
