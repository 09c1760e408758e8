using ClosedXML.Excel;
using Dapper;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Delivery;
using RetentionAnalytics.Core.Exports;
using RetentionAnalytics.Core.Reports;
using RetentionAnalytics.Tests.Support;
using RetentionAnalytics.Tests.Warehouse;

namespace RetentionAnalytics.Tests.Delivery;

/// <summary>
/// Scheduled delivery on the sample province. Each test has its own subscriber accounts and its own stretch of
/// (future) clock time, so the shared warehouse does not couple them.
/// </summary>
public class DeliveryTests : IClassFixture<SampleProvinceFixture>, IDisposable
{
    private readonly TestWarehouse _warehouse;
    private readonly bool _owned;

    public DeliveryTests(SampleProvinceFixture sample) : this(sample.Warehouse, owned: false)
    {
    }

    /// <param name="warehouse">The sample province; <paramref name="owned"/>: disposed with the test.</param>
    protected DeliveryTests(TestWarehouse warehouse, bool owned)
    {
        _warehouse = warehouse;
        _owned = owned;
    }

    public void Dispose()
    {
        if (_owned)
        {
            _warehouse.Dispose();
        }
        GC.SuppressFinalize(this);
    }

    private DeliveryService Service(int maxAttempts = 3)
    {
        var db = _warehouse.Db;
        var audit = new AuditLog(db);
        return new DeliveryService(db, [new SubscribersByCityRenderer(db), new FailingRenderer()], new Exporter(audit), audit,
            new DeliveryOptions(maxAttempts, TimeSpan.FromMinutes(10)), new NoDeliveryMailer());
    }

    private void Account(string username, string roles, bool province, string? cities)
    {
        _warehouse.OpsExec("delete from ops.app_user where username = $username", new { username });
        _warehouse.OpsExec("""
            insert into ops.app_user (username, display_name, source, roles, scope_province, scope_cities, created_at, updated_at)
            values ($username, $username, 'local', $roles, $province, $cities, now(), now())
            """, new { username, roles, province, cities });
    }

    private static readonly DeliverySchedule DailyAtSix = new(ScheduleKind.Daily, new TimeOnly(6, 0));

    /// <summary>Issue 13 item 8: such subscriptions were accepted and then failed three times.</summary>
    [SkippableTheory]
    [InlineData("dlv.refuse.city", "city_manager", "city", "574", "ParameterRefused", "city")]
    [InlineData("dlv.refuse.param", "city_manager", "colour", "red", "ParameterRefused", "colour")]
    [InlineData("dlv.refuse.month", "city_manager", "from_month", "1999-01", "ParameterRefused", "from_month")]
    [InlineData("dlv.refuse.role", "agent", "city", "571", "ReportNotAllowed", null)]
    public void A_subscription_the_account_could_not_read_is_refused_when_made_with_the_reason(
        string username, string role, string parameter, string value, string reason, string? refusedParameter)
    {
        Account(username, role, false, "571");
        var db = _warehouse.Db;
        var audit = new AuditLog(db);
        var reports = new FixedReportRenderer(new ReportEngine(db, ReportCatalog.Load(ReportCatalog.FolderOf(db.Options), db.Sql)));
        var service = new DeliveryService(db, [reports], new Exporter(audit), audit, new DeliveryOptions(), new NoDeliveryMailer());

        var refused = Assert.Throws<SubscriptionRefusedException>(() => service.Subscribe(username, "kpi_overview",
            new Dictionary<string, string> { [parameter] = value }, DailyAtSix, ExportFileType.Csv, false, new DateTime(2031, 1, 1)));

        Assert.Equal((reason, refusedParameter), (refused.Reason, refused.Parameter));
        Assert.Empty(service.Subscriptions(username));
        Assert.Contains(audit.Query(action: "delivery_subscribe"), e => e.Username == username && e.Outcome == "denied");
        // the same account with what it may read is accepted
        if (role == "city_manager")
        {
            service.Subscribe(username, "kpi_overview", new Dictionary<string, string> { ["city"] = "571" }, DailyAtSix,
                ExportFileType.Csv, false, new DateTime(2031, 1, 1));
            Assert.Single(service.Subscriptions(username));
        }
        Assert.Throws<SubscriptionRefusedException>(() => service.Subscribe(username, "no_such_report",
            new Dictionary<string, string>(), DailyAtSix, ExportFileType.Csv, false, new DateTime(2031, 1, 1)));
    }

