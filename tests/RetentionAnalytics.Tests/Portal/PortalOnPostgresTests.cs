using System.Net;
using Dapper;
using Npgsql;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Cubes;
using RetentionAnalytics.Core.Materials;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Portal;

/// <summary>
/// The real portal process with <c>Ops:Provider=postgres</c>: the demo accounts, sessions, the audit trail and the
/// sign-in throttle are on the PostgreSQL server, and people sign in and work as with the default provider.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PortalOnPostgresTests(PostgresServer postgres)
{
    [SkippableFact]
    public async Task Sign_in_sessions_audit_and_throttle_of_a_portal_live_on_PostgreSQL()
    {
        postgres.SkipUnlessAvailable();
        var ops = postgres.CreateDatabase();
        var portal = new PortalHost
        {
            WaitForSeed = false,
            Environment = { ["Ops__Provider"] = "postgres", ["Ops__ConnectionString"] = ops },
        };
        try
        {
            await portal.InitializeAsync();
            await Work(portal, ops);
        }
        finally
        {
            await portal.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task A_cookie_issued_by_one_node_is_accepted_by_another_sharing_the_PostgreSQL_key_ring()
    {
        postgres.SkipUnlessAvailable();
        var ops = postgres.CreateDatabase();
        // two nodes, each with its own warehouse file, sharing the ops database; both serve (no hot standby), as they will
        // once every operational table is on PostgreSQL -- with the standby the cookie meets the other node after a fail-over
        PortalHost Node() => new()
        {
            WaitForSeed = false,
            Environment = { ["Ops__Provider"] = "postgres", ["Ops__ConnectionString"] = ops, ["Cluster__HotStandby"] = "false" },
        };
        var nodeA = Node();
        var nodeB = Node();
        try
        {
            await nodeA.InitializeAsync();
            await nodeB.InitializeAsync();

            var cookies = new CookieContainer();
            using (var signIn = PortalSignIn.NewClient(nodeA.BaseAddress, cookies: cookies))
            using (var signedIn = await PortalSignIn.PostSignInAsync(signIn, "admin", PortalSignIn.DemoPassword))
            {
                Assert.DoesNotContain("error=", signedIn.Headers.Location?.OriginalString);
            }
            // the same cookie, presented to the other node (as a load balancer would after a fail-over)
            var cookie = cookies.GetCookieHeader(nodeA.BaseAddress);
            Assert.False(string.IsNullOrEmpty(cookie));
            using var onB = PortalSignIn.NewClient(nodeB.BaseAddress);
            using var request = new HttpRequestMessage(HttpMethod.Get, "admin/users");
            request.Headers.Add("Cookie", cookie);
            using var page = await onB.SendAsync(request);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);

            // the key ring the cookie was protected with is on the server, where a node on another machine reads it
            await using var pg = new NpgsqlConnection(ops);
            Assert.True(await pg.ExecuteScalarAsync<long>("select count(*) from ops.data_protection_key") >= 1);

            // a signed-out session is refused by both nodes
            using var anonymous = PortalSignIn.NewClient(nodeB.BaseAddress);
            using var refused = await anonymous.GetAsync("admin/users");
            Assert.NotEqual(HttpStatusCode.OK, refused.StatusCode);
        }
        finally
        {
            await nodeA.DisposeAsync();
            await nodeB.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task Materials_and_saved_Cube_views_written_by_another_node_are_served_by_a_portal_on_PostgreSQL()
    {
        postgres.SkipUnlessAvailable();
        var ops = postgres.CreateDatabase();
        var portal = new PortalHost
        {
            WaitForSeed = false,
            Environment = { ["Ops__Provider"] = "postgres", ["Ops__ConnectionString"] = ops, ["Cluster__HotStandby"] = "false" },
        };
        try
        {
            await portal.InitializeAsync();

            // another node (its own warehouse file, the same ops database) uploads a material and saves a private view
            Dapper.DefaultTypeMap.MatchNamesWithUnderscores = true;
            var file = Materials.MaterialSamples.Pdf(256 * 1024, seed: 7);
            using var otherNode = new TestWarehouse(ops: new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = ops });
            var library = new MaterialLibrary(otherNode.Db, new AuditLog(otherNode.Db), TimeProvider.System);
            var materialId = library.Upload(null, "Offer sheet", "offer_sheet", "offers.pdf", file, ["agent"], "supervisor.hz").MaterialId;
            var views = new CubeViews(otherNode.Db, CubeCatalog.LoadFolder(Path.Combine(PortalHost.RepositoryRoot, "reports", "cubes")));
            var viewId = views.Save("analyst", "Churn by city", new PivotRequest("subscriber_month", [new AxisLevel("region", "city")], [], ["churned"]));

            using (var agent = await PortalSignIn.SignedInAsync(portal.BaseAddress, "agent.hz1"))
            {
                using var download = await agent.GetAsync($"materials/{materialId}/1/download");
                Assert.Equal(HttpStatusCode.OK, download.StatusCode);
                Assert.Equal("application/pdf", download.Content.Headers.ContentType?.MediaType);
                Assert.Equal(file, await download.Content.ReadAsByteArrayAsync());
                using var noSuchVersion = await agent.GetAsync($"materials/{materialId}/2/download");
                Assert.Equal(HttpStatusCode.NotFound, noSuchVersion.StatusCode);
            }
            using (var analyst = await PortalSignIn.SignedInAsync(portal.BaseAddress, "analyst"))
            {
                // the material names agents only
                using var refused = await analyst.GetAsync($"materials/{materialId}/1/download");
                Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
                // the owner's view is found (the warehouse here holds no data yet: the export says so, it is not "no view")
                using var own = await analyst.GetAsync($"api/cubes/views/{viewId}/export?format=csv");
                Assert.Equal(HttpStatusCode.Conflict, own.StatusCode);
                using var none = await analyst.GetAsync($"api/cubes/views/{viewId + 1000}/export?format=csv");
                Assert.Equal(HttpStatusCode.NotFound, none.StatusCode);
            }
            using (var manager = await PortalSignIn.SignedInAsync(portal.BaseAddress, "manager.hz"))
            {
                using var privateView = await manager.GetAsync($"api/cubes/views/{viewId}/export?format=csv");
                Assert.Equal(HttpStatusCode.Forbidden, privateView.StatusCode);
                views.SetShared(viewId, "analyst", true);
                using var sharedView = await manager.GetAsync($"api/cubes/views/{viewId}/export?format=csv");
                Assert.Equal(HttpStatusCode.Conflict, sharedView.StatusCode);
            }

            await using var pg = new NpgsqlConnection(ops);
            // every download, served or refused, in the shared audit log
            Assert.Equal(["denied", "denied", "ok"], await pg.QueryAsync<string>(
                "select outcome from ops.audit_log where action = 'material_download' order by outcome"));
        }
        finally
        {
            await portal.DisposeAsync();
        }
    }

    private static async Task Work(PortalHost portal, string ops)
    {
        await using var pg = new NpgsqlConnection(ops);

        Assert.Equal(9, await pg.ExecuteScalarAsync<long>("select count(*) from ops.app_user where demo_seed"));

        using var admin = await PortalSignIn.SignedInAsync(portal.BaseAddress, "admin");
        foreach (var page in new[] { "admin/users", "admin/audit" })
        {
            using var shown = await admin.GetAsync(page);
            Assert.Equal(HttpStatusCode.OK, shown.StatusCode);
        }
        Assert.Equal(1, await pg.ExecuteScalarAsync<long>("select count(*) from ops.app_session where username = 'admin' and revoked_at is null"));
        Assert.Equal(1, await pg.ExecuteScalarAsync<long>("select count(*) from ops.audit_log where username = 'admin' and action = 'sign_in'"));

        // five wrong passwords lock the name, in the shared counters
        for (var i = 0; i < 5; i++)
        {
            using var stranger = PortalSignIn.NewClient(portal.BaseAddress);
            using var refused = await PortalSignIn.PostSignInAsync(stranger, "leader", "not-the-password");
            Assert.Contains("error=SignIn", refused.Headers.Location?.OriginalString);
        }
        Assert.True(await pg.ExecuteScalarAsync<bool>("select locked_until is not null from ops.sign_in_counter where counter_key = 'n:leader'"));
        using (var late = PortalSignIn.NewClient(portal.BaseAddress))
        using (var locked = await PortalSignIn.PostSignInAsync(late, "leader", PortalSignIn.DemoPassword))
        {
            Assert.Contains("error=SignInLocked", locked.Headers.Location?.OriginalString);
        }
        var failures = (await pg.QueryAsync<string>(
            "select detail from ops.audit_log where action = 'sign_in_failed' and username = 'leader' order by audit_id")).ToList();
        Assert.Equal([.. Enumerable.Repeat("wrong_password", 5), "locked"], failures);
    }
}
