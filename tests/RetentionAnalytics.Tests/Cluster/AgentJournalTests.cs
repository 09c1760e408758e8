using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Campaigns;
using RetentionAnalytics.Core.Cluster;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Dialer;
using RetentionAnalytics.Core.NewSubscribers;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Sms;
using RetentionAnalytics.Core.SpecialCampaigns;
using RetentionAnalytics.Core.Tasks;
using RetentionAnalytics.Core.Telephony;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Core.Workbench;
using RetentionAnalytics.Tests.Dialer;
using RetentionAnalytics.Tests.NewSubscribers;
using RetentionAnalytics.Tests.Support;
using RetentionAnalytics.Tests.Workbench;

namespace RetentionAnalytics.Tests.Cluster;

/// <summary>
/// The agents' journal on a real PostgreSQL: what an agent did on the writer after its last published build is there
/// again on the node that takes over from that build, task by task and contact by contact, and applying the journal a
/// second time changes nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class AgentJournalTests(PostgresServer postgres)
{
    private sealed record ContactRow(long TaskId, string Username, string Channel, string Outcome, string? Result, string? Notes, DateTime ContactTime);

    [SkippableFact]
    public void The_node_that_takes_over_from_the_last_build_gets_every_claim_and_outcome_made_on_the_writer_since()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        using var writer = new WorkbenchWorld(ops: ops);
        var journal = new AgentJournal(writer.W.Db, "node1", NullLogger<AgentJournal>.Instance);
        var agents = new AgentWorkbench(writer.W.Db, writer.Access, writer.Options, writer.Region, [], journal);
        var campaign = writer.Campaign();
        var tasks = writer.Tasks(campaign, 5, agents: ["agent.hz1"]);
        var hz1 = WorkbenchWorld.Agent("agent.hz1");
        var startedUtc = DateTime.UtcNow;

        // before the build: task 0 reached and retained
        agents.Open(hz1, tasks[0]);
        agents.Record(hz1, new OutcomeInput(tasks[0], "reached", "retained", Notes: "before the build"));
        var build = writer.W.PublishBuild();

        // after the build, on the writer only: a retry, a callback, a task left open, a second try on the retry
        agents.Open(hz1, tasks[1]);
        agents.Record(hz1, new OutcomeInput(tasks[1], "no_answer"));
        agents.Open(hz1, tasks[2]);
        agents.Record(hz1, new OutcomeInput(tasks[2], "reached", CallbackAt: new DateTime(2026, 11, 6, 11, 30, 0), Notes: "call me tomorrow"));
        agents.Open(hz1, tasks[3]);
        writer.Clock.Utc = writer.Clock.Utc.AddMinutes(5);
        agents.Open(hz1, tasks[1]);
        agents.Record(hz1, new OutcomeInput(tasks[1], "reached", "accepted_offer"));

        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        var access = new TaskAccess(survivor.Db, new AuditLog(survivor.Db));
        var replaying = new AgentWorkbench(survivor.Db, access, writer.Options, writer.Region, []);
        Assert.NotEqual(Tasks(writer.W, campaign), Tasks(survivor, campaign));

        var first = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);

        // claim and outcome of task 0 are in the build; the seven writes after it are applied
        Assert.Equal(new JournalReplay(Entries: 9, Applied: 7, AlreadyThere: 2, Failed: 0), first);
        Assert.Equal(Tasks(writer.W, campaign), Tasks(survivor, campaign));
        Assert.Equal(Contacts(writer.W, campaign), Contacts(survivor, campaign));
        Assert.Equal(4, Contacts(survivor, campaign).Count);

        var second = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);
        Assert.Equal(new JournalReplay(Entries: 9, Applied: 0, AlreadyThere: 9, Failed: 0), second);
        Assert.Equal(Tasks(writer.W, campaign), Tasks(survivor, campaign));
        Assert.Equal(4, Contacts(survivor, campaign).Count);

        // the survivor's agent goes on from there: the task left open is still theirs to finish
        replaying.Record(hz1, new OutcomeInput(tasks[3], "busy"));
        Assert.Equal("assigned", survivor.Scalar<string>("select status from ops.task where task_id = $id", new { id = tasks[3] }));

        // rows older than the retention go once a build is published
        Assert.Equal(0, journal.Prune(DateTime.UtcNow));
        Assert.Equal(9, journal.Prune(DateTime.UtcNow + AgentJournal.Retention + TimeSpan.FromMinutes(1)));
    }

    [SkippableFact]
    public void Work_saved_while_the_operational_database_was_away_is_journaled_once_it_answers_in_the_order_it_was_made()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        using var writer = new WorkbenchWorld(ops: ops);
        var journal = new AgentJournal(writer.W.Db, "node1", NullLogger<AgentJournal>.Instance, keepsOwed: true);
        var agents = new AgentWorkbench(writer.W.Db, writer.Access, writer.Options, writer.Region, [], journal);
        var campaign = writer.Campaign();
        var tasks = writer.Tasks(campaign, 3, agents: ["agent.hz1"]);
        var hz1 = WorkbenchWorld.Agent("agent.hz1");
        var startedUtc = DateTime.UtcNow;
        var build = writer.W.PublishBuild();
        long Owed() => writer.W.Scalar<long>("select count(*) from ops.agent_journal_owed");
        List<string> Journaled() => writer.W.OpsQuery<string>("select kind || ' ' || task_id from ops.agent_journal order by journal_id");
        // the writer's first look: nothing owed, rows go straight to the journal
        journal.PayOwed();
        agents.Open(hz1, tasks[2]);
        Assert.Equal([$"claim {tasks[2]}"], Journaled());

        // the journal out of reach: a claim and an outcome are saved here and owed, not lost
        writer.W.OpsExec("alter table ops.agent_journal rename to agent_journal_away");
        agents.Open(hz1, tasks[0]);
        agents.Record(hz1, new OutcomeInput(tasks[0], "reached", "retained", Notes: "while the database was away"));
        writer.W.OpsExec("alter table ops.agent_journal_away rename to agent_journal");
        Assert.Equal(2L, Owed());

        // back again: the next call's row waits behind them, and the writer's look writes all three in the order made
        agents.Open(hz1, tasks[1]);
        Assert.Equal(3L, Owed());
        Assert.Single(Journaled());
        journal.PayOwed();
        Assert.Equal(0L, Owed());
        Assert.Equal([$"claim {tasks[2]}", $"claim {tasks[0]}", $"outcome {tasks[0]}", $"claim {tasks[1]}"], Journaled());

        // owed again; a row made after the build the node holds stays owed when it takes the role again (its own work,
        // in no build yet), and its next look writes it
        writer.W.OpsExec("alter table ops.agent_journal rename to agent_journal_away");
        agents.Record(hz1, new OutcomeInput(tasks[1], "no_answer"));
        writer.W.OpsExec("alter table ops.agent_journal_away rename to agent_journal");
        Assert.Equal(0, journal.SettleOwed(startedUtc - AgentJournal.ClockMargin));
        journal.PayOwed();
        Assert.Equal(0L, Owed());
        Assert.Equal($"outcome {tasks[1]}", Journaled()[^1]);

        // the node that takes over from the build before all of it gets every change
        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        var replaying = new AgentWorkbench(survivor.Db, new TaskAccess(survivor.Db, new AuditLog(survivor.Db)), writer.Options, writer.Region, []);
        Assert.Equal(5, journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin).Applied);
        Assert.Equal(Tasks(writer.W, campaign), Tasks(survivor, campaign));
        Assert.Equal(Contacts(writer.W, campaign), Contacts(survivor, campaign));

        // rows owed in a build are in that build: the node that takes over from it drops them
        writer.W.OpsExec("alter table ops.agent_journal rename to agent_journal_away");
        agents.Record(hz1, new OutcomeInput(tasks[2], "busy"));
        writer.W.OpsExec("alter table ops.agent_journal_away rename to agent_journal");
        Assert.Equal(1, journal.SettleOwed(DateTime.UtcNow));
        Assert.Equal(0L, Owed());

        // the command line keeps nothing: its file is replaced by the next build, so a row PostgreSQL refuses is reported lost
        var cli = new AgentJournal(writer.W.Db, "node-cli", NullLogger<AgentJournal>.Instance);
        writer.W.OpsExec("alter table ops.agent_journal rename to agent_journal_away");
        new AgentWorkbench(writer.W.Db, writer.Access, writer.Options, writer.Region, [], cli).Open(hz1, tasks[1]);
        writer.W.OpsExec("alter table ops.agent_journal_away rename to agent_journal");
        Assert.Equal(0L, Owed());
    }

    [SkippableFact]
    public void Work_a_former_writer_still_owed_when_another_node_took_over_reaches_that_node_once_the_database_answers()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        using var node1 = new OwingWriter(ops, 3);
        var (writer, journal, campaign, tasks, hz1) = (node1.World, node1.Journal, node1.Campaign, node1.Tasks, OwingWriter.Hz1);
        var startedUtc = DateTime.UtcNow;
        var build = writer.W.PublishBuild();
        journal.PayOwed();

        // the operational database out of reach of node1, the writer: a claim and an outcome are owed in its file
        node1.OweAClaimAndAnOutcome(tasks[0]);
        Assert.True(journal.Owes);

        // node2 took the lease meanwhile and caught up from the build: node1's rows are not in the journal yet
        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        var node2 = new AgentJournal(survivor.Db, "node2", NullLogger<AgentJournal>.Instance, keepsOwed: true);
        var access = new TaskAccess(survivor.Db, new AuditLog(survivor.Db));
        var replaying = new AgentWorkbench(survivor.Db, access, writer.Options, writer.Region, []);
        var node2Agents = new AgentWorkbench(survivor.Db, access, writer.Options, writer.Region, [], node2);
        Assert.Equal(0, node2.Replay(replaying, startedUtc - AgentJournal.ClockMargin).Applied);
        Assert.Equal(0, node2.ReplayLate(replaying).Entries);
        // its own agents' work goes to the journal, and is not read back as late
        node2Agents.Open(hz1, tasks[1]);
        Assert.Equal(0, node2.ReplayLate(replaying).Entries);

        // node1, a standby now, writes what its file owes once the database answers; node2's next look applies it
        journal.PayOwed();
        Assert.False(journal.Owes);
        Assert.Equal(new JournalReplay(Entries: 2, Applied: 2, AlreadyThere: 0, Failed: 0), node2.ReplayLate(replaying));
        Assert.Equal(Tasks(writer.W, campaign).Single(t => t.TaskId == tasks[0]), Tasks(survivor, campaign).Single(t => t.TaskId == tasks[0]));
        Assert.Equal(Contacts(writer.W, campaign), Contacts(survivor, campaign));
        Assert.Equal("in_progress", survivor.Scalar<string>("select status from ops.task where task_id = $id", new { id = tasks[1] }));
        // read once
        Assert.Equal(0, node2.ReplayLate(replaying).Entries);
    }

    [SkippableFact]
    public void Work_a_writer_owed_when_its_process_ended_is_kept_through_its_restart_and_reaches_the_writer_and_a_later_catch_up()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        using var owing = new OwingWriter(ops, 2);
        var (writer, journal, campaign, tasks) = (owing.World, owing.Journal, owing.Campaign, owing.Tasks);
        var snapshots = Path.Combine(writer.W.Folder, "snapshots");
        var cluster = new ClusterOptions { SnapshotFolder = snapshots };
        var first = new WarehouseSnapshots(writer.W.Db, cluster, NullLogger<WarehouseSnapshots>.Instance).Publish(TimeSpan.FromSeconds(10));
        journal.PayOwed();

        // node1, the writer, saves a claim and an outcome while PostgreSQL is out of reach: owed in its file; then its
        // process ends (its file as it was, beside the build it held)
        owing.OweAClaimAndAnOutcome(tasks[0]);
        using (var c = writer.W.Db.Connect())
        {
            c.Execute("force checkpoint");
        }
        var restarted = Path.Combine(writer.W.Folder, "node1-restarted", "warehouse.duckdb");
        Directory.CreateDirectory(Path.GetDirectoryName(restarted)!);
        File.Copy(writer.W.DatabasePath, restarted);
        File.WriteAllText(restarted + ".build", first);

        // node2 took over from that build, caught up (nothing of node1's is in the journal), worked and published its own
        using var node2 = new TestWarehouse(ops: ops, copyOf: Path.Combine(snapshots, first + ".duckdb"));
        var node2Journal = new AgentJournal(node2.Db, "node2", NullLogger<AgentJournal>.Instance, keepsOwed: true);
        var node2Replaying = new AgentWorkbench(node2.Db, new TaskAccess(node2.Db, new AuditLog(node2.Db)), writer.Options, writer.Region, []);
        Assert.Equal(0, node2Journal.Replay(node2Replaying, WarehouseSnapshots.PublishedAtUtc(first)!.Value - AgentJournal.ClockMargin).Applied);
        Thread.Sleep(5);
        var second = new WarehouseSnapshots(node2.Db, cluster, NullLogger<WarehouseSnapshots>.Instance).Publish(TimeSpan.FromSeconds(10));
        Assert.NotEqual(first, second);

        // node1 starts again: its file owes rows that are in no build, so it keeps the file rather than adopt node2's
        Assert.False(WarehouseSnapshots.AdoptAtStart(restarted, snapshots, writer.W.Db.Sql));
        using var node1 = new TestWarehouse(ops: ops, copyOf: restarted);
        var node1Journal = new AgentJournal(node1.Db, "node1", NullLogger<AgentJournal>.Instance, keepsOwed: true);
        Assert.Equal(2, node1.Scalar<long>("select count(*) from ops.agent_journal_owed"));
        node1Journal.PayOwed();
        Assert.False(node1Journal.Owes);

        // node2, still the writer, applies them at its next look
        Assert.Equal(new JournalReplay(Entries: 2, Applied: 2, AlreadyThere: 0, Failed: 0), node2Journal.ReplayLate(node2Replaying));
        Assert.Equal(Tasks(writer.W, campaign).Single(t => t.TaskId == tasks[0]), Tasks(node2, campaign).Single(t => t.TaskId == tasks[0]));
        Assert.Equal(Contacts(writer.W, campaign), Contacts(node2, campaign));

        // had node2 died before that look, the node taking over from its build would find them as written since it
        using var node3 = new TestWarehouse(ops: ops, copyOf: Path.Combine(snapshots, second + ".duckdb"));
        var (node3Journal, node3Replaying) = TakingOver(node3);
        Assert.Equal(2, node3Journal.Replay(node3Replaying, WarehouseSnapshots.PublishedAtUtc(second)!.Value).Applied);
        Assert.Equal(Contacts(writer.W, campaign), Contacts(node3, campaign));
    }

    [SkippableFact]
    public void A_late_row_whose_task_is_being_written_on_the_writer_at_that_moment_is_applied_at_a_later_look_not_lost()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        using var node1 = new OwingWriter(ops, 2);
        var (writer, journal, campaign, tasks) = (node1.World, node1.Journal, node1.Campaign, node1.Tasks);
        var startedUtc = DateTime.UtcNow;
        var build = writer.W.PublishBuild();
        journal.PayOwed();

        // node1 owes a claim and an outcome; node2 takes over from the build; node1 pays once the database answers
        node1.OweAClaimAndAnOutcome(tasks[0]);
        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        var node2 = new AgentJournal(survivor.Db, "node2", NullLogger<AgentJournal>.Instance, keepsOwed: true);
        var replaying = new AgentWorkbench(survivor.Db, new TaskAccess(survivor.Db, new AuditLog(survivor.Db)), writer.Options, writer.Region, []);
        Assert.Equal(0, node2.Replay(replaying, startedUtc - AgentJournal.ClockMargin).Applied);
        journal.PayOwed();

        // on node2 the task is being written at that moment (a transaction holds its row): the late claim conflicts
        using (var live = survivor.Db.Connect())
        using (var tx = live.BeginTransaction())
        {
            live.Execute("update ops.task set updated_at = updated_at + interval 1 second where task_id = $id", new { id = tasks[0] }, tx);
            var look = node2.ReplayLate(replaying);
            Assert.Equal((2, 0, 0, 1), (look.Entries, look.Applied, look.Failed, look.Busy));
            tx.Rollback();
        }
        Assert.Equal("assigned", survivor.Scalar<string>("select status from ops.task where task_id = $id", new { id = tasks[0] }));

        // the next look reads again from the busy row and applies both, once
        Assert.Equal(new JournalReplay(Entries: 2, Applied: 2, AlreadyThere: 0, Failed: 0), node2.ReplayLate(replaying));
        Assert.Equal(Tasks(writer.W, campaign).Single(t => t.TaskId == tasks[0]), Tasks(survivor, campaign).Single(t => t.TaskId == tasks[0]));
        Assert.Equal(Contacts(writer.W, campaign), Contacts(survivor, campaign));
        Assert.Equal(0, node2.ReplayLate(replaying).Entries);
    }

    [SkippableFact]
    public void A_dialers_takes_outcomes_and_a_refused_report_since_the_build_reach_the_node_that_takes_over()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        using var writer = new DialerWorld(ops, db => new AgentJournal(db, "node1", NullLogger<AgentJournal>.Instance));
        var campaign = writer.W.Campaign();
        writer.W.Tasks(campaign, 6);
        writer.Numbers();
        writer.Desk.Handover(DialerWorld.SupervisorHz, campaign, "progressive");
        var startedUtc = DateTime.UtcNow;
        // three records served before the build
        var records = writer.Dialer.Next("switch", campaign, ["agent.hz1", "agent.hz2", "agent.hz3"]).Records;
        var build = writer.W.W.PublishBuild();

        // the dialer puts calls through to agents: answered, busy, and one the product refuses (no result), whose take
        // of the task is undone
        writer.Dialer.Report("switch", campaign, records[0].LeaseId, new DispositionInput("answered", "agent.hz1", "retained", CallId: "c-1"));
        writer.Dialer.Report("switch", campaign, records[1].LeaseId, new DispositionInput("busy", null, CallId: "c-2"));
        Assert.Throws<DialerException>(() =>
            writer.Dialer.Report("switch", campaign, records[2].LeaseId, new DispositionInput("answered", "agent.hz3", CallId: "c-3")));

        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        var replaying = new AgentWorkbench(survivor.Db, new TaskAccess(survivor.Db, new AuditLog(survivor.Db)), writer.W.Options, writer.W.Region, []);
        var replay = writer.Journal!.Replay(replaying, startedUtc - AgentJournal.ClockMargin);

        // the handover and the leases are in the build; the three takes, two outcomes with their attempts (which mark their
        // leases reported) and the untake are not
        Assert.Equal(new JournalReplay(Entries: 12, Applied: 8, AlreadyThere: 4, Failed: 0), replay);
        Assert.Equal(DialerRows(writer.W.W), DialerRows(survivor));
        Assert.Equal(Tasks(writer.W.W, campaign), Tasks(survivor, campaign));
        Assert.Equal(Contacts(writer.W.W, campaign), Contacts(survivor, campaign));
    }

    [SkippableFact]
    public void The_dialers_handovers_leases_and_attempts_and_inbound_calls_since_the_build_reach_the_node_that_takes_over()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        using var writer = new DialerWorld(ops, db => new AgentJournal(db, "node1", NullLogger<AgentJournal>.Instance));
        var journal = writer.Journal!;
        var campaign = writer.W.Campaign();
        var tasks = writer.W.Tasks(campaign, 6);
        var other = writer.W.Campaign("s07_contract_expiry:2026-10", "s07_contract_expiry");
        var called = writer.W.Tasks(other, 1, prefix: "Y", agents: ["agent.hz1"])[0];
        writer.Numbers();
        writer.W.Exec("""
            create table dw.subscriber_search_key (key_value varchar, key_kind varchar, subscriber_id varchar, city_code varchar);
            insert into dw.subscriber_search_key values ('13900000001', 'msisdn', 'Y00000', '571');
            """);
        var audit = new AuditLog(writer.W.W.Db);
        var calls = new InboundCalls(writer.W.W.Db, audit, writer.W.Region, new Customer360(writer.W.W.Db, audit),
            new InProcessInboundCallNotifier(), journal);
        var startedUtc = DateTime.UtcNow;
        var build = writer.W.W.PublishBuild();

        // after the build, on the writer only: a campaign handed over in preview, then again in progressive mode; another
        // handed over and stopped; three records served, two reported (answered, no answer: the dialer took each task for
        // its agent), the third still with the dialer; a call from a dialer's results file (no lease); a customer's call
        // linked to their task, and a call from a number of nobody
        var hz1 = WorkbenchWorld.Agent("agent.hz1");
        writer.Desk.Handover(DialerWorld.SupervisorHz, campaign, "preview");
        writer.W.Clock.Utc = writer.W.Clock.Utc.AddMinutes(1);
        writer.Desk.Handover(DialerWorld.SupervisorHz, campaign, "progressive");
        writer.Desk.Handover(DialerWorld.SupervisorHz, other, "preview");
        writer.W.Clock.Utc = writer.W.Clock.Utc.AddMinutes(1);
        writer.Desk.Stop(DialerWorld.SupervisorHz, other);
        var records = writer.Dialer.Next("switch", campaign, ["agent.hz1", "agent.hz2", "agent.hz3"]).Records;
        Assert.Equal(3, records.Count);
        writer.W.Clock.Utc = writer.W.Clock.Utc.AddMinutes(1);
        var answered = writer.Dialer.Report("switch", campaign, records[0].LeaseId, new DispositionInput("answered", "agent.hz1", "retained", CallId: "c-1"));
        var notAnswered = writer.Dialer.Report("switch", campaign, records[1].LeaseId, new DispositionInput("no_answer", null, CallId: "c-2"));
        var file = new MemoryStream(System.Text.Encoding.UTF8.GetBytes($"task_id,call_id,disposition,agent\n{tasks[5]},f-1,busy,agent.hz2\n"));
        Assert.Equal(1, writer.Import.Import(DialerWorld.SupervisorHz, campaign, file, "results.csv").Accepted);
        var call = calls.Announce("switch", "agent.hz1", "+86 139 0000 0001", "in-1");
        calls.Announce("switch", "agent.hz1", "13700000009", null);
        writer.Agents.Open(hz1, called);
        writer.Agents.Record(hz1, new OutcomeInput(called, "reached", "retained", InboundCallId: call));
        Assert.Equal(called, writer.W.W.Scalar<long?>("select task_id from ops.inbound_call where call_id = $call", new { call }));

        // rows in another order than they were made: every outcome after the attempts it carried, and the handovers last
        // and newest first
        using (var pg = new NpgsqlConnection(ops.ConnectionString))
        {
            pg.Execute("update ops.agent_journal set journal_id = journal_id + 1000000 where kind = 'outcome'");
            pg.Execute("update ops.agent_journal set journal_id = 2000000 - journal_id where kind = 'handover'");
        }

        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        var survivorAudit = new AuditLog(survivor.Db);
        var access = new TaskAccess(survivor.Db, survivorAudit);
        var replaying = new AgentWorkbench(survivor.Db, access, writer.W.Options, writer.W.Region,
            [new DialerAttemptStep(survivor.Db, writer.W.Region), new InboundCallStep(survivor.Db)]);
        var dialer = new OutboundDialer(survivor.Db, survivorAudit, writer.W.Region, writer.W.Options, new SmsOptions(), new DialerOptions(), replaying);
        var desk = new DialerDesk(survivor.Db, survivorAudit, access, writer.W.Region, writer.W.Options, dialer);
        Assert.NotEqual(DialerRows(writer.W.W), DialerRows(survivor));

        // four handover rows, three leases, three takes, outcomes and attempts, two calls, the called customer's claim and
        // outcome: the attempts apply once their outcomes are back; the two handover rows older than their city's newest
        // change nothing
        var first = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);
        Assert.Equal(new JournalReplay(Entries: 20, Applied: 18, AlreadyThere: 2, Failed: 0), first);
        Assert.Equal(DialerRows(writer.W.W), DialerRows(survivor));
        Assert.Equal(Tasks(writer.W.W, campaign), Tasks(survivor, campaign));
        Assert.Equal(Contacts(writer.W.W, other), Contacts(survivor, other));
        Assert.Equal(writer.Desk.Progress(DialerWorld.SupervisorHz), desk.Progress(DialerWorld.SupervisorHz));

        var second = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);
        Assert.Equal(new JournalReplay(Entries: 20, Applied: 0, AlreadyThere: 20, Failed: 0), second);
        Assert.Equal(DialerRows(writer.W.W), DialerRows(survivor));

        // the dialer goes on with the survivor: the record it still holds is not served again, the others as the writer
        // would serve them, under new lease ids; its report of the record it holds is applied there, and a repeated
        // report of an attempt made on the writer answers that attempt; a new call gets a new id
        var servedThere = dialer.Next("switch", campaign, ["agent.hz1", "agent.hz2", "agent.hz3"]).Records;
        var servedOnWriter = writer.Dialer.Next("switch", campaign, ["agent.hz1", "agent.hz2", "agent.hz3"]).Records;
        Assert.NotEmpty(servedThere);
        Assert.DoesNotContain(servedThere, r => r.TaskId == records[2].TaskId);
        Assert.Equal(servedOnWriter.Select(r => (r.TaskId, r.Agent)), servedThere.Select(r => (r.TaskId, r.Agent)));
        Assert.All(servedThere, r => Assert.True(r.LeaseId > records.Max(l => l.LeaseId)));
        var held = dialer.Report("switch", campaign, records[2].LeaseId, new DispositionInput("answered", "agent.hz3", "retained", CallId: "c-3"));
        Assert.False(held.Repeated);
        Assert.True(held.AttemptId > notAnswered.AttemptId);
        var repeated = dialer.Report("switch", campaign, records[0].LeaseId, new DispositionInput("answered", "agent.hz1", "retained", CallId: "c-1"));
        Assert.Equal((answered.AttemptId, answered.TaskId, "done", true), (repeated.AttemptId, repeated.TaskId, repeated.Status, repeated.Repeated));
        var callsThere = new InboundCalls(survivor.Db, survivorAudit, writer.W.Region, new Customer360(survivor.Db, survivorAudit),
            new InProcessInboundCallNotifier());
        Assert.True(callsThere.Announce("switch", "agent.hz1", "13700000008", null) > call + 1);
    }

    /// <summary>
    /// Every column of the dialer's handovers, leases and attempts and of the inbound calls (an attempt's and a call's
    /// contact by its time, channel and outcome: a contact's id is the node's own).
    /// </summary>
    private static List<string> DialerRows(TestWarehouse w) => w.Query<string>("""
        select concat_ws('|', 'handover', campaign_id, city_code, mode, status, handed_by, handed_at, coalesce(stopped_by, '-'),
                         coalesce(cast(stopped_at as varchar), '-'))
        from ops.dialer_campaign
        union all
        select concat_ws('|', 'lease', lease_id, task_id, campaign_id, city_code, integration, agent_username, leased_at, expires_at,
                         coalesce(cast(reported_at as varchar), '-'))
        from ops.dialer_lease
        union all
        select concat_ws('|', 'attempt', attempt.attempt_id, coalesce(cast(attempt.lease_id as varchar), '-'), coalesce(attempt.external_id, '-'),
                         attempt.task_id, attempt.campaign_id, attempt.city_code, attempt.integration, attempt.agent_username,
                         attempt.disposition, attempt.reported_at, contact.contact_time, contact.channel, contact.outcome)
        from ops.dialer_attempt as attempt
        left join ops.contact as contact on contact.contact_id = attempt.contact_id
        union all
        select concat_ws('|', 'call', inbound.call_id, inbound.integration, coalesce(inbound.external_id, '-'), inbound.agent_username,
                         inbound.caller_number, inbound.received_at, coalesce(inbound.subscriber_id, '-'), inbound.matches,
                         coalesce(cast(inbound.task_id as varchar), '-'), coalesce(cast(contact.contact_time as varchar), '-'),
                         coalesce(contact.channel, '-'), coalesce(contact.outcome, '-'))
        from ops.inbound_call as inbound
        left join ops.contact as contact on contact.contact_id = inbound.contact_id
        order by 1
        """);

    [SkippableFact]
    public void A_supervisors_assignments_schedules_distribution_recycling_and_closing_since_the_build_reach_the_node_that_takes_over()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        using var writer = new WorkbenchWorld(ops: ops);
        var journal = new AgentJournal(writer.W.Db, "node1", NullLogger<AgentJournal>.Instance);
        var agents = new AgentWorkbench(writer.W.Db, writer.Access, writer.Options, writer.Region, [], journal);
        var desk = new SupervisorDesk(writer.W.Db, writer.Access, writer.Options, writer.Region, journal);
        var boss = WorkbenchWorld.Supervisor();
        var campaign = writer.Campaign();
        var other = writer.Campaign("s07_contract_expiry:2026-10", "s07_contract_expiry");
        var done = writer.Campaign("s11_points:2026-10", "s11_points");
        var tasks = writer.Tasks(campaign, 8);
        var others = writer.Tasks(other, 4, prefix: "X");
        var finished = writer.Tasks(done, 1, prefix: "Y", agents: ["agent.hz1"]);
        TaskRef Ref(long id) => new(id, writer.State(id).Version);
        var startedUtc = DateTime.UtcNow;
        var build = writer.W.PublishBuild();

        // after the build, on the writer only: two tasks to an agent, a due date and priority, one task worked, the rest
        // distributed by the routing rule; a reassignment from a version that is no longer current (skipped, nothing
        // journaled); the second campaign assigned, recycled and closed
        Assert.Equal(2, desk.Assign(boss, [Ref(tasks[0]), Ref(tasks[1])], "agent.hz2").Changed);
        Assert.Equal(1, desk.Schedule(boss, [Ref(tasks[2])], new DateOnly(2026, 11, 9), 2).Changed);
        var hz2 = WorkbenchWorld.Agent("agent.hz2");
        agents.Open(hz2, tasks[0]);
        agents.Record(hz2, new OutcomeInput(tasks[0], "no_answer"));
        Assert.True(desk.Distribute(boss, campaign).Distributed > 0);
        Assert.Equal(0, desk.Assign(boss, [new TaskRef(tasks[3], 0)], "agent.hz1").Changed);
        Assert.Equal(4, desk.Assign(boss, others.Select(Ref).ToList(), "agent.hz1").Changed);
        Assert.Equal(4, desk.Recycle(boss, other));
        Assert.Equal(4, desk.Close(boss, other));
        Assert.Equal("closed", writer.W.Scalar<string>("select status from ops.campaign where campaign_id = $other", new { other }));
        // a campaign whose tasks were all finished closes without moving a task
        var hz1 = WorkbenchWorld.Agent("agent.hz1");
        agents.Open(hz1, finished[0]);
        agents.Record(hz1, new OutcomeInput(finished[0], "reached", "retained"));
        Assert.Equal(0, desk.Close(boss, done));
        Assert.Equal("closed", writer.W.Scalar<string>("select status from ops.campaign where campaign_id = $done", new { done }));

        // the assignment of task 0 journaled after the agent's claim and outcome that started from it, as a supervisor's
        // rows can be (written once the change is committed): the replay still gets all three
        using (var pg = new NpgsqlConnection(ops.ConnectionString))
        {
            pg.Execute("update ops.agent_journal set journal_id = journal_id + 1000000 where kind = 'task' and task_id = @id", new { id = tasks[0] });
        }

        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        var replaying = new AgentWorkbench(survivor.Db, new TaskAccess(survivor.Db, new AuditLog(survivor.Db)), writer.Options, writer.Region, []);
        Assert.NotEqual(Supervised(writer.W), Supervised(survivor));

        // a campaign's statuses are set once its tasks are back: of the recycling's and the closing's, the last one counts
        var first = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);
        Assert.Equal(0, first.Failed);
        Assert.Equal(1, first.AlreadyThere);
        Assert.Equal(Supervised(writer.W), Supervised(survivor));
        Assert.Equal(Tasks(writer.W, campaign), Tasks(survivor, campaign));
        Assert.Equal(Contacts(writer.W, campaign), Contacts(survivor, campaign));

        var second = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);
        Assert.Equal(new JournalReplay(first.Entries, 0, first.Entries, 0), second);
        Assert.Equal(Supervised(writer.W), Supervised(survivor));
    }

    [SkippableFact]
    public void Campaigns_made_in_the_portal_since_the_build_reach_the_node_that_takes_over_with_their_ids_and_the_work_on_them()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        using var writer = new CampaignWorld(ops);
        // the portal's mapping of snake_case columns (WarehouseSetup), as the workbench reads tasks
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var journal = new AgentJournal(writer.W.Db, "node1", NullLogger<AgentJournal>.Instance);
        var special = new SegmentCampaigns(writer.W.Db, new CustomRules(writer.W.Db, writer.Audit), writer.Generator, writer.Teams, writer.Audit, journal);
        var callbacks = new NewSubscriberCallbacks(writer.W.Db, writer.Generator, writer.Teams, writer.Audit, journal);
        var clock = new TestClock(new DateTime(2026, 11, 5, 10, 0, 0));
        var region = new RegionClock(new RegionTimeOptions { TimeZone = "UTC" }, clock);
        var options = new WorkbenchOptions();
        var access = new TaskAccess(writer.W.Db, writer.Audit);
        var agents = new AgentWorkbench(writer.W.Db, access, options, region, [], journal);
        var desk = new SupervisorDesk(writer.W.Db, access, options, region, journal);
        // the segment: contracts ending within two months on Q88; one of them is being worked in another campaign (linked),
        // one has an open complaint (excluded); twenty new subscribers of October; customers named in the profile
        writer.Exec("create table mart.subscriber_profile (subscriber_id varchar, city_code varchar, reasons_json varchar, customer_name varchar)");
        for (var i = 0; i < 8; i++)
        {
            writer.Subscriber($"HZ{i}").Features($"HZ{i}", plan: "Q88", monthsToContractEnd: 1);
        }
        writer.Complaint("HZ7");
        writer.Features("LNK", plan: "Q88", monthsToContractEnd: 1).AnyTask("LNK");
        writer.ManyNew(20);
        writer.Exec("insert into mart.subscriber_profile select subscriber_id, city_code, null, 'Customer ' || subscriber_id from dw.dim_subscriber");
        // live tasks carry their customer's name, as the call lists leave them after every build
        writer.Exec("update ops.task set customer_name = 'Customer ' || subscriber_id");
        writer.Callbacks.SaveSettings(NewSubscriberSettings.Default with { HoldoutPct = 0.2 }, "supervisor.hz");
        writer.Teams.EnsureSeeded();
        var startedUtc = DateTime.UtcNow;
        var build = writer.W.PublishBuild();

        // after the build, on the writer only: a special campaign made while no agent is free (its tasks stay open with
        // their team), refreshed once two more match and agents are back (the refresh routes the earlier tasks too), the
        // month's new-subscriber list; an agent works one of the new tasks and the supervisor gives another to a colleague
        writer.Exec("update ops.agent set active = false");
        var made = special.Create(new SpecialCampaignRequest("Renewals", ContractEndsSoon, "broadband", 0), "supervisor.hz",
            CampaignWorld.Hangzhou, CampaignWorld.Today);
        Assert.Equal(made.Tasks, writer.W.Scalar<long>("select count(*) from ops.task where campaign_id = $id and status = 'open'", new { id = made.CampaignId }));
        writer.Exec("update ops.agent set active = true");
        writer.Subscriber("HZ8").Features("HZ8", plan: "Q88", monthsToContractEnd: 2);
        writer.Subscriber("HZ9").Features("HZ9", plan: "Q88", monthsToContractEnd: 0);
        writer.Exec("insert into mart.subscriber_profile values ('HZ8', '571', null, 'Customer HZ8'), ('HZ9', '571', null, 'Customer HZ9')");
        Assert.Equal(2L, special.Refresh(made.CampaignId, "supervisor.hz", CampaignWorld.Today).AddedMembers);
        var list = callbacks.Generate(CampaignWorld.Period, "supervisor.hz", CampaignWorld.Hangzhou, CampaignWorld.Today);
        Assert.Equal(1L, writer.W.Scalar<long>("select count(*) from ops.task_link where campaign_id = $id", new { id = made.CampaignId }));
        Assert.Equal(made.Tasks + 2, writer.W.Scalar<long>("select count(*) from ops.task where campaign_id = $id and status = 'assigned'", new { id = made.CampaignId }));
        var assigned = writer.W.Query<(long TaskId, string AssignedTo, int Version)>(
            "select task_id, assigned_to, version from ops.task where campaign_id in ($a, $b) and status = 'assigned' order by task_id",
            new { a = made.CampaignId, b = list.CampaignId });
        var (worked, agent, _) = assigned.First(t => t.AssignedTo != "agent.hz2");
        var given = assigned.Last(t => t.AssignedTo != "agent.hz2");
        var hz = WorkbenchWorld.Agent(agent);
        agents.Open(hz, worked);
        agents.Record(hz, new OutcomeInput(worked, "reached", "retained", Notes: "renewed"));
        Assert.Equal(1, desk.Assign(WorkbenchWorld.Supervisor(), [new TaskRef(given.TaskId, given.Version)], "agent.hz2").Changed);

        // the campaigns' rows journaled after the claim, the outcome and the assignment of their tasks, as an agent may
        // open a task the moment it is committed: those wait for the pass after the one that inserts the tasks
        using (var pg = new NpgsqlConnection(ops.ConnectionString))
        {
            Assert.True(pg.Execute("update ops.agent_journal set journal_id = journal_id + 1000000 where kind like 'made\\_%'") > 0);
        }

        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        var survivorAudit = new AuditLog(survivor.Db);
        var replaying = new AgentWorkbench(survivor.Db, new TaskAccess(survivor.Db, survivorAudit), options, region, []);
        Assert.NotEqual(Made(writer.W), Made(survivor));

        // two campaigns, what the creation and the refresh of the special one and the list added, the earlier tasks the
        // refresh routed, the claim, the outcome and the assignment: all made after the build
        var rows = 2 + writer.W.Scalar<long>("""
            select (select count(*) from ops.campaign_member where campaign_id in ($a, $b))
                + (select count(*) from ops.task where campaign_id in ($a, $b))
                + (select count(*) from ops.task_link where campaign_id in ($a, $b))
                + (select count(*) from ops.campaign_run where campaign_id in ($a, $b))
            """, new { a = made.CampaignId, b = list.CampaignId }) + made.Tasks + 3;
        var first = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);
        Assert.Equal(new JournalReplay(Entries: (int)rows, Applied: (int)rows, AlreadyThere: 0, Failed: 0), first);
        Assert.Equal(Made(writer.W), Made(survivor));
        Assert.Equal(Contacts(writer.W, made.CampaignId).Concat(Contacts(writer.W, list.CampaignId)),
            Contacts(survivor, made.CampaignId).Concat(Contacts(survivor, list.CampaignId)));
        Assert.Single(Contacts(survivor, writer.W.Scalar<long>("select campaign_id from ops.task where task_id = $worked", new { worked })));

        var second = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);
        Assert.Equal(new JournalReplay(Entries: (int)rows, Applied: 0, AlreadyThere: (int)rows, Failed: 0), second);
        Assert.Equal(Made(writer.W), Made(survivor));

        // the supervisors go on with the node that took over: the special campaign is refreshed from its segment there, and a
        // new campaign gets ids after every one the writer gave
        using (var c = survivor.Db.Connect())
        {
            c.Execute("""
                insert into dw.dim_subscriber values ('HZA', '571', 'low', null, 'active', true, date '2020-01-01', null, 'S001', 'P28',
                    date '2020-01-01', date '9999-12-31');
                insert into mart.mart_subscriber_features values ('HZA', date '2026-10-01', '571', 'Q88', 'postpaid', 'mid', 24, 'active', 1);
                """);
        }
        var teams = new TeamSeeder(survivor.Db);
        var generator = new TaskGenerator(survivor.Db, teams);
        var there = new SegmentCampaigns(survivor.Db, new CustomRules(survivor.Db, survivorAudit), generator, teams, survivorAudit);
        Assert.Equal(1L, there.Refresh(made.CampaignId, "supervisor.hz", CampaignWorld.Today).AddedMembers);
        var next = there.Create(new SpecialCampaignRequest("Second wave", ContractEndsSoon, "broadband", 0), "admin",
            RegionScope.WholeProvince, CampaignWorld.Today);
        Assert.True(next.CampaignId > Math.Max(made.CampaignId, list.CampaignId));
        var writersTasks = writer.W.Query<long>("select task_id from ops.task");
        var newTasks = survivor.Query<long>("select task_id from ops.task").Except(writersTasks).ToList();
        Assert.NotEmpty(newTasks);
        Assert.All(newTasks, id => Assert.True(id > writersTasks.Max()));
    }

    [SkippableFact]
    public void A_new_subscriber_list_the_command_line_made_on_a_clusters_writer_reaches_the_node_that_takes_over()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        var folder = Directory.CreateTempSubdirectory("ra-journal-cli-").FullName;
        var build = Path.Combine(folder, "build.duckdb");
        using (var writer = new CampaignWorld(ops))
        {
            writer.ManyNew(20);
            writer.Exec("create table mart.subscriber_profile (subscriber_id varchar, city_code varchar, reasons_json varchar, customer_name varchar)");
            writer.Exec("insert into mart.subscriber_profile select subscriber_id, city_code, null, 'Customer ' || subscriber_id from dw.dim_subscriber");
            writer.Callbacks.SaveSettings(NewSubscriberSettings.Default with { HoldoutPct = 0.2 }, "supervisor.hz");
            writer.Teams.EnsureSeeded();
            File.Copy(writer.W.PublishBuild(), build);
        }
        var (file, startedUtc) = RunOnTheWritersFile(ops, folder, build, "callbacks", "generate", "--period", "2026-10");
        using var writersFile = new TestWarehouse(ops: ops, copyOf: file);
        Assert.True(writersFile.Scalar<long>("select count(*) from ops.task as task join ops.campaign as campaign using (campaign_id) where campaign.kind = 'new_subscriber'") > 0);
        using (var pg = new NpgsqlConnection(ops.ConnectionString))
        {
            Assert.Equal(["node-cli"], pg.Query<string>("select distinct node from ops.agent_journal"));
        }

        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        var (journal, replaying) = TakingOver(survivor);
        Assert.NotEqual(Made(writersFile), Made(survivor));

        // the campaign, its members, tasks and run: every column as the command line left them
        var rows = 1 + writersFile.Scalar<long>("""
            select (select count(*) from ops.campaign_member) + (select count(*) from ops.task) + (select count(*) from ops.campaign_run)
            """);
        var first = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);
        Assert.Equal(new JournalReplay(Entries: (int)rows, Applied: (int)rows, AlreadyThere: 0, Failed: 0), first);
        Assert.Equal(Made(writersFile), Made(survivor));

        var second = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);
        Assert.Equal(new JournalReplay(Entries: (int)rows, Applied: 0, AlreadyThere: (int)rows, Failed: 0), second);
        Assert.Equal(Made(writersFile), Made(survivor));
        Directory.Delete(folder, recursive: true);
    }

    [SkippableFact]
    public void Call_lists_the_command_line_made_on_a_clusters_writer_reach_the_node_that_takes_over()
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        var folder = Directory.CreateTempSubdirectory("ra-journal-tasks-").FullName;
        var build = CallListWorld(ops, folder);
        var (file, startedUtc) = RunOnTheWritersFile(ops, folder, build, "tasks", "generate", "--period", "2026-10");
        using var writersFile = new TestWarehouse(ops: ops, copyOf: file);
        Assert.Equal(2, writersFile.Scalar<long>("select count(*) from ops.campaign where kind = 'scenario'"));
        Assert.True(writersFile.Scalar<long>("select count(*) from ops.task") > 0);

        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        var (journal, replaying) = TakingOver(survivor);
        Assert.NotEqual(Made(writersFile), Made(survivor));

        // both campaigns, their members, tasks and links: every column as the command line left them, applied once
        var first = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);
        Assert.Equal(0, first.Failed);
        Assert.True(first.Applied > 0);
        Assert.Equal(Made(writersFile), Made(survivor));
        var second = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);
        Assert.Equal(new JournalReplay(Entries: first.Entries, Applied: 0, AlreadyThere: first.Entries, Failed: 0), second);
        Assert.Equal(Made(writersFile), Made(survivor));
        Directory.Delete(folder, recursive: true);
    }

    [SkippableTheory]
    [InlineData(true)] // other ids, the same keys
    [InlineData(false)] // the same ids and keys, made at another time: the journal's tasks would land in the node's campaigns
    public void Call_lists_of_a_month_the_node_that_takes_over_made_itself_stand_and_the_journaled_ones_of_their_keys_are_left_out(bool ownCampaignsFirst)
    {
        postgres.SkipUnlessAvailable();
        var ops = new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() };
        var folder = Directory.CreateTempSubdirectory("ra-journal-own-lists-").FullName;
        var build = CallListWorld(ops, folder);
        var (_, startedUtc) = RunOnTheWritersFile(ops, folder, build, "tasks", "generate", "--period", "2026-10");

        // the node made the month's call lists itself (after campaigns and tasks of its own: other ids, the same keys)
        using var survivor = new TestWarehouse(ops: ops, copyOf: build);
        if (ownCampaignsFirst)
        {
            Assert.Equal(5, survivor.Query<long>("select nextval('ops.campaign_id_seq') from range(5)").Count);
            Assert.Equal(500, survivor.Query<long>("select nextval('ops.task_id_seq') from range(500)").Count);
        }
        else
        {
            // from alerts of its own: fewer tasks, so some of the journal's task ids are new here
            Assert.True(survivor.Query<string>("delete from det.alert where city_code = '574' returning subscriber_id").Count > 0);
        }
        var own = new TaskGenerator(survivor.Db, new TeamSeeder(survivor.Db)).Generate(new DateOnly(2026, 10, 1), new CallListOptions { CreatedBy = "pipeline" });
        Assert.Equal(2, own.Count);
        var before = Made(survivor);

        var (journal, replaying) = TakingOver(survivor);
        var first = journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin);
        // its lists stand as they were, no key twice, and nothing failed; a second replay changes nothing either
        Assert.Equal(0, first.Failed);
        Assert.Equal(0, first.Applied);
        Assert.Equal(before, Made(survivor));
        Assert.Equal(0L, survivor.Scalar<long>("select count(*) from (select campaign_key from ops.campaign group by campaign_key having count(*) > 1)"));
        Assert.Equal(new JournalReplay(Entries: first.Entries, Applied: 0, AlreadyThere: first.Entries, Failed: 0),
            journal.Replay(replaying, startedUtc - AgentJournal.ClockMargin));
        Assert.Equal(before, Made(survivor));
        Directory.Delete(folder, recursive: true);
    }

    /// <summary>A built warehouse in miniature, published as a build: the core delivered and built, two call scenarios' alerts of 2026-10.</summary>
    private static string CallListWorld(OpsOptions ops, string folder)
    {
        var build = Path.Combine(folder, "build.duckdb");
        using var writer = new CampaignWorld(ops);
        writer.ManyNew(30);
        writer.ManyNew(12, city: "574", prefix: "B");
        writer.Exec("""
            create table stg.subscription (subscriber_id varchar);
            insert into stg.subscription values ('N000001');
            create table dw.fct_subscriber_month (subscriber_id varchar, month date);
            insert into dw.fct_subscriber_month values ('N000001', date '2026-10-01');
            create table mart.subscriber_profile (subscriber_id varchar, city_code varchar, reasons_json varchar, customer_name varchar);
            insert into mart.subscriber_profile select subscriber_id, city_code, null, 'Customer ' || subscriber_id from dw.dim_subscriber;
            insert into det.scenario (scenario_id, kind, name_en, name_de, name_zh, priority, action) values
                ('s04_bill_drop', 'scenario', 'Bill drop', 'Rechnungsrückgang', '账单下降', 2, 'call'),
                ('s13_churn_warning', 'scenario', 'Churn warning', 'Abwanderungswarnung', '离网预警', 1, 'both');
            insert into det.alert
            select case when i % 3 = 0 then 's04_bill_drop' else 's13_churn_warning' end, date '2026-10-01', subscriber_id, city_code,
                value_tier, 0.3 + (i % 7) / 10.0, 'evidence', null, 'p', 1, timestamp '2026-11-01 03:00:00'
            from (select subscriber_id, city_code, value_tier, row_number() over (order by subscriber_id) as i from dw.dim_subscriber);
            """);
        writer.Teams.EnsureSeeded();
        File.Copy(writer.W.PublishBuild(), build);
        return build;
    }

    /// <summary>
    /// Runs <c>ra</c> with a cluster's configuration (the portal's Ops and Cluster sections) on a copy of the writer's
    /// file after the <paramref name="build"/>, as an operator does on a stopped node.
    /// </summary>
    private static (string File, DateTime StartedUtc) RunOnTheWritersFile(OpsOptions ops, string folder, string build, params string[] args)
    {
        var file = Path.Combine(folder, "writer.duckdb");
        File.Copy(build, file);
        var startedUtc = DateTime.UtcNow;
        RaCli.RunOk(new Dictionary<string, string>
        {
            ["Ops__Provider"] = OpsOptions.Postgres, ["Ops__ConnectionString"] = ops.ConnectionString!,
            ["Cluster__SnapshotFolder"] = Path.Combine(folder, "snapshots"), ["Cluster__Node"] = "node-cli",
        }, [.. args, "--db", file]);
        return (file, startedUtc);
    }

    /// <summary>The journal and the workbench that replays it, as the node that takes over from <paramref name="survivor"/> reads them.</summary>
    /// <summary>
    /// node1, a writer whose journal keeps what PostgreSQL does not take, with a campaign of tasks for agent.hz1.
    /// </summary>
    private sealed class OwingWriter : IDisposable
    {
        public static readonly Actor Hz1 = WorkbenchWorld.Agent("agent.hz1");

        public WorkbenchWorld World { get; }
        public AgentJournal Journal { get; }
        public AgentWorkbench Agents { get; }
        public long Campaign { get; }
        public IReadOnlyList<long> Tasks { get; }

        public OwingWriter(OpsOptions ops, int tasks)
        {
            World = new WorkbenchWorld(ops: ops);
            Journal = new AgentJournal(World.W.Db, "node1", NullLogger<AgentJournal>.Instance, keepsOwed: true);
            Agents = new AgentWorkbench(World.W.Db, World.Access, World.Options, World.Region, [], Journal);
            Campaign = World.Campaign();
            Tasks = World.Tasks(Campaign, tasks, agents: ["agent.hz1"]);
        }

        /// <summary>A claim and an outcome of the task saved while the journal's table is out of reach: owed in node1's file.</summary>
        public void OweAClaimAndAnOutcome(long task)
        {
            World.W.OpsExec("alter table ops.agent_journal rename to agent_journal_away");
            Agents.Open(Hz1, task);
            Agents.Record(Hz1, new OutcomeInput(task, "reached", "retained", Notes: "while the database was away"));
            World.W.OpsExec("alter table ops.agent_journal_away rename to agent_journal");
        }

        public void Dispose() => World.Dispose();
    }

    private static (AgentJournal Journal, AgentWorkbench Replaying) TakingOver(TestWarehouse survivor)
    {
        // the portal's mapping of snake_case columns (WarehouseSetup), as the node that takes over reads the journal
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        return (new AgentJournal(survivor.Db, "node2", NullLogger<AgentJournal>.Instance),
            new AgentWorkbench(survivor.Db, new TaskAccess(survivor.Db, new AuditLog(survivor.Db)), new WorkbenchOptions(),
                new RegionClock(new RegionTimeOptions { TimeZone = "UTC" }, new TestClock(new DateTime(2026, 11, 5, 10, 0, 0))), []));
    }

    private const string ContractEndsSoon = """
        {"op": "and", "conditions": [{"field": "months_to_contract_end", "operator": "<=", "value": 2},
                                     {"field": "plan_code", "operator": "in", "values": ["Q88"]}]}
        """;

    /// <summary>Every column of every campaign (with its titles and segment), member, task, link and generation run.</summary>
    private static List<string> Made(TestWarehouse w) => w.Query<string>("""
        select 'campaign ' || cast(campaign as varchar) from ops.campaign as campaign
        union all
        select 'title ' || cast(title as varchar) from ops.campaign_title as title
        union all
        select 'segment ' || cast(segment as varchar) from ops.campaign_segment as segment
        union all
        select 'member ' || cast(member as varchar) from ops.campaign_member as member
        union all
        select 'task ' || cast(task as varchar) from ops.task as task
        union all
        select 'link ' || cast(link as varchar) from ops.task_link as link
        union all
        select 'run ' || cast(run as varchar) from ops.campaign_run as run
        order by 1
        """);

    /// <summary>Every column a supervisor's change sets, of every task, and every campaign's status.</summary>
    private static List<string> Supervised(TestWarehouse w) => w.Query<string>("""
        select concat_ws('|', task_id, status, coalesce(assigned_to, '-'), coalesce(team_id, '-'), coalesce(cast(due_date as varchar), '-'),
                         coalesce(cast(priority as varchar), '-'), coalesce(cast(callback_at as varchar), '-'),
                         coalesce(cast(closed_at as varchar), '-'), version, updated_at)
        from ops.task
        union all
        select concat_ws('|', 'campaign', campaign_id, status) from ops.campaign
        order by 1
        """);

    private static List<WorkbenchWorld.TaskState> Tasks(TestWarehouse w, long campaign) => w.Query<WorkbenchWorld.TaskState>("""
        select task_id as TaskId, status as Status, assigned_to as AssignedTo, attempts as Attempts, version as Version,
               result as Result, callback_at as CallbackAt, priority as Priority, due_date as DueDate
        from ops.task where campaign_id = $campaign order by task_id
        """, new { campaign });

    private static List<ContactRow> Contacts(TestWarehouse w, long campaign) => w.Query<ContactRow>("""
        select task_id as TaskId, username as Username, channel as Channel, outcome as Outcome, result as Result, notes as Notes, contact_time as ContactTime
        from ops.contact where campaign_id = $campaign order by task_id, contact_time
        """, new { campaign });
}
