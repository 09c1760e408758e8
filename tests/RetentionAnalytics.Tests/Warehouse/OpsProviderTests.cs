using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using RetentionAnalytics.Core.Jobs;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Portal.Features.Operations;
using RetentionAnalytics.Portal.Features.Pipeline;
using RetentionAnalytics.Portal.Features.Access;
using RetentionAnalytics.Portal.Features.Shared.Localization;
using RetentionAnalytics.Tests.Access;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>
/// The operational data on either provider (Ops:Provider): the ported services behave the same on the warehouse file
/// and on a real PostgreSQL, and on PostgreSQL the rows are there, not in the file.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class OpsProviderTests(PostgresServer postgres)
{
    private const string Password = "a-long-secret-for-ops-1";

    private OpsOptions? Ops(string provider) => provider == OpsOptions.Postgres
        ? new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() }
        : null;

    [SkippableTheory]
    [InlineData(OpsOptions.DuckDb)]
    [InlineData(OpsOptions.Postgres)]
    public void Accounts_sign_in_sessions_and_the_audit_log_work_alike_on_either_provider(string provider)
    {
        if (provider == OpsOptions.Postgres)
        {
            postgres.SkipUnlessAvailable();
        }
        using var env = new AccountsOnWarehouse(demoMode: false, ops: Ops(provider));
        Assert.Equal(provider == OpsOptions.Postgres, env.Warehouse.Db.Ops.IsPostgres);

        env.Accounts.Create("cli", "ops.admin", new AccountProfile("Ops Admin", ["administrator"], true, [], null, "de"), Password, mustChange: false);
        env.Accounts.Create("ops.admin", "agent.nb7", new AccountProfile("Agent", ["agent"], false, ["574"], "T574-RET", "zh-Hans"), Password, mustChange: true);
        env.Accounts.SaveAgent("ops.admin", "agent.nb7", "Agent", "T574-RET", 12, active: true);
        Assert.Throws<AccountException>(() => env.Accounts.Create("cli", "ops.admin", new AccountProfile("Again", ["analyst"], true, [], null, "en"), Password, false));

        var agent = env.Accounts.Find("agent.nb7")!;
        Assert.Equal(["574"], agent.Scope.Cities);
        Assert.False(agent.Scope.Province);
        Assert.Equal("T574-RET", agent.TeamId);
        Assert.Equal(12, agent.AgentCapacity);
        Assert.Equal("zh-Hans", agent.PreferredLanguage);
        Assert.True(agent.MustChangePassword);
        Assert.Equal(["agent.nb7", "ops.admin"], env.Accounts.List().Select(u => u.Username));

        Assert.Equal(new SignInOutcome.Failed("SignInInvalid"), env.SignIn.Authenticate("ops.admin", "wrong-password", "203.0.113.5"));
        var signedIn = Assert.IsType<SignInOutcome.Succeeded>(env.SignIn.Authenticate("OPS.Admin ", Password, "203.0.113.5"));
        Assert.Equal("ops.admin", signedIn.User.Username);
        Assert.NotNull(env.Accounts.Find("ops.admin")!.LastSignInAt);

        // a session lives on the server until it is revoked, or the account is disabled or its password changes
        var session = env.Sessions.Create("ops.admin", "203.0.113.5");
        Assert.True(env.Sessions.Check(session)!.IsValid);
        env.Sessions.Touch(session);
        var second = env.Sessions.Create("agent.nb7", "203.0.113.6");
        env.Accounts.SetPassword("ops.admin", "agent.nb7", "another-long-secret-2", mustChange: false);
        Assert.False(env.Sessions.Check(second)!.IsValid);
        Assert.Equal(PasswordVerificationResult.Success, env.Accounts.Verify(env.Accounts.Find("agent.nb7")!, "another-long-secret-2"));
        env.Accounts.SetDisabled("ops.admin", "agent.nb7", disabled: true);
        Assert.Equal(new SignInOutcome.Failed("SignInInvalid"), env.SignIn.Authenticate("agent.nb7", "another-long-secret-2", "203.0.113.6"));
        env.Sessions.Revoke(session, "sign_out");
        Assert.False(env.Sessions.Check(session)!.IsValid);
        Assert.Null(env.Sessions.Check("no-such-session"));

        // the audit trail, newest first, by identifiers only
        var trail = env.Audit.Query(username: "ops.admin");
        Assert.Equal(trail.OrderByDescending(e => e.AuditId).Select(e => e.AuditId), trail.Select(e => e.AuditId));
        Assert.Contains(trail, e => e.Action == "user_change" && e.Target == "agent.nb7" && e.Detail!.Contains("created", StringComparison.Ordinal));
        Assert.Contains(trail, e => e.Action == "user_change" && e.Target == "agent.nb7" && e.Detail!.Contains("agent;team=T574-RET", StringComparison.Ordinal));
        Assert.DoesNotContain(env.Audit.Query(), e => (e.Detail ?? "").Contains("Ops Admin", StringComparison.Ordinal));
        Assert.Empty(env.Audit.Query(from: Province.Now.AddDays(1)));

        // where the rows are: PostgreSQL, or the warehouse file, never both
        var inFile = env.Warehouse.Scalar<long>("select count(*) from ops.app_user") + env.Warehouse.Scalar<long>("select count(*) from ops.audit_log");
        if (provider == OpsOptions.Postgres)
        {
            Assert.Equal(0, inFile);
            using var pg = new NpgsqlConnection(env.Warehouse.Db.Ops.Options.ConnectionString);
            Assert.Equal(2, pg.ExecuteScalar<long>("select count(*) from ops.app_user"));
            Assert.Equal(2, pg.ExecuteScalar<long>("select count(*) from ops.app_session"));
            Assert.Equal(env.Audit.Query().Count, pg.ExecuteScalar<long>("select count(*) from ops.audit_log"));
            // the agent record is read beside the teams and tasks that assignment joins it with, and has its record here
            Assert.Equal(1, env.Warehouse.Scalar<long>("select count(*) from ops.agent where username = 'agent.nb7' and capacity = 12"));
            Assert.Equal(1, pg.ExecuteScalar<long>("select count(*) from ops.agent where username = 'agent.nb7' and capacity = 12"));
        }
        else
        {
            Assert.True(inFile > 2);
        }
    }

    [SkippableTheory]
    [InlineData(OpsOptions.DuckDb)]
    [InlineData(OpsOptions.Postgres)]
    public void The_seeded_agents_carry_their_team_and_capacity_on_either_provider(string provider)
    {
        if (provider == OpsOptions.Postgres)
        {
            postgres.SkipUnlessAvailable();
        }
        using var env = new AccountsOnWarehouse(ops: Ops(provider));
        Assert.Equal(9, env.Seed());

        var users = env.Accounts.List().ToDictionary(u => u.Username);
        Assert.Equal("T571-RET", users["agent.hz1"].TeamId);
        Assert.True(users["agent.hz1"].AgentCapacity > 0);
        Assert.Equal("T571-RET", users["supervisor.hz"].TeamId);
        Assert.Null(users["supervisor.hz"].AgentCapacity);
        Assert.Null(users["analyst"].TeamId);
        Assert.Equal(users["agent.hz2"].TeamId, env.Accounts.Find("agent.hz2")!.TeamId);
    }

    [SkippableTheory]
    [InlineData(OpsOptions.DuckDb)]
    [InlineData(OpsOptions.Postgres)]
    public async Task A_run_keeps_its_summary_in_sentences_that_read_in_each_language(string provider)
    {
        if (provider == OpsOptions.Postgres)
        {
            postgres.SkipUnlessAvailable();
        }
        using var warehouse = new TestWarehouse(ops: Ops(provider));
        var runs = new JobRuns(warehouse.Db);
        var summary = new RunNotes(
            new RunNote("FilesLoaded", 291, 279_769L, 25),
            new RunNote("ChurnModel", new RunNotes(
                new RunNote("ModelKept", new RunNotes(new RunNote("MonthsSinceTraining", 2, 3))),
                new RunNote("Trained", "churn-province-1", 0.8712))));

        await runs.RunAsync(PipelineRunner.DailyJob, "manual", (_, _) => Task.FromResult(summary));

        var run = Assert.Single(runs.Recent());
        // the message stays English for logs and the command line
        Assert.Equal("291 file(s) loaded, 279,769 rows, 25 rejected; churn model: model kept: "
                     + "2 labelled month(s) since training (retrain after 3); trained churn-province-1 (AUC 0.871)", run.Message);
        Assert.Equal(run.Message, run.Notes!.ToString());
        Assert.Equal("291 Datei(en) geladen, 279.769 Zeilen, 25 abgewiesen; Abwanderungsmodell: Modell beibehalten: "
                     + "2 Monat(e) mit bekanntem Ausgang seit dem Training (neu trainiert nach 3); churn-province-1 trainiert (AUC 0,871)",
            run.Notes.Text(LocalizationSetup.Culture("de")));
        Assert.StartsWith("已加载 291 个文件，279,769 行，拒绝 25 行；流失模型：保留模型：", run.Notes.Text(LocalizationSetup.Culture("zh-Hans")));

        // a summary this version cannot read, or a sentence it has no text for, never fails the page
        Assert.Null(RunNotes.FromJson("{not json"));
        Assert.Equal("SomethingNew 7", new RunNote("SomethingNew", 7).Text(LocalizationSetup.Culture("de")));
        Assert.Equal("Alerts 12", new RunNote("Alerts", 12).Text(LocalizationSetup.Culture("en")));
        // a model without an AUC still records its run
        Assert.Equal("trained m (AUC NaN)", RunNotes.FromJson(new RunNotes(new RunNote("Trained", "m", double.NaN)).ToJson())!.ToString());
    }

    [SkippableTheory]
    [InlineData(OpsOptions.DuckDb)]
    [InlineData(OpsOptions.Postgres)]
    public async Task Job_runs_are_recorded_and_a_run_a_dead_process_left_running_is_marked_interrupted(string provider)
    {
        if (provider == OpsOptions.Postgres)
        {
            postgres.SkipUnlessAvailable();
        }
        using var warehouse = new TestWarehouse(ops: Ops(provider));
        var db = warehouse.Db;
        var runs = new JobRuns(db);

        var answer = await runs.RunAsync(PipelineRunner.DailyJob, "manual", (progress, _) =>
        {
            progress.Report(new JobProgress(40, "load"));
            return Task.FromResult(42);
        });
        Assert.Equal(42, answer);
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            runs.RunAsync<int>(PipelineRunner.InboxPollJob, "schedule", (_, _) => throw new InvalidOperationException("broken file")));

        var recent = runs.Recent();
        Assert.Equal([PipelineRunner.InboxPollJob, PipelineRunner.DailyJob], recent.Select(r => r.JobName));
        Assert.Equal(["failed", "succeeded"], recent.Select(r => r.Status));
        Assert.Equal(100, recent[1].ProgressPct);
        Assert.Equal([PipelineRunner.DailyJob], runs.Recent(jobName: PipelineRunner.DailyJob).Select(r => r.JobName));
        Assert.Equal(recent[1].StartedAt, runs.LastSucceededAt(PipelineRunner.DailyJob));
        Assert.Equal("degraded", OperationsEndpoints.StatusOf(OperationsEndpoints.LastPipelineRun(db)));

        // a run of a process that died, and one of this process (still working): only the first is cut off
        var mine = runs.Start("detect", "manual");
        using (var c = db.Ops.Connect())
        {
            c.Execute(db.Ops.Text("""
                insert into meta.job_run (run_id, job_name, trigger_kind, status, started_at, progress_pct, stage, host, pid)
                values (nextval('meta.job_run_id_seq'), 'daily-pipeline', 'schedule', 'running', now(), 55, 'transform', 'gone-host', 1)
                """));
        }
        Assert.Equal(1, runs.MarkInterrupted());
        var after = runs.Recent(2);
        Assert.Equal("interrupted", after[0].Status);
        Assert.Contains("last progress: transform 55", after[0].Message, StringComparison.Ordinal);
        Assert.Equal(("running", mine), (after[1].Status, after[1].RunId));
        Assert.Equal("degraded", OperationsEndpoints.StatusOf(OperationsEndpoints.LastPipelineRun(db)));
        using (var c = db.Ops.Connect())
        {
            // the system page's last pipeline run
            var last = c.QuerySingle(db.Ops.Sql.Get("portal/home_last_pipeline_run.sql"),
                new { job_names = $"{PipelineRunner.DailyJob},{PipelineRunner.InboxPollJob}" });
            Assert.Equal(after[0].RunId, (long)last.run_id);
            Assert.Equal("interrupted", (string)last.status);
        }
    }

    [SkippableFact]
    public void PostgreSQL_migrations_run_once_whoever_opens_first_and_an_edited_applied_file_is_refused()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };

        // two nodes (two warehouse files) starting together against one ops database
        var nodes = Enumerable.Range(0, 2).Select(_ => Task.Run(() => new TestWarehouse(ops: ops))).ToArray();
        Task.WaitAll(nodes);
        using var pg = new NpgsqlConnection(ops.ConnectionString);
        var files = Directory.GetFiles(Path.Combine(WarehouseOptions.FindRepositoryRoot()!, "sql", "ddl-postgres"), "*.sql")
            .Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(files, pg.Query<string>("select file_name from meta.schema_migration order by file_name"));
        var applied = pg.Query<DateTime>("select applied_at from meta.schema_migration order by file_name").ToList();
        foreach (var node in nodes)
        {
            node.Result.Dispose();
        }

        using (new TestWarehouse(ops: ops))
        {
            Assert.Equal(applied, pg.Query<DateTime>("select applied_at from meta.schema_migration order by file_name"));
        }

        pg.Execute("update meta.schema_migration set checksum = 'edited' where file_name = @file", new { file = files[0] });
        var refused = Assert.Throws<InvalidOperationException>(() => new TestWarehouse(ops: ops));
        Assert.Contains($"ddl-postgres/{files[0]} changed after it was applied", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("oracle", "Host=x", "Ops:Provider 'oracle' is not known")]
    [InlineData("postgres", "", "Ops:ConnectionString is empty")]
    public void A_wrong_ops_configuration_stops_before_anything_opens(string provider, string connectionString, string message)
    {
        var folder = Directory.CreateTempSubdirectory("ra-ops-").FullName;
        try
        {
            var refused = Assert.Throws<InvalidOperationException>(() => Db.Open(new WarehouseOptions
            {
                DatabasePath = Path.Combine(folder, "w.duckdb"),
                Ops = new OpsOptions { Provider = provider, ConnectionString = connectionString },
            }));
            Assert.Contains(message, refused.Message, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(folder, "w.duckdb")));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class SqlDialectTests
{
    [Fact]
    public void Named_parameters_become_Npgsql_parameters_and_nothing_else_changes()
    {
        const string duck = """
            -- grain: a $comment stays
            select '$literal', "$quoted", 'it''s $still literal', $1, $$body$$, /* $block */ x
            from ops.t where a = $username and b = $_under and c = $keep_session_id
            """;
        const string postgres = """
            -- grain: a $comment stays
            select '$literal', "$quoted", 'it''s $still literal', $1, $$body$$, /* $block */ x
            from ops.t where a = @username and b = @_under and c = @keep_session_id
            """;
        Assert.Equal(postgres, SqlDialect.ToPostgres(duck));
    }
}
