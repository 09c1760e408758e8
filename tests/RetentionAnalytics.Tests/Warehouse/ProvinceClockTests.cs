using Dapper;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Regions;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Warehouse;

/// <summary>
/// Every stored time is the province's wall clock, whatever zone the server keeps: what SQL stamps with <c>now()</c>
/// (the audit log, job runs, tasks) and what code stamps with <see cref="Db.Clock"/> agree, on either provider, and an
/// audit log an earlier version wrote on the server's clock is moved to the province's once.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class ProvinceClockTests(PostgresServer postgres)
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.FindSystemTimeZoneById("Etc/UTC");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>A province zone hours away from this machine's, so that a stamp on the server's clock shows.</summary>
    private static string ProvinceAwayFromServer()
    {
        var now = DateTimeOffset.UtcNow;
        return Math.Abs((TimeZoneInfo.Local.GetUtcOffset(now) - TimeZoneInfo.FindSystemTimeZoneById("Asia/Shanghai").GetUtcOffset(now)).TotalHours) >= 3
            ? "Asia/Shanghai" : "America/New_York";
    }

    private OpsOptions Ops(string provider) => provider == OpsOptions.Postgres
        ? new OpsOptions { Provider = OpsOptions.Postgres, ConnectionString = postgres.CreateDatabase() }
        : new OpsOptions();

    [SkippableTheory]
    [InlineData(OpsOptions.DuckDb)]
    [InlineData(OpsOptions.Postgres)]
    public void What_sql_and_code_stamp_is_the_provinces_wall_clock_not_the_servers(string provider)
    {
        if (provider == OpsOptions.Postgres)
        {
            postgres.SkipUnlessAvailable();
        }
        var zone = ProvinceAwayFromServer();
        using var w = new TestWarehouse(ops: Ops(provider), region: new RegionTimeOptions { TimeZone = zone });
        var province = TimeZoneInfo.FindSystemTimeZoneById(zone);
        var expected = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, province).DateTime;
        var server = DateTime.Now;

        new AuditLog(w.Db).Write("admin", "user_change", "agent.x", detail: "created");
        var entry = Assert.Single(new AuditLog(w.Db).Query(username: "admin"));
        Assert.InRange(entry.At, expected.AddMinutes(-2), expected.AddMinutes(2));
        Assert.False(Math.Abs((entry.At - server).TotalHours) < 2, $"the audit row {entry.At} is on the server's clock ({server})");

        // a day filter is the province's day
        Assert.Single(new AuditLog(w.Db).Query(from: expected.Date, to: expected.Date.AddDays(1)));

        Assert.InRange(w.Db.Clock.Now, expected.AddMinutes(-2), expected.AddMinutes(2));
        using (var ops = w.Db.Ops.Connect())
        {
            Assert.InRange(ops.ExecuteScalar<DateTime>("select cast(now() as timestamp)"), expected.AddMinutes(-2), expected.AddMinutes(2));
        }
        using (var warehouse = w.Db.Connect())
        {
            Assert.InRange(warehouse.ExecuteScalar<DateTime>("select cast(now() as timestamp)"), expected.AddMinutes(-2), expected.AddMinutes(2));
            Assert.Equal(DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, province).DateTime),
                DateOnly.FromDateTime(warehouse.ExecuteScalar<DateTime>("select current_date")));
        }
    }

    [SkippableTheory]
    [InlineData(OpsOptions.DuckDb)]
    [InlineData(OpsOptions.Postgres)]
    public void An_audit_log_written_on_the_servers_clock_moves_to_the_provinces_once(string provider)
    {
        // as an earlier version left it on a server in New York: times on that clock, and no zone recorded
        using var w = LogWrittenBefore(provider, new DateTime(2026, 1, 15, 9, 30, 0), new DateTime(2026, 7, 15, 9, 30, 0));

        var adopted = AuditClock.Adopt(w.Db, NewYork);

        Assert.Equal(new AuditClock.Adoption("Asia/Shanghai", "America/New_York", 2), adopted);
        var times = new AuditLog(w.Db).Query(from: new DateTime(2026, 1, 1), to: new DateTime(2027, 1, 1)).ToDictionary(e => e.AuditId, e => e.At);
        // 09:30 in New York is 22:30 in Shanghai in winter (UTC-5) and 21:30 in summer (UTC-4, daylight saving)
        Assert.Equal(new DateTime(2026, 1, 15, 22, 30, 0), times[9001]);
        Assert.Equal(new DateTime(2026, 7, 15, 21, 30, 0), times[9002]);

        // once: the next start (on any node) leaves the log as it is
        Assert.Null(AuditClock.Adopt(w.Db, NewYork));
        Assert.Null(AuditClock.Adopt(w.Db, Utc));
        Assert.Equal(times, new AuditLog(w.Db).Query(from: new DateTime(2026, 1, 1), to: new DateTime(2027, 1, 1)).ToDictionary(e => e.AuditId, e => e.At));
    }

    [SkippableTheory]
    [InlineData(OpsOptions.DuckDb)]
    [InlineData(OpsOptions.Postgres)]
    public void A_server_that_kept_the_provinces_zone_leaves_its_audit_log_as_it_was(string provider)
    {
        using var w = LogWrittenBefore(provider, new DateTime(2026, 1, 15, 9, 30, 0));

        Assert.Equal(new AuditClock.Adoption("Asia/Shanghai", null, 0), AuditClock.Adopt(w.Db, w.Db.Clock.Province));
        Assert.Equal(new DateTime(2026, 1, 15, 9, 30, 0),
            Assert.Single(new AuditLog(w.Db).Query(from: new DateTime(2026, 1, 1), to: new DateTime(2027, 1, 1))).At);
    }

    /// <summary>A store as an earlier version left it: sign-ins at these times (audit ids 9001, 9002, …), no zone adopted.</summary>
    private TestWarehouse LogWrittenBefore(string provider, params DateTime[] times)
    {
        if (provider == OpsOptions.Postgres)
        {
            postgres.SkipUnlessAvailable();
        }
        var w = new TestWarehouse(ops: Ops(provider));
        using var c = w.Db.Ops.Connect();
        c.Execute("delete from ops.stamp_zone");
        c.Execute(w.Db.Ops.Text("""
            insert into ops.audit_log (audit_id, occurred_at, username, action, target, outcome)
            values ($id, $at, 'admin', 'sign_in', null, 'ok')
            """), times.Select((at, i) => new { id = 9001L + i, at }));
        return w;
    }
}
