using System.Diagnostics;
using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Core.Cluster;

/// <summary>The lease's row; its times are the database's clock in UTC (not the province's wall clock).</summary>
public sealed record LeaseHolder(string Holder, string Instance, long Term, DateTime AcquiredAt, DateTime ExpiresAt, bool Live);

/// <summary>
/// The writer lease on PostgreSQL (<c>ops.writer_lease</c>): one row with the holder and an expiry the holder renews,
/// on the database's clock in UTC whatever zone a session keeps. A node that finds it expired takes it over. The holder counts itself the writer only until its own last renewal
/// plus the lease time less one renewal interval, measured on its own monotonic clock, so that it stops writing
/// before another node can take over even when the database is out of reach.
/// </summary>
public sealed class WriterLease(Db db, ClusterOptions options)
{
    /// <summary>One process of this node: a node that is restarted takes the lease as a new holder.</summary>
    public string Instance { get; } = $"{options.Node}:{Environment.ProcessId}:{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>Renews or takes the lease; the term while held, null when another live instance holds it.</summary>
    public long? Claim(out TimeSpan validFor)
    {
        var started = Stopwatch.GetTimestamp();
        using var c = db.Ops.Connect();
        var term = c.QuerySingleOrDefault<long?>(db.Ops.Sql.Get("cluster/lease_claim.sql"),
            new { holder = options.Node, instance = Instance, seconds = options.LeaseSeconds });
        // from when the claim was sent: the database's expiry is at least that far away
        validFor = TimeSpan.FromSeconds(options.LeaseSeconds - options.RenewSeconds) - Stopwatch.GetElapsedTime(started);
        return term;
    }

    /// <summary>Gives the lease up (a node that stops), so another node takes over at its next claim.</summary>
    public void Release()
    {
        using var c = db.Ops.Connect();
        c.Execute(db.Ops.Sql.Get("cluster/lease_release.sql"), new { instance = Instance });
    }

    public LeaseHolder? Holder()
    {
        using var c = db.Ops.Connect();
        return c.QuerySingleOrDefault<LeaseHolder>(db.Ops.Sql.Get("cluster/lease_holder.sql"));
    }
}
