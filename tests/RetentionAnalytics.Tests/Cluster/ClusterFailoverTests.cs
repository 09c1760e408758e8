using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using Dapper;
using Microsoft.Playwright;
using Npgsql;
using RetentionAnalytics.Tests.Support;
using Xunit.Abstractions;

namespace RetentionAnalytics.Tests.Cluster;

/// <summary>
/// Two portal nodes behind nginx on PostgreSQL, started by deploy/cluster.sh exactly as an operator does, and one of
/// them killed with SIGKILL: what people rely on (a browser's session too) goes on through the other, the pipeline run the dead writer was in
/// the middle of is run again by the survivor, and nothing written before the kill is lost. While tasks and outcomes
/// live in each node's warehouse file the node that is not the writer is a hot standby: nginx passes what it refuses
/// to the writer, so an agent's outcome is saved on the writer whichever node the agent's cookie points to, and the
/// writer's next build carries it to the other node; one saved after that build reaches the survivor through the
/// agents' journal.
/// </summary>
public sealed class ClusterFailoverTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ra-cluster-").FullName;
    private readonly Dictionary<string, string> _env = [];
    private string? _unavailable;

    private static string Script => Path.Combine(PortalHost.RepositoryRoot, "deploy", "cluster.sh");

    /// <summary>The portal the tests built (same configuration), so the cluster does not publish one of its own.</summary>
    private static string PortalFolder =>
        Path.Combine(PortalHost.RepositoryRoot, "src", "RetentionAnalytics.Portal", "bin",
            new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name, "net10.0");

    public Task InitializeAsync()
    {
        var root = Environment.UserName == "root";
        var postgres = Directory.Exists("/usr/lib/postgresql")
            && Directory.GetDirectories("/usr/lib/postgresql").Any(d => File.Exists(Path.Combine(d, "bin", "initdb")));
        var nginx = File.Exists("/usr/sbin/nginx");
        if (!root && !(postgres && nginx))
        {
            _unavailable = "PostgreSQL or nginx is not installed and this user cannot install them (apt-get install postgresql nginx as root)";
        }
        // ports the system hands out: never the tests' PostgreSQL range 5460-5469, never another run's
        _env["RA_CLUSTER_DIR"] = _folder;
        _env["RA_CLUSTER_LB_PORT"] = FreePort().ToString();
        _env["RA_CLUSTER_SINGLE_PORT"] = FreePort().ToString();
        _env["RA_CLUSTER_NODE1_PORT"] = FreePort().ToString();
        _env["RA_CLUSTER_NODE2_PORT"] = FreePort().ToString();
        _env["RA_CLUSTER_PG_PORT"] = FreePort().ToString();
        _env["RA_CLUSTER_APP"] = PortalFolder;
        _env["RA_CLUSTER_INBOX_POLL"] = "1";
        _env["RA_CLUSTER_WAIT"] = "300";
        // the nodes inherit the script's environment: agents may call at any hour of the test
        _env["Workbench__CallingFrom"] = "00:00:00";
        _env["Workbench__CallingUntil"] = "23:59:59";
        return Task.CompletedTask;
    }

    /// <summary>An agent's capacity in the newest published build (a copy of it: nodes never hold a build open).</summary>
    private int PublishedAgentCapacity(string username)
    {
        var snapshots = Path.Combine(_folder, "snapshots");
        var copy = Path.Combine(_folder, "published-check.duckdb");
        File.Copy(Path.Combine(snapshots, File.ReadAllText(Path.Combine(snapshots, "current")).Trim() + ".duckdb"), copy, overwrite: true);
        try
        {
            using var c = new DuckDB.NET.Data.DuckDBConnection($"Data Source={copy};ACCESS_MODE=READ_ONLY");
            c.Open();
            return c.QuerySingle<int>("select capacity from ops.agent where username = $username", new { username });
        }
        finally
        {
            File.Delete(copy);
        }
    }

    [SkippableFact]
    public async Task A_killed_node_leaves_sign_in_reports_the_audit_trail_and_the_pipeline_to_the_other()
    {
        Skip.If(_unavailable is not null, _unavailable);
        var up = Cluster("up");
        var balancer = new Uri(up.Trim().Split('\n')[^1]);
        Assert.Equal($"http://127.0.0.1:{_env["RA_CLUSTER_LB_PORT"]}/", balancer.ToString());
        var processes = Status();
        Assert.Equal(["postgres", "node1", "node2", "nginx"], processes.Keys);
        await using var pg = new NpgsqlConnection(
            $"Host=127.0.0.1;Port={_env["RA_CLUSTER_PG_PORT"]};Database=retention;Username=ra;Pooling=false");

        // through nginx: signed in, a report, the audit trail
        using var leader = await PortalSignIn.SignedInAsync(balancer, "leader");
        using var admin = await PortalSignIn.SignedInAsync(balancer, "admin");
        var rowsBefore = await ReportRows(leader);
        Assert.True(rowsBefore > 0, "the report has rows before the kill");
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("api/admin/audit")).StatusCode);

        // a real browser through nginx: its Blazor circuit (a WebSocket through the balancer) renders the start page
        var (playwright, browser) = await Browser.LaunchAsync();
        using var playwrightScope = playwright;
        await using var browserScope = browser;
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 } });
        await PortalSignIn.SignInAsync(page, balancer, "leader");
        await page.WaitForSelectorAsync("[data-interactive=true]", new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });

        var writer = await pg.QuerySingleAsync<string>("select holder from ops.writer_lease");
        var survivor = writer == "node1" ? "node2" : "node1";
        var survivorPid = processes[survivor].Pid;

        // the roles as the health endpoint and cluster.sh status report them; the standby refuses before doing anything
        Assert.Equal(("writer", "standby"), (processes[writer].Role, processes[survivor].Role));
        using (var standby = new HttpClient { BaseAddress = new Uri(processes[survivor].Url + "/") })
        {
            using var refused = await standby.GetAsync("account/signin");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter);
            Assert.Contains($"the writer is {writer}", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            using var health = JsonDocument.Parse(await standby.GetStringAsync("healthz"));
            Assert.Equal(("standby", survivor), (health.RootElement.GetProperty("role").GetString(), health.RootElement.GetProperty("node").GetString()));
        }

        // the standby still serves a role that only reads: the leader's report straight from it, the same rows as through
        // nginx; an agent straight to it is sent on to the writer
        foreach (var (username, served) in new[] { ("leader", true), ("agent.hz1", false) })
        {
            var jar = new CookieContainer();
            using (var signIn = PortalSignIn.NewClient(balancer, cookies: jar))
            {
                using var signedIn = await PortalSignIn.PostSignInAsync(signIn, username, PortalSignIn.DemoPassword);
                Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            }
            // cookies are the host's, whatever the port: the nginx session is good on the node itself
            using var onStandby = PortalSignIn.NewClient(new Uri(processes[survivor].Url + "/"), cookies: jar);
            using var response = await onStandby.GetAsync(served ? "api/reports/alerts_by_scenario" : "api/my-tasks?limit=100");
            Assert.Equal((served ? HttpStatusCode.OK : HttpStatusCode.ServiceUnavailable, survivor),
                (response.StatusCode, response.Headers.GetValues("X-RA-Node").Single()));
            if (served)
            {
                using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                Assert.Equal(rowsBefore, doc.RootElement.GetProperty("rows").GetArrayLength());
            }
        }
        // and in a browser: the leader's pages on the standby say which build they show
        await using var standbyContext = await browser.NewContextAsync(new() { ViewportSize = new() { Width = 1366, Height = 768 } });
        var onStandbyPage = await standbyContext.NewPageAsync();
        await PortalSignIn.SignInAsync(onStandbyPage, balancer, "leader");
        await onStandbyPage.GotoAsync(processes[survivor].Url + "/overview");
        await onStandbyPage.WaitForSelectorAsync("[data-interactive=true]", new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });
        Assert.Contains($"server {survivor}", await onStandbyPage.InnerTextAsync("#standby-notice"), StringComparison.Ordinal);
        await onStandbyPage.CloseAsync();

        // agents through nginx, each browser its own cookie (so the hash sends about half of them to the standby
        // first): the writer answers every one of them
        var agents = new List<HttpClient>();
        for (var i = 0; i < 6; i++)
        {
            agents.Add(await PortalSignIn.SignedInAsync(balancer, "agent.hz1"));
        }
        foreach (var client in agents)
        {
            using var queueResponse = await client.GetAsync("api/my-tasks?limit=100");
            Assert.Equal(HttpStatusCode.OK, queueResponse.StatusCode);
            Assert.Equal(writer, queueResponse.Headers.GetValues("X-RA-Node").Single());
        }
        // an outcome saved through nginx, then a build the writer publishes: the outcome is in it, not overwritten
        var agent = agents[^1];
        var (taskId, attempts) = await NextTask(agent, except: null);
        Assert.Equal(writer, await SaveOutcome(agent, taskId, "no_answer"));
        var buildBefore = await File.ReadAllTextAsync(Path.Combine(_folder, "snapshots", "current"));
        await File.WriteAllTextAsync(Path.Combine(_folder, "inbox", "recharge_20261101.csv"), "RECHARGE_ID,SUBS_ID,RECHARGE_TIME,AMOUNT,CHANNEL_CODE\n"
            + "RC2026110100000001,S00000003,2026-11-01 08:00:00,50.00,O002\n");
        var published = await Eventually(async () =>
            await File.ReadAllTextAsync(Path.Combine(_folder, "snapshots", "current")) is var b && b != buildBefore ? b : null,
            TimeSpan.FromSeconds(90), "the writer to publish a build after the outcome");
        output.WriteLine($"build {published} published after the outcome");
        Assert.Equal(attempts + 1, await Attempts(agent, taskId));
        var lastRun = await Eventually(async () => await pg.QuerySingleAsync<long?>(
            "select max(run_id) from meta.job_run having count(*) filter (where status = 'running') = 0"),
            TimeSpan.FromSeconds(60), "the run that published to end");

        // an outcome saved after that build exists only in the writer's file, and in the agents' journal
        var (lateTaskId, lateAttempts) = await NextTask(agent, except: taskId);
        Assert.Equal(writer, await SaveOutcome(agent, lateTaskId, "busy"));
        Assert.Equal(lateAttempts + 1, await Attempts(agent, lateTaskId));
        Assert.Equal(2L, await pg.QuerySingleAsync<long>(
            "select count(*) from ops.agent_journal where task_id = @lateTaskId", new { lateTaskId }));
        // an administrator's change of an agent after that build: in the operational database (where the writer publishes
        // it, TeamRecordsTests), not in the build
        var capacity = await pg.QuerySingleAsync<int>(
            "update ops.agent set capacity = capacity + 3 where username = 'agent.hz1' returning capacity");

        // a delivery arrives; the writer's run over it is killed half way
        var delivery = Path.Combine(_folder, "inbox", "payment_20261101.csv");
        await File.WriteAllTextAsync(delivery, "PAYMENT_ID,SUBS_ID,PAY_TIME,AMOUNT,PAY_METHOD\n"
            + "PY2026110100000001,S00000006,2026-11-01 09:10:00,50.00,bank\n"
            + "PY2026110100000002,S00000007,2026-11-01 10:20:00,80.00,auto_debit\n");
        var cut = await Eventually(async () => await pg.QuerySingleOrDefaultAsync<long?>(
            "select run_id from meta.job_run where status = 'running' and pid = @pid and run_id > @lastRun",
            new { pid = processes[writer].Pid, lastRun }),
            TimeSpan.FromSeconds(60), "the writer to start a run over the delivery");
        var auditBefore = (await pg.QueryAsync<long>("select audit_id from ops.audit_log")).ToHashSet();
        Kill9(processes[writer].Pid);
        var killed = Stopwatch.StartNew();

        // sign-in through nginx works again, on the survivor; earlier sessions and cookies are still good there
        using var afterKill = await Eventually(async () =>
        {
            try
            {
                return await PortalSignIn.SignedInAsync(balancer, "admin");
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or TaskCanceledException)
            {
                return null;
            }
        }, TimeSpan.FromSeconds(30), "a sign-in through nginx after the kill");
        output.WriteLine($"first successful sign-in {killed.Elapsed.TotalSeconds:N2} s after kill -9 of {writer}");
        Assert.Equal(rowsBefore, await ReportRows(leader));
        var audit = await admin.GetAsync("api/admin/audit");
        Assert.Equal(HttpStatusCode.OK, audit.StatusCode);

        // the browser signed in before the kill goes on after a reload, wherever its circuit now lives
        // (a circuit that started during the takeover, while nginx counted both nodes as failed for a moment, may not
        // come up, and Blazor's own reconnect may reload the page under the person's reload: they reload once more)
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.ReloadAsync();
                await page.WaitForSelectorAsync("[data-interactive=true]", new() { State = WaitForSelectorState.Attached, Timeout = 15_000 });
                output.WriteLine($"browser interactive again after {attempt} reload(s)");
                break;
            }
            catch (Exception ex) when (ex is TimeoutException or PlaywrightException && attempt < 3)
            {
                output.WriteLine($"reload {attempt}: {ex.GetType().Name}");
            }
        }
        Assert.DoesNotContain("account/signin", page.Url, StringComparison.Ordinal);

        // no audit row is lost: every one written before the kill is there, and the new sign-in is added
        var auditAfter = (await pg.QueryAsync<long>("select audit_id from ops.audit_log")).ToHashSet();
        Assert.Subset(auditAfter, auditBefore);
        Assert.True(auditAfter.Count > auditBefore.Count, "the sign-in after the kill is audited");

        // the survivor takes the writer role over, marks the cut run and runs the pipeline again over the delivery
        var recovery = await Eventually(async () => await pg.QuerySingleOrDefaultAsync<RunRow>(
            """
            select run_id as RunId, status as Status, message as Message from meta.job_run
            where trigger_kind = 'recovery' and pid = @pid and status <> 'running'
            """, new { pid = survivorPid }), TimeSpan.FromSeconds(90), "the survivor's recovery run");
        output.WriteLine($"recovery run ended {killed.Elapsed.TotalSeconds:N2} s after the kill: {recovery.Status} {recovery.Message}");
        Assert.Equal("succeeded", recovery.Status);
        // the delivery the cut run was loading is loaded by the survivor: by the recovery run, or by its inbox poll when
        // that got to the inbox first (both start once the survivor is the writer)
        var survivorRuns = (await pg.QueryAsync<(string Trigger, string Status, string? Message)>(
            "select trigger_kind, status, message from meta.job_run where pid = @pid order by run_id", new { pid = survivorPid })).ToList();
        foreach (var run in survivorRuns)
        {
            output.WriteLine($"survivor run: {run.Trigger} {run.Status} {run.Message?.Split(';')[0]}");
        }
        Assert.Single(survivorRuns, r => r.Status == "succeeded" && r.Message?.StartsWith("1 file(s) loaded, 2 rows", StringComparison.Ordinal) == true);
        Assert.Equal("interrupted", await pg.QuerySingleAsync<string>("select status from meta.job_run where run_id = @cut", new { cut }));
        Assert.Equal(survivor, await pg.QuerySingleAsync<string>("select holder from ops.writer_lease"));
        Assert.True(File.Exists(Path.Combine(_folder, "inbox", "archive", Province.Now.ToString("yyyy-MM-dd"), "payment_20261101.csv"))
            || !File.Exists(delivery), "the delivery left the inbox once the survivor published its build");

        // the outcome saved on the old writer before its last build is on the survivor, now the writer, and so is the
        // one saved after it: the survivor applied the agents' journal before it served
        Assert.Equal(attempts + 1, await Attempts(agent, taskId));
        Assert.Equal(lateAttempts + 1, await Attempts(agent, lateTaskId));
        using (var survivorHealth = JsonDocument.Parse(await new HttpClient().GetStringAsync(processes[survivor].Url + "/healthz")))
        {
            Assert.Equal("writer", survivorHealth.RootElement.GetProperty("role").GetString());
        }
        // and the agent's changed capacity is in the survivor's file: in the build it published after the recovery run
        Assert.Equal(capacity, PublishedAgentCapacity("agent.hz1"));

        // the killed node comes back on the survivor's newest build; the survivor stays the writer
        Cluster("up");
        var back = Status();
        Assert.Equal(["postgres", "node1", "node2", "nginx"], back.Keys);
        Assert.NotEqual(processes[writer].Pid, back[writer].Pid);
        using var direct = new HttpClient { BaseAddress = new Uri(back[writer].Url + "/") };
        Assert.Equal(HttpStatusCode.OK, (await direct.GetAsync("healthz")).StatusCode);
        Assert.Equal(
            await File.ReadAllTextAsync(Path.Combine(_folder, "snapshots", "current")),
            await File.ReadAllTextAsync(Path.Combine(_folder, writer, "warehouse.duckdb.build")));
        Assert.Equal(survivor, await pg.QuerySingleAsync<string>("select holder from ops.writer_lease"));
        Assert.Equal(("writer", "standby"), (back[survivor].Role, back[writer].Role));
        foreach (var client in agents)
        {
            client.Dispose();
        }
    }

    /// <summary>The first task in the agent's queue they can open (other than <paramref name="except"/>), with its attempts.</summary>
    private static async Task<(long TaskId, int Attempts)> NextTask(HttpClient agent, long? except)
    {
        using var queue = JsonDocument.Parse(await agent.GetStringAsync("api/my-tasks?limit=100"));
        var task = queue.RootElement.EnumerateArray()
            .First(t => t.GetProperty("status").GetString() is "assigned" or "callback" && t.GetProperty("taskId").GetInt64() != except);
        return (task.GetProperty("taskId").GetInt64(), task.GetProperty("attempts").GetInt32());
    }

    /// <summary>Opens the task and saves an outcome on the version it then has, as the task page does; the node that saved it.</summary>
    private static async Task<string> SaveOutcome(HttpClient agent, long taskId, string outcome)
    {
        using (var opened = await agent.PostAsync($"api/my-tasks/{taskId}/open", null))
        {
            Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        }
        using var head = JsonDocument.Parse(await agent.GetStringAsync($"api/my-tasks/{taskId}/head"));
        using var saved = await agent.PostAsJsonAsync($"api/my-tasks/{taskId}/outcome",
            new { outcome, version = head.RootElement.GetProperty("version").GetInt32() });
        Assert.True(saved.StatusCode == HttpStatusCode.OK, $"outcome not saved: {(int)saved.StatusCode} {await saved.Content.ReadAsStringAsync()}");
        return saved.Headers.GetValues("X-RA-Node").Single();
    }

    private static async Task<int> Attempts(HttpClient agent, long taskId)
    {
        using var head = JsonDocument.Parse(await agent.GetStringAsync($"api/my-tasks/{taskId}/head"));
        return head.RootElement.GetProperty("attempts").GetInt32();
    }

    private sealed record RunRow(long RunId, string Status, string? Message);

    private static async Task<int> ReportRows(HttpClient client)
    {
        using var doc = JsonDocument.Parse(await client.GetStringAsync("api/reports/alerts_by_scenario"));
        return doc.RootElement.GetProperty("rows").GetArrayLength();
    }

    /// <summary>cluster.sh status: NAME PID URL, and a node's role.</summary>
    private Dictionary<string, (int Pid, string Url, string? Role)> Status() =>
        Cluster("status").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' '))
            .ToDictionary(f => f[0], f => (int.Parse(f[1]), f[2], f.Length > 3 ? f[3] : null));

    private string Cluster(string command)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script);
        info.ArgumentList.Add(command);
        foreach (var (name, value) in _env)
        {
            info.Environment[name] = value;
        }
        using var p = Process.Start(info)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(TimeSpan.FromMinutes(8)))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"cluster.sh {command} did not finish: {stderr.Result}");
        }
        output.WriteLine($"cluster.sh {command}: exit {p.ExitCode}\n{stdout.Result}{stderr.Result}");
        Assert.True(p.ExitCode == 0, $"cluster.sh {command} exited {p.ExitCode}: {stderr.Result}");
        return stdout.Result;
    }

    private static void Kill9(int pid)
    {
        using var kill = Process.Start("kill", ["-9", pid.ToString()]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    private static async Task<T> Eventually<T>(Func<Task<T?>> probe, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (await probe() is { } found)
            {
                return found;
            }
            await Task.Delay(50);
        }
        throw new TimeoutException($"waited {timeout} for {what}");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public Task DisposeAsync()
    {
        if (_unavailable is null)
        {
            try
            {
                Cluster("down");
            }
            catch (Exception ex)
            {
                output.WriteLine($"cluster.sh down: {ex.Message}");
            }
        }
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
        return Task.CompletedTask;
    }
}