    [SkippableFact]
    public async Task A_city_managers_delivered_copy_holds_only_their_city_and_the_analysts_the_whole_province()
    {
        Account("dlv.manager.hz", "city_manager", false, "571");
        Account("dlv.analyst", "analyst", true, null);
        var service = Service();
        var now = new DateTime(2031, 3, 1, 0, 0, 0);
        service.Subscribe("dlv.manager.hz", SubscribersByCityRenderer.Id, new Dictionary<string, string>(), DailyAtSix, ExportFileType.Xlsx, false, now);
        service.Subscribe("dlv.analyst", SubscribersByCityRenderer.Id, new Dictionary<string, string>(), DailyAtSix, ExportFileType.Xlsx, false, now);

        Assert.Equal(0, await service.RunDue(now.AddHours(5)));
        Assert.True(await service.RunDue(now.AddHours(6)) >= 2);

        var expected = _warehouse.Query<(string City, long Subscribers)>(
            "select city_code, count(*) from dw.snapshot_base group by city_code order by city_code");
        var manager = Cities(service, "dlv.manager.hz");
        Assert.Equal(expected.Where(e => e.City == "571").ToList(), manager);
        var analyst = Cities(service, "dlv.analyst");
        Assert.Equal(expected, analyst);
        Assert.Equal(11, analyst.Count);

        var run = Assert.Single(service.Runs("dlv.manager.hz"));
        Assert.Equal("delivered", run.Status);
        Assert.Equal(1, run.Attempts);
        // the next delivery is tomorrow at six
        Assert.Equal(now.AddDays(1).AddHours(6), Assert.Single(service.Subscriptions("dlv.manager.hz")).NextDueAt);
        Assert.Contains(new AuditLog(_warehouse.Db).Query(username: "dlv.manager.hz", action: "export"),
            e => e.Target!.StartsWith("delivery:") && e.Detail == "type=xlsx rows=2 streamed=no");
    }

    [SkippableFact]
    public async Task Skip_if_empty_skips_a_report_without_rows_and_puts_nothing_in_the_inbox()
    {
        Account("dlv.manager.empty", "city_manager", false, "599");
        Account("dlv.manager.keep", "city_manager", false, "599");
        var service = Service();
        var now = new DateTime(2032, 5, 1, 0, 0, 0);
        service.Subscribe("dlv.manager.empty", SubscribersByCityRenderer.Id, new Dictionary<string, string>(), DailyAtSix, ExportFileType.Xlsx, true, now);
        service.Subscribe("dlv.manager.keep", SubscribersByCityRenderer.Id, new Dictionary<string, string>(), DailyAtSix, ExportFileType.Csv, false, now);

        await service.RunDue(now.AddHours(6));

        Assert.Equal("skipped", Assert.Single(service.Runs("dlv.manager.empty")).Status);
        Assert.Empty(service.Inbox("dlv.manager.empty"));
        // without the option the empty report is delivered (headers only)
        Assert.Equal(0, Assert.Single(service.Inbox("dlv.manager.keep")).RowsDelivered);
    }

