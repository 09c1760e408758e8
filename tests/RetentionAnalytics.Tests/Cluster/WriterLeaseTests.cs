using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using RetentionAnalytics.Core.Cluster;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Cluster;

/// <summary>
/// The writer lease on a real PostgreSQL and the snapshots on real DuckDB files: one writer at a time, taken over only
/// once it expired, and a node that follows gets exactly what the writer built.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class WriterLeaseTests(PostgresServer postgres)
{
    [SkippableFact]
    public void One_node_holds_the_lease_until_it_expires_or_is_given_up_then_another_takes_it_with_a_new_term()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        using var one = new TestWarehouse(ops: ops);
        using var two = new TestWarehouse(ops: ops);
        var node1 = new WriterLease(one.Db, new ClusterOptions { Node = "node1", LeaseSeconds = 2, RenewSeconds = 0.5 });
        var node2 = new WriterLease(two.Db, new ClusterOptions { Node = "node2", LeaseSeconds = 2, RenewSeconds = 0.5 });

        Assert.Equal(1, node1.Claim(out var valid));
        Assert.True(valid > TimeSpan.Zero && valid < TimeSpan.FromSeconds(1.5), "held locally for less than the lease");
        Assert.Null(node2.Claim(out _));
        Assert.Equal(1, node1.Claim(out _));
        Assert.Equal(("node1", true), (node2.Holder()!.Holder, node2.Holder()!.Live));

        // node1 stops renewing (killed): node2 gets the lease only once it expired
        Thread.Sleep(TimeSpan.FromSeconds(2.3));
        Assert.Equal(2, node2.Claim(out _));
        Assert.Null(node1.Claim(out _));

        // a node that stops gives it up: the other takes it at its next claim, without waiting for the expiry
        node2.Release();
        Assert.Equal(3, node1.Claim(out _));
        Assert.Equal("node1", node1.Holder()!.Holder);
    }

    [Fact]
    public void A_follower_gets_the_build_the_writer_published_and_a_node_that_starts_opens_it()
    {
        using var writer = new TestWarehouse();
        using var follower = new TestWarehouse();
        var snapshots = Path.Combine(writer.Folder, "snapshots");
        var options = new ClusterOptions { Node = "node1", SnapshotFolder = snapshots };
        using (var c = writer.Db.Connect())
        {
            c.Execute("create table main.built as select range as n from range(1000)");
        }
        // a churn model the build names travels with it
        Directory.CreateDirectory(Path.Combine(writer.Folder, "models"));
        File.WriteAllText(Path.Combine(writer.Folder, "models", "churn-x.zip"), "model");

        var build = new WarehouseSnapshots(writer.Db, options, NullLogger<WarehouseSnapshots>.Instance).Publish(TimeSpan.FromSeconds(10));
        Assert.Equal(build, File.ReadAllText(Path.Combine(snapshots, WarehouseSnapshots.Pointer)));

        var following = new WarehouseSnapshots(follower.Db, options, NullLogger<WarehouseSnapshots>.Instance);
        Assert.True(following.Follow(TimeSpan.FromSeconds(10)));
        Assert.Equal(build, following.Held);
        Assert.Equal(499_500, follower.Scalar<long>("select cast(sum(n) as bigint) from main.built"));
        Assert.Equal("model", File.ReadAllText(Path.Combine(follower.Folder, "models", "churn-x.zip")));
        Assert.False(following.Follow(TimeSpan.FromSeconds(10)), "nothing newer: the file stays");

        // a new node starts on the newest build before it opens its file
        var fresh = Path.Combine(follower.Folder, "node3", "warehouse.duckdb");
        Assert.True(WarehouseSnapshots.AdoptAtStart(fresh, snapshots, writer.Db.Sql));
        using (var started = Db.Open(new WarehouseOptions { DatabasePath = fresh }))
        using (var c2 = started.Connect())
        {
            Assert.Equal(1000, c2.ExecuteScalar<long>("select count(*) from main.built"));
        }
        Assert.False(WarehouseSnapshots.AdoptAtStart(fresh, snapshots, writer.Db.Sql), "already on the newest build: the file stays");
        Assert.False(WarehouseSnapshots.AdoptAtStart(fresh + ".other", Path.Combine(writer.Folder, "none"), writer.Db.Sql), "nothing published: nothing adopted");
    }
}
