namespace RetentionAnalytics.Core.Cluster;

/// <summary>
/// Several portal nodes (the <c>Cluster</c> section; only with <c>Ops:Provider=postgres</c>): which node this is, how
/// long the writer lease lasts, and the folder every node can read where the writer publishes warehouse snapshots.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>This node's name as operators read it (job runs, the lease); the machine's name by default.</summary>
    public string Node { get; set; } = Environment.MachineName;

    /// <summary>Shared folder of published snapshots (<c>snapshots/&lt;build&gt;.duckdb</c> and <c>current</c>); empty: none.</summary>
    public string? SnapshotFolder { get; set; }

    /// <summary>A writer that has not renewed for this long is taken over by another node.</summary>
    public double LeaseSeconds { get; set; } = 10;

    /// <summary>How often the writer renews (and the others try to take over): well under <see cref="LeaseSeconds"/>.</summary>
    public double RenewSeconds { get; set; } = 2;

    /// <summary>How often a node that is not the writer looks for a newer snapshot.</summary>
    public double FollowSeconds { get; set; } = 2;

    /// <summary>Published snapshots kept besides the current one (a node may still be copying the previous one).</summary>
    public int KeepSnapshots { get; set; } = 2;

    /// <summary>
    /// A node that is not the writer is a hot standby: it answers every request but <c>/healthz</c> with 503, so the
    /// load balancer sends it to the writer. True while tasks, outcomes, callbacks, inbound calls and campaigns live in
    /// each node's warehouse file (a build the writer publishes would overwrite what a user saved on another node);
    /// the port of the last of them to PostgreSQL sets this default to false, and every node serves.
    /// </summary>
    public bool HotStandby { get; set; } = true;

    /// <summary>
    /// With the hot standby, a node that is not the writer still serves users whose every role only reads (provincial
    /// leader, city manager, analyst, general user): reports, cubes, customer pages and materials from the last build
    /// it holds. What these roles save (cube views, subscriptions, custom rules) is in PostgreSQL; they write nothing to
    /// the node's file. Everyone else is sent on to the writer (503).
    /// </summary>
    public bool StandbyServesReading { get; set; } = true;

    public bool PublishesSnapshots => !string.IsNullOrWhiteSpace(SnapshotFolder);

    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Node))
        {
            throw new InvalidOperationException("Cluster:Node is empty.");
        }
        if (LeaseSeconds <= 0 || RenewSeconds <= 0 || RenewSeconds * 2 > LeaseSeconds)
        {
            throw new InvalidOperationException(
                $"Cluster:RenewSeconds ({RenewSeconds}) must be positive and at most half of Cluster:LeaseSeconds ({LeaseSeconds}).");
        }
    }
}