    [SkippableFact]
    public async Task A_failing_report_is_retried_with_a_growing_wait_and_then_shown_as_failed()
    {
        Account("dlv.failing", "analyst", true, null);
        var service = Service(maxAttempts: 3);
        var now = new DateTime(2033, 7, 1, 0, 0, 0);
        service.Subscribe("dlv.failing", FailingRenderer.Id, new Dictionary<string, string>(), DailyAtSix, ExportFileType.Xlsx, false, now);
        var due = now.AddHours(6);

        await service.RunDue(due);
        var run = Assert.Single(service.Runs("dlv.failing"));
        Assert.Equal(("retrying", 1), (run.Status, run.Attempts));
        Assert.Equal(due.AddMinutes(10), run.NextAttemptAt);

        await service.RunDue(due.AddMinutes(9));
        Assert.Equal(1, Assert.Single(service.Runs("dlv.failing")).Attempts);

        await service.RunDue(due.AddMinutes(10));
        run = Assert.Single(service.Runs("dlv.failing"));
        Assert.Equal(("retrying", 2), (run.Status, run.Attempts));
        Assert.Equal(due.AddMinutes(30), run.NextAttemptAt); // 10 then 20 minutes

        await service.RunDue(due.AddMinutes(30));
        run = Assert.Single(service.Runs("dlv.failing"));
        Assert.Equal(("failed", 3), (run.Status, run.Attempts));
        Assert.Equal("InvalidOperationException: The report query failed (test).", run.Error);
        Assert.Empty(service.Inbox("dlv.failing"));
    }

    [SkippableFact]
    public async Task An_inbox_download_is_for_its_owner_only_and_audited()
    {
        Account("dlv.owner", "city_manager", false, "574");
        Account("dlv.other", "city_manager", false, "571");
        var service = Service();
        var now = new DateTime(2034, 9, 1, 0, 0, 0);
        service.Subscribe("dlv.owner", SubscribersByCityRenderer.Id, new Dictionary<string, string>(), DailyAtSix, ExportFileType.Xlsx, false, now);
        await service.RunDue(now.AddHours(6));
        var item = Assert.Single(service.Inbox("dlv.owner"));

        var file = service.Download("dlv.owner", item.ItemId);
        Assert.EndsWith(".xlsx", file.FileName);
        using (var workbook = new XLWorkbook(new MemoryStream(file.Content)))
        {
            Assert.Contains(workbook.Worksheet(1).CellsUsed(), cell => cell.GetString() == "574");
        }
        Assert.Throws<UnauthorizedAccessException>(() => service.Download("dlv.other", item.ItemId));
        Assert.Empty(service.Inbox("dlv.other"));

        var audit = new AuditLog(_warehouse.Db);
        Assert.Contains(audit.Query(username: "dlv.owner", action: "export"), e => e.Target == $"inbox:{item.ItemId}" && e.Outcome == "ok");
        Assert.Contains(audit.Query(username: "dlv.other", action: "export"), e => e.Target == $"inbox:{item.ItemId}" && e.Outcome == "denied");
    }

    [SkippableFact]
    public async Task Deliver_now_puts_a_copy_in_the_owners_inbox_and_keeps_the_schedule()
    {
        Account("dlv.now", "city_manager", false, "573");
        Account("dlv.now.other", "city_manager", false, "573");
        var service = Service();
        var now = new DateTime(2035, 5, 1, 9, 0, 0);
        var id = service.Subscribe("dlv.now", SubscribersByCityRenderer.Id, new Dictionary<string, string>(), DailyAtSix, ExportFileType.Xlsx, false, now);
        var nextDue = Assert.Single(service.Subscriptions("dlv.now")).NextDueAt;

        Assert.Null(await service.DeliverNow("dlv.now.other", id, now));
        Assert.Equal("delivered", await service.DeliverNow("dlv.now", id, now));

        Assert.Equal(nextDue, Assert.Single(service.Subscriptions("dlv.now")).NextDueAt);
        Assert.Equal([("573", _warehouse.Query<long>("select count(*) from dw.snapshot_base where city_code = '573'").Single())],
            Cities(service, "dlv.now"));
        Assert.Empty(service.Inbox("dlv.now.other"));
        // the finished run is not attempted again by the job
        Assert.Equal(0, await service.RunDue(now.AddMinutes(30)));
        Assert.Single(service.Inbox("dlv.now"));
    }

