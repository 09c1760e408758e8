using System.Text;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Blacklist;
using RetentionAnalytics.Core.Imports;
using RetentionAnalytics.Core.Warehouse;
using RetentionAnalytics.Tests.Support;

namespace RetentionAnalytics.Tests.Sms;

/// <summary>
/// Blacklist and handset CSV imports (per-row results), with the operational data in the warehouse file (here) or in
/// PostgreSQL (<see cref="ImportTestsOnPostgres"/>). The material library has its own tests (Materials/).
/// </summary>
public class ImportTests : IAsyncLifetime
{
    private readonly SmsWorld _w;

    public ImportTests() : this(null)
    {
    }

    protected ImportTests(OpsOptions? ops) => _w = new SmsWorld(ops: ops);

    public Task InitializeAsync() => _w.InitializeAsync();
    public Task DisposeAsync() => _w.DisposeAsync();

    private static MemoryStream Csv(string text) => new(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(text)).ToArray());

    [SkippableFact]
    public void A_blacklist_import_accepts_valid_rows_and_names_the_reason_of_each_rejected_row()
    {
        _w.Subscriber("S0001").Subscriber("S0002").Subscriber("S0003").Subscriber("S0009", city: "574");
        var import = new BlacklistImport(_w.W.Db, _w.Audit, _w.Clock);
        var file = Csv("""
            subscriber_id;scope;reason;valid_until
            S0001;sms;opt_out;
            S0002;BOTH;request;2027-01-31
            S0003;fax;request;
            S9999;sms;request;
            S0009;sms;request;
            S0002;both;legal;
            S0003;call;request;2020-01-01
            S0003;call;whim;
            S0003;call;request;31.12.2026
            """);

        var result = import.Import(file, "blacklist.csv", "supervisor.hz", RegionScope.ForCities(["571"]));

        Assert.Equal((9, 2, 7), (result.RowsIn, result.Accepted, result.Rejected));
        Assert.Equal(result.RowsIn, result.Accepted + result.Rejected);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9], result.Rejections.Select(r => r.RowNo));
        Assert.Contains("scope", result.Rejections[0].Reason);
        Assert.Contains("unknown subscriber", result.Rejections[1].Reason);
        Assert.Contains("outside your scope", result.Rejections[2].Reason);
        Assert.Contains("earlier in the file", result.Rejections[3].Reason);
        Assert.Contains("past", result.Rejections[4].Reason);
        Assert.Contains("reason", result.Rejections[5].Reason);
        Assert.Contains("date", result.Rejections[6].Reason);
        var rows = _w.W.OpsQuery<(string Subscriber, string Scope, string Source, DateOnly? Until)>(
            "select subscriber_id, scope, source, valid_until from ops.blacklist order by subscriber_id");
        Assert.Equal([("S0001", "sms", "import", null), ("S0002", "both", "import", new DateOnly(2027, 1, 31))], rows);
        Assert.Equal([3, 4, 5, 6, 7, 8, 9], _w.W.OpsQuery<int>("select row_no from ops.import_rejection where import_id = $id order by row_no", new { id = result.ImportId }));
        Assert.Equal((9, 2, 7), _w.W.OpsQuery<(int, int, int)>("select rows_in, accepted, rejected from ops.import_run where import_id = $id", new { id = result.ImportId }).Single());
        Assert.Equal(1L, _w.W.OpsScalar<long>("select count(*) from ops.audit_log where action = 'import'"));
    }

    [SkippableFact]
    public void A_file_without_a_required_column_imports_nothing()
    {
        _w.Subscriber("S0001");
        var import = new BlacklistImport(_w.W.Db, _w.Audit, _w.Clock);
        Assert.Throws<ImportFileException>(() => import.Import(Csv("subscriber_id,scope\nS0001,sms\n"), "x.csv", "admin", RegionScope.WholeProvince));
        Assert.Equal(0L, _w.W.OpsScalar<long>("select count(*) from ops.blacklist"));
    }

    [SkippableFact]
    public void A_handset_import_takes_the_type_allocation_code_and_refuses_a_full_imei()
    {
        _w.Subscriber("S0001").Subscriber("S0002");
        var import = new HandsetImport(_w.W.Db, _w.Audit, _w.Clock);
        var file = Csv("""
            subscriber_id,brand,model,imei_tac,observed_on
            S0001,Huawei,Mate 60,35876912,2026-10-01
            S0001,Apple,iPhone 15,35397110,2026-11-01
            S0002,Xiaomi,14,358769120123456,2026-10-01
            S0002,,14,35876912,2026-10-01
            S0002,Xiaomi,14,35876912,2027-10-01
            """);

        var result = import.Import(file, "handsets.csv", "admin", RegionScope.WholeProvince);

        Assert.Equal((5, 2, 3), (result.RowsIn, result.Accepted, result.Rejected));
        Assert.Equal("iPhone 15", import.Newest("S0001", RegionScope.WholeProvince)?.Model);
        Assert.Null(import.Newest("S0001", RegionScope.ForCities(["574"])));
    }

    [SkippableFact]
    public void Blacklist_entries_are_added_and_removed_only_within_the_users_scope()
    {
        _w.Subscriber("S0001", city: "571").Subscriber("S0002", city: "574");
        var blacklist = new BlacklistService(_w.W.Db, _w.Audit, _w.Clock);
        var hz = RegionScope.ForCities(["571"]);

        blacklist.Add("S0001", "both", "request", null, "supervisor.hz", hz);
        Assert.Throws<BlacklistException>(() => blacklist.Add("S0002", "both", "request", null, "supervisor.hz", hz));
        _w.Blacklisted("S0002");

        Assert.Equal(["S0001"], blacklist.Search(null, hz).Select(e => e.SubscriberId));
        Assert.Equal(2, blacklist.Search("S000", RegionScope.WholeProvince).Count);
        Assert.Throws<BlacklistException>(() => blacklist.Remove("S0002", "sms", "supervisor.hz", hz));
        Assert.Equal(1, blacklist.Remove("S0001", "both", "supervisor.hz", hz));
        Assert.Empty(blacklist.Search(null, hz));
    }

    [SkippableFact]
    public void A_blacklist_search_keeps_the_readers_cities_newest_first_up_to_the_limit_past_many_entries_of_other_cities()
    {
        // 2,500 newer entries of Ningbo subscribers, more than one page of the search, then three of Hangzhou
        _w.Exec("""
            insert into dw.dim_subscriber
            select 'N' || cast(g.i as varchar), 'CN', '139', 'P28', '574', 'active', true, '2025-01-01' from generate_series(1, 2500) as g(i)
            """);
        _w.W.OpsExec("""
            insert into ops.blacklist
            select 'N' || cast(g.i as varchar), 'sms', 'request', 'import', null, timestamp '2026-11-02 00:00:00' + to_minutes(g.i), 'test'
            from generate_series(1, 2500) as g(i)
            """);
        _w.Subscriber("S0001").Subscriber("S0002").Subscriber("S0003");
        _w.W.OpsExec("""
            insert into ops.blacklist values
                ('S0001', 'call', 'legal', 'ui', null, timestamp '2026-10-01 09:00:00', 'admin'),
                ('S0002', 'both', 'request', 'ui', '2026-12-31', timestamp '2026-10-02 09:00:00', 'admin'),
                ('S0003', 'sms', 'request', 'ui', '2026-11-01', timestamp '2026-10-03 09:00:00', 'admin'),
                ('S9999', 'sms', 'request', 'ui', null, timestamp '2026-10-04 09:00:00', 'admin')
            """);
        var blacklist = new BlacklistService(_w.W.Db, _w.Audit, _w.Clock);
        var hz = RegionScope.ForCities(["571"]);

        var first = Assert.Single(blacklist.Search(null, hz, limit: 1));
        Assert.Equal(("S0002", "571", "both", new DateOnly(2026, 12, 31)), (first.SubscriberId, first.CityCode, first.Scope, first.ValidUntil));
        Assert.Equal(["S0002", "S0001"], blacklist.Search(null, hz).Select(e => e.SubscriberId));
        Assert.Equal(["S0003", "S0002", "S0001"], blacklist.Search(null, hz, includeExpired: true).Select(e => e.SubscriberId));
        Assert.Equal(["S0001"], blacklist.Search("S0001", hz).Select(e => e.SubscriberId));
        Assert.Equal(500, blacklist.Search(null, RegionScope.ForCities(["574"])).Count);
        Assert.Equal("N2500", blacklist.Search("N", RegionScope.WholeProvince, limit: 3)[0].SubscriberId);
        Assert.Empty(blacklist.Search(null, RegionScope.ForCities([])));
    }
}

/// <summary>The same imports and blacklist rules with the operational data in a real PostgreSQL.</summary>
[Collection(PostgresCollection.Name)]
public sealed class ImportTestsOnPostgres(PostgresServer postgres) : ImportTests(postgres.NewOps());
