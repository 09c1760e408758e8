using Dapper;
using Microsoft.Playwright;
using Npgsql;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Cluster;

/// <summary>
/// A node that is not the writer (another node holds the lease) starts no pipeline: "run now" on the operations and the
/// schedules page says, in the reader's language, which node runs it, and no run is recorded. The pages are those of
/// a node that serves without being the writer (<c>Cluster:HotStandby=false</c>, once every operational table is on
/// PostgreSQL); with the hot standby the node answers 503 naming the writer, and its health endpoint says standby.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class NonWriterNodeBrowserTests(PostgresServer postgres)
{
    /// <summary>A new ops database with its schema, and a live writer elsewhere (node0) for the next hour.</summary>
    private async Task<string> OpsWithWriterElsewhere()
    {
        postgres.SkipUnlessAvailable();
        var ops = postgres.CreateDatabase();
        using (new TestWarehouse(ops: new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = ops }))
        await using (var pg = new NpgsqlConnection(ops))
        {
            await pg.ExecuteAsync("""
                insert into ops.writer_lease
                values ('writer', 'node0', 'node0:1:a', 1, now() at time zone 'utc', now() at time zone 'utc', now() at time zone 'utc' + interval '1 hour')
                """);
        }
        return ops;
    }
    [SkippableFact]
    public async Task Run_now_on_a_node_that_is_not_the_writer_names_the_writer_and_starts_nothing()
    {
        var ops = await OpsWithWriterElsewhere();
        var portal = new PortalHost
        {
            WaitForSeed = false,
            Environment =
            {
                ["Ops__Provider"] = "postgres", ["Ops__ConnectionString"] = ops, ["Cluster__Node"] = "node9", ["Cluster__HotStandby"] = "false",
            },
        };
        var (playwright, browser) = await Browser.LaunchAsync();
        try
        {
            await portal.InitializeAsync();
            var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 } });
            await PortalSignIn.SignInAsync(page, portal.BaseAddress, "admin");
            var expected = new Dictionary<string, string>
            {
                ["en"] = "The pipeline runs on the writer node (node0); this is node9.",
                ["de"] = "Die Pipeline läuft auf dem schreibenden Knoten (node0); dies ist node9.",
                ["zh-Hans"] = "数据处理在写入节点（node0）上运行；当前节点是 node9。",
            };
            foreach (var (culture, text) in expected)
            {
                await page.GotoAsync(new Uri(portal.BaseAddress, $"culture/set?culture={culture}&redirectUri=/operations").ToString());
                await Assertions.Expect(page.Locator("#run-pipeline")).ToBeEnabledAsync(new() { Timeout = 30_000 });
                await page.Locator("#run-pipeline").ClickAsync();
                await Assertions.Expect(page.Locator(".rz-alert").Filter(new() { HasText = "node0" })).ToContainTextAsync(text);
                await Screenshot(page, $"operations-not-writer-{culture}-1366.png");

                await page.GotoAsync(new Uri(portal.BaseAddress, "admin/schedules").ToString());
                await Assertions.Expect(page.Locator("#schedules-run-pipeline")).ToBeEnabledAsync(new() { Timeout = 30_000 });
                await page.Locator("#schedules-run-pipeline").ClickAsync();
                await Assertions.Expect(page.Locator(".rz-alert").Filter(new() { HasText = "node0" })).ToContainTextAsync(text);
                await Screenshot(page, $"schedules-not-writer-{culture}-1366.png");
            }
            await using var check = new NpgsqlConnection(ops);
            Assert.Equal(0, await check.ExecuteScalarAsync<long>("select count(*) from meta.job_run"));
            Assert.Equal("node0", await check.ExecuteScalarAsync<string>("select holder from ops.writer_lease"));
            Assert.Equal(3, await check.ExecuteScalarAsync<long>(
                "select count(*) from ops.audit_log where action = 'pipeline_run' and detail = 'refused_not_writer'"));
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
            await portal.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task A_node_that_is_not_the_writer_is_a_hot_standby_naming_the_writer_in_the_readers_language()
    {
        var ops = await OpsWithWriterElsewhere();
        await using var portal = new PortalHost
        {
            WaitForSeed = false,
            Environment = { ["Ops__Provider"] = "postgres", ["Ops__ConnectionString"] = ops, ["Cluster__Node"] = "node9" },
        };
        await portal.InitializeAsync();
        using var http = new HttpClient { BaseAddress = portal.BaseAddress };
        // the lease keeper has looked at the lease once it names the writer
        var expected = new Dictionary<string, string>
        {
            ["en"] = "Node node9 is on standby; the writer is node0.",
            ["de"] = "Knoten node9 ist in Bereitschaft; der schreibende Knoten ist node0.",
            ["zh-Hans"] = "节点 node9 处于待机状态；写入节点是 node0。",
        };
        foreach (var (culture, text) in expected)
        {
            foreach (var (method, path) in new[] { (HttpMethod.Get, "account/signin"), (HttpMethod.Post, "api/my-tasks/1/outcome") })
            {
                string body = "";
                for (var i = 0; i < 50 && !body.Contains("node0", StringComparison.Ordinal); i++)
                {
                    using var request = new HttpRequestMessage(method, path);
                    request.Headers.Add("Cookie", $".AspNetCore.Culture=c={culture}|uic={culture}");
                    using var refused = await http.SendAsync(request);
                    Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, refused.StatusCode);
                    Assert.Equal(TimeSpan.FromSeconds(5), refused.Headers.RetryAfter?.Delta);
                    Assert.Equal("node9", refused.Headers.GetValues("X-RA-Node").Single());
                    body = await refused.Content.ReadAsStringAsync();
                    await Task.Delay(100);
                }
                Assert.StartsWith(text, body, StringComparison.Ordinal);
            }
        }
        using var health = System.Text.Json.JsonDocument.Parse(await http.GetStringAsync("healthz"));
        Assert.Equal(("standby", "node9"), (health.RootElement.GetProperty("role").GetString(), health.RootElement.GetProperty("node").GetString()));
    }

    private static async Task Screenshot(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("RA_SCREENSHOTS") is { Length: > 0 } folder)
        {
            Directory.CreateDirectory(folder);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, name) });
        }
    }
}