    [SkippableTheory]
    [InlineData(ScheduleKind.Daily, 1, "0 30 7 ? * *", "2026-11-02 07:30")]
    [InlineData(ScheduleKind.Weekly, 5, "0 30 7 ? * FRI", "2026-11-06 07:30")]
    [InlineData(ScheduleKind.Monthly, 28, "0 30 7 28 * ?", "2026-11-28 07:30")]
    public void A_schedule_is_stored_as_a_quartz_cron_and_finds_its_next_time(ScheduleKind kind, int day, string cron, string next)
    {
        var schedule = new DeliverySchedule(kind, new TimeOnly(7, 30), day);
        Assert.Equal(cron, schedule.Cron);
        // from Monday 2026-11-02 06:00
        Assert.Equal(DateTime.Parse(next, System.Globalization.CultureInfo.InvariantCulture), schedule.NextAfter(new DateTime(2026, 11, 2, 6, 0, 0)));
    }

    [SkippableFact]
    public void A_monthly_schedule_beyond_day_28_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new DeliverySchedule(ScheduleKind.Monthly, new TimeOnly(6, 0), 31).Cron);
    }

    private static List<(string City, long Subscribers)> Cities(DeliveryService service, string username)
    {
        var item = service.Inbox(username).First();
        var file = service.Download(username, item.ItemId);
        using var workbook = new XLWorkbook(new MemoryStream(file.Content));
        var sheet = workbook.Worksheet(1);
        var header = sheet.CellsUsed().First(c => c.GetString() == "City").Address.RowNumber;
        return sheet.RowsUsed().Where(r => r.RowNumber() > header && r.Cell(1).GetString() != "Total")
            .Select(r => (r.Cell(1).GetString(), (long)r.Cell(2).GetDouble())).ToList();
    }
}

/// <summary>The same deliveries with the operational data in a real PostgreSQL, on a copy of the sample province.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DeliveryTestsOnPostgres(SampleProvinceFixture sample, PostgresServer postgres)
    : DeliveryTests(sample.CopyWith(postgres.NewOps()), owned: true)
{
    [SkippableFact]
    public async Task The_delivery_job_on_two_nodes_at_once_opens_and_delivers_each_due_time_once()
    {
        var ops = postgres.NewOps();
        using var nodeA = sample.CopyWith(ops);
        using var nodeB = sample.CopyWith(ops);
        using (var c = new Npgsql.NpgsqlConnection(ops.ConnectionString))
        {
            c.Execute("""
                insert into ops.app_user (username, display_name, source, roles, scope_province, scope_cities, created_at, updated_at)
                values ('dlv.twice', 'dlv.twice', 'local', 'analyst', true, null, now(), now())
                """);
        }
        DeliveryService On(TestWarehouse node)
        {
            var audit = new AuditLog(node.Db);
            return new DeliveryService(node.Db, [new SubscribersByCityRenderer(node.Db)], new Exporter(audit), audit,
                new DeliveryOptions(3, TimeSpan.FromMinutes(10)), new NoDeliveryMailer());
        }
        var a = On(nodeA);
        var b = On(nodeB);
        var now = new DateTime(2036, 2, 1, 0, 0, 0);
        a.Subscribe("dlv.twice", SubscribersByCityRenderer.Id, new Dictionary<string, string>(), new DeliverySchedule(ScheduleKind.Daily, new TimeOnly(6, 0)),
            ExportFileType.Csv, false, now);

        var attempted = await Task.WhenAll(Task.Run(() => a.RunDue(now.AddHours(6))), Task.Run(() => b.RunDue(now.AddHours(6))));

        Assert.Equal(1, attempted.Sum());
        Assert.Equal("delivered", Assert.Single(b.Runs("dlv.twice")).Status);
        Assert.Single(a.Inbox("dlv.twice"));
        Assert.Equal(now.AddDays(1).AddHours(6), Assert.Single(b.Subscriptions("dlv.twice")).NextDueAt);
    }
}
