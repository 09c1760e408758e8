using Dapper;
using Npgsql;
using RetentionAnalytics.Core.Cubes;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Cubes;

/// <summary>
/// Saved cube views with the operational data in the warehouse file (here: two services on one file) or in PostgreSQL
/// (<see cref="CubeViewTestsOnPostgres"/>: two portal nodes, each with its own warehouse file, sharing one database).
/// </summary>
public class CubeViewTests : TwoNodes
{
    private static readonly CubeCatalog Catalog = CubeCatalog.LoadFolder(Path.Combine(PortalHost.RepositoryRoot, "reports", "cubes"));

    private static readonly PivotRequest ChurnByCity = new("subscriber_month", [new AxisLevel("region", "city")],
        [new AxisLevel("time", "month")], ["churned", "churn_rate"], [new MemberFilter("time", "year", ["2026"])],
        new TopN(0, 5, "churned"), new PivotSort("churned", Descending: true));

    /// <summary>The view service of the first and of the second node.</summary>
    protected CubeViews A { get; }
    protected CubeViews B { get; }

    public CubeViewTests() : this(null)
    {
    }

    protected CubeViewTests(OpsOptions? ops) : base(ops)
    {
        A = new CubeViews(First.Db, Catalog);
        B = new CubeViews(Second.Db, Catalog);
    }

    [SkippableFact]
    public void A_view_saved_on_one_node_opens_on_the_other_with_the_same_request_and_only_its_owner_changes_it()
    {
        var id = A.Save("analyst", "  Churn by city  ", ChurnByCity);

        var opened = B.Open(id, "analyst");
        Assert.Equal(("analyst", "Churn by city", false, "subscriber_month"), (opened.Owner, opened.Name, opened.Shared, opened.CubeId));
        Assert.Equal(CubeViews.Serialize(ChurnByCity), CubeViews.Serialize(opened.Request));
        Assert.Equal(ChurnByCity.Top, opened.Request.Top);
        Assert.Equal(ChurnByCity.Sort, opened.Request.Sort);
        Assert.Equal(["2026"], opened.Request.FilterList.Single().Members);

        // private: invisible to everyone else, and nobody else changes it on either node
        Assert.DoesNotContain(B.List("manager.nb"), v => v.ViewId == id);
        Assert.Throws<UnauthorizedAccessException>(() => B.Open(id, "manager.nb"));
        Assert.Throws<UnauthorizedAccessException>(() => B.Rename(id, "manager.nb", "mine now"));
        Assert.Throws<UnauthorizedAccessException>(() => A.SetShared(id, "manager.nb", true));
        Assert.Throws<UnauthorizedAccessException>(() => B.Update(id, "manager.nb", ChurnByCity with { Measures = ["churned"] }));
        Assert.Throws<UnauthorizedAccessException>(() => A.Delete(id, "manager.nb"));
        Assert.Equal(("Churn by city", false), (A.Open(id, "analyst").Name, A.Open(id, "analyst").Shared));

        // the owner changes it on one node, the other node reads the change
        A.Update(id, "analyst", ChurnByCity with { Measures = ["churned"], Top = null });
        B.Rename(id, "analyst", "Churned by city");
        B.SetShared(id, "analyst", true);
        var shared = A.Open(id, "manager.nb");
        Assert.Equal(("Churned by city", true), (shared.Name, shared.Shared));
        Assert.Equal(["churned"], shared.Request.Measures);
        Assert.Null(shared.Request.Top);
        Assert.True(shared.UpdatedAt >= shared.CreatedAt);
        Assert.Contains(A.List("manager.nb"), v => v.ViewId == id);

        A.SetShared(id, "analyst", false);
        Assert.DoesNotContain(B.List("manager.nb"), v => v.ViewId == id);
        Assert.Throws<UnauthorizedAccessException>(() => B.Open(id, "manager.nb"));

        B.Delete(id, "analyst");
        Assert.Throws<KeyNotFoundException>(() => A.Open(id, "analyst"));
        Assert.Throws<KeyNotFoundException>(() => A.Rename(id, "analyst", "gone"));
        Assert.DoesNotContain(A.List("analyst"), v => v.ViewId == id);
    }

