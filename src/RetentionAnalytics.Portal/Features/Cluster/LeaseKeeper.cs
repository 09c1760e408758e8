using RetentionAnalytics.Core.Cluster;

namespace RetentionAnalytics.Portal.Features.Cluster;

/// <summary>
/// Claims the writer lease every <see cref="ClusterOptions.RenewSeconds"/>: the writer renews it, the other nodes take
/// it over once it has expired (the writer was killed or cut off). Gives it up when the node stops.
/// </summary>
public sealed class LeaseKeeper(WriterLease lease, WriterRole role, ClusterOptions options, ILogger<LeaseKeeper> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.RenewSeconds));
        try
        {
            do
            {
                Claim();
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void Claim()
    {
        try
        {
            if (lease.Claim(out var validFor) is { } term)
            {
                if (role.Renewed(validFor))
                {
                    log.LogInformation("Node {Node} is the writer (lease term {Term})", options.Node, term);
                }
                return;
            }
            var holder = lease.Holder()?.Holder;
            if (role.IsWriter)
            {
                log.LogWarning("Node {Node} is no longer the writer; {Holder} holds the lease", options.Node, holder);
            }
            role.Lost(holder);
        }
        catch (Exception ex)
        {
            // the database out of reach: the role runs out on this node's clock before another node can take over
            log.LogWarning("Writer lease not claimed: {ExceptionType}", ex.GetType().FullName);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (role.IsWriter)
        {
            try
            {
                lease.Release();
                role.Lost(null);
                log.LogInformation("Node {Node} gave up the writer lease", options.Node);
            }
            catch (Exception ex)
            {
                log.LogWarning("Writer lease not released: {ExceptionType}; another node takes over when it expires", ex.GetType().FullName);
            }
        }
    }
}