    [SkippableFact]
    public void A_user_lists_their_own_views_and_the_shared_ones_by_name_and_names_are_unique_per_owner()
    {
        var zebra = A.Save("analyst", "zebra", ChurnByCity);
        var apple = B.Save("analyst", "Apple", ChurnByCity);
        var sharedByOther = A.Save("leader", "Mango", ChurnByCity, shared: true);
        var privateOfOther = B.Save("leader", "Banana", ChurnByCity);

        Assert.Equal([apple, sharedByOther, zebra], B.List("analyst").Select(v => v.ViewId));
        Assert.Equal([privateOfOther, sharedByOther], A.List("leader").Select(v => v.ViewId));

        // the same name again, on either node, is refused for the owner and free for anybody else
        Assert.Throws<CubeRequestException>(() => B.Save("analyst", "zebra", ChurnByCity));
        Assert.Throws<CubeRequestException>(() => A.Rename(apple, "analyst", " zebra "));
        var othersZebra = B.Save("leader", "zebra", ChurnByCity);
        A.Rename(apple, "analyst", "Apple");
        Assert.Equal(["Apple", "Mango", "zebra"], A.List("analyst").Select(v => v.Name));
        Assert.NotEqual(zebra, othersZebra);

        // what a user can type never gets further than a refusal
        Assert.Throws<CubeRequestException>(() => A.Save("analyst", "   ", ChurnByCity));
        Assert.Throws<CubeRequestException>(() => A.Save("analyst", new string('x', CubeViews.MaxNameLength + 1), ChurnByCity));
        Assert.Throws<KeyNotFoundException>(() => A.Save("analyst", "Unknown cube", ChurnByCity with { Cube = "no_such_cube" }));
        Assert.Throws<KeyNotFoundException>(() => B.Open(long.MaxValue, "analyst"));
        var quoted = A.Save("analyst", "it's \"quoted\" -- $name", ChurnByCity);
        Assert.Equal("it's \"quoted\" -- $name", B.Open(quoted, "analyst").Name);
    }
}

/// <summary>The same views with the operational data in a real PostgreSQL that two nodes share.</summary>
[Collection(PostgresCollection.Name)]
public sealed class CubeViewTestsOnPostgres(PostgresServer postgres) : CubeViewTests(postgres.NewOps())
{
    [SkippableFact]
    public void The_views_live_in_PostgreSQL_not_in_either_nodes_file()
    {
        var id = A.Save("analyst", "Churn", new PivotRequest("subscriber_month", [new AxisLevel("region", "city")], [], ["churned"]));

        Assert.Equal(1L, First.OpsScalar<long>("select count(*) from ops.cube_view where view_id = $id", new { id }));
        Assert.Equal(0L, First.Scalar<long>("select count(*) from ops.cube_view"));
        Assert.Equal(0L, Second.Scalar<long>("select count(*) from ops.cube_view"));
    }

    [SkippableFact]
    public void A_name_another_node_saves_for_the_same_owner_at_the_same_moment_is_refused_once_that_node_commits()
    {
        var request = new PivotRequest("subscriber_month", [new AxisLevel("region", "city")], [], ["churned"]);
        var renamed = A.Save("analyst", "Draft", request);
        var connectionString = First.Db.Ops.Options.ConnectionString!;
        using var otherNode = new NpgsqlConnection(connectionString);
        otherNode.Open();

        // the other node's insert is not committed yet when this node checks the name, and is when this node writes
        foreach (var (name, write) in new (string, Action)[]
                 {
                     ("Same name", () => B.Save("analyst", "Same name", request)),
                     ("Renamed", () => B.Rename(renamed, "analyst", "Renamed")),
                 })
        {
            using (var tx = otherNode.BeginTransaction())
            {
                otherNode.Execute("""
                    insert into ops.cube_view (view_id, owner, name, shared, cube_id, request_json, created_at, updated_at)
                    values (nextval('ops.cube_view_id_seq'), 'analyst', @name, false, 'subscriber_month', @json, now(), now())
                    """, new { name, json = CubeViews.Serialize(request) }, tx);
                var mine = Task.Factory.StartNew(write, TaskCreationOptions.LongRunning);
                PostgresWaits.UntilWaitingForALock(connectionString, mine);
                tx.Commit();
                Assert.Throws<CubeRequestException>(() => mine.GetAwaiter().GetResult());
            }
            Assert.Single(A.List("analyst"), v => v.Name == name);
        }
        Assert.Equal("Draft", A.Open(renamed, "analyst").Name);
    }
}
