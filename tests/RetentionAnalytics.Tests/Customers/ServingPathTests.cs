using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Customers;
using RetentionAnalytics.Core.Pipeline;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Tests.Support;
using RetentionAnalytics.Tests.Warehouse;

namespace RetentionAnalytics.Tests.Customers;

/// <summary>
/// The sample province loaded in two deliveries: everything up to September, then October (an incremental build that
/// refreshes the serving profile by subscriber and, the as-of date having moved, in full).
/// </summary>
public sealed class TwoLoadsFixture : IDisposable
{
    public TestWarehouse Warehouse { get; } = new();
    public string FirstAsOf { get; }

    public TwoLoadsFixture()
    {
        DefaultTypeMap.MatchNamesWithUnderscores = true;
        var september = Warehouse.Inbox("september");
        var october = Warehouse.Inbox("october");
        foreach (var file in Directory.GetFiles(SampleProvinceFixture.SampleFolder, "*.csv"))
        {
            var date = Path.GetFileNameWithoutExtension(file)[^8..];
            File.Copy(file, Path.Combine(string.CompareOrdinal(date, "20261001") < 0 ? september : october, Path.GetFileName(file)));
        }
        var pipeline = new DailyPipeline(Warehouse.Loader, new TransformRunner(Warehouse.Db, Warehouse.Contracts), Warehouse.Quality, []);
        pipeline.Run(september, progress: null, CancellationToken.None);
        FirstAsOf = Warehouse.Scalar<DateOnly>("select as_of_date from dw.as_of").ToString("yyyy-MM-dd");
        pipeline.Run(october, progress: null, CancellationToken.None);
    }

    public void Dispose() => Warehouse.Dispose();
}

/// <summary>
/// The agent's serving path (one profile row by key, built by the pipeline) answers exactly what the warehouse's own
/// section queries answer -- the queries the 360 ran before the profile existed, kept here as the reference
/// (WarehouseReference/*.sql) -- for sampled subscribers after a load.
/// </summary>
public sealed class ServingPathTests(TwoLoadsFixture f) : IClassFixture<TwoLoadsFixture>
{
    private static string Reference(string name) =>
        File.ReadAllText(Path.Combine(PortalHost.RepositoryRoot, "tests", "RetentionAnalytics.Tests", "Customers", "WarehouseReference", name));

    /// <summary>
    /// A spread of current subscribers (by a hash of the id, not hand-picked) plus every one the warehouse knows a probable
    /// reason for, so that complaints, arrears, contracts ending and plan changes are all compared.
    /// </summary>
    private List<string> Sample() => f.Warehouse.Query<string>("""
        (select subscriber_id from dw.dim_subscriber where is_current order by hash(subscriber_id) limit 120)
        union
        (select subscriber_id from dw.fct_service_contact where is_complaint and is_open limit 20)
        union
        (select subscriber_id from dw.account_state where amount_owed > 0 limit 20)
        union
        (select subscriber_id from dw.fct_agreement where is_active and days_to_end between 0 and 90 limit 20)
        union
        (select subscriber_id from dw.dim_subscriber where version_no > 1 and valid_from >= (select as_of_date - interval 90 day from dw.as_of) limit 20)
        """);

    [Fact]
    public void The_load_moved_the_as_of_date_and_the_profile_follows_it()
    {
        var asOf = f.Warehouse.Scalar<DateOnly>("select as_of_date from dw.as_of");
        Assert.NotEqual(f.FirstAsOf, asOf.ToString("yyyy-MM-dd"));
        Assert.Equal(0L, f.Warehouse.Scalar<long>("select count(*) from mart.subscriber_profile where as_of_date <> $asOf", new { asOf }));
        Assert.Equal(
            f.Warehouse.Scalar<long>("select count(*) from dw.dim_subscriber where is_current"),
            f.Warehouse.Scalar<long>("select count(*) from mart.subscriber_profile"));
    }

    [Theory]
    [InlineData("en")]
    [InlineData("de")]
    [InlineData("zh")]
    public void Every_section_of_the_360_equals_the_warehouse_queries(string lang)
    {
        var sample = Sample();
        Assert.True(sample.Count >= 120, $"only {sample.Count} subscribers sampled");
        var viewer = new CustomerViewer("analyst", RegionScope.WholeProvince, SeesUnmaskedIdentifiers: true, Language: lang);
        var customers = new Customer360(f.Warehouse.Db, new AuditLog(f.Warehouse.Db));
        using var c = f.Warehouse.Db.Connect();
        var compared = 0;
        foreach (var id in sample)
        {
            var key = new { subscriber_id = id, lang };
            var scoped = RegionScope.WholeProvince.AddTo(new DynamicParameters(key));
            var view = customers.Open(id, viewer) ?? throw new Xunit.Sdk.XunitException($"{id} not served");
            var profile = c.QuerySingle<CustomerProfile>(Reference("c360_profile.sql"), scoped);
            Assert.Equal(profile with { IdNumber = IdentifierMask.IdNumber(profile.IdNumber) }, view.Profile);
            Assert.Equal(c.Query<SubscriberVersion>(Reference("c360_history.sql"), key), view.History);
            Assert.Equal(c.Query<AgreementLine>(Reference("c360_agreements.sql"), key), view.Agreements);
            Assert.Equal(c.Query<BillLine>(Reference("c360_bills.sql"), key), view.Bills);
            Assert.Equal(c.Query<PaymentLine>(Reference("c360_payments.sql"), key), view.Payments);
            Assert.Equal(c.Query<UsageLine>(Reference("c360_usage.sql"), key), view.Usage);
            Assert.Equal(c.QuerySingle<SubscriberState>(Reference("c360_state.sql"), key), view.State);
            Assert.Equal(c.Query<RechargeLine>(Reference("c360_recharges.sql"), key), view.Recharges);
            Assert.Equal(c.Query<VasOrderLine>(Reference("c360_vas.sql"), key), view.Vas);
            Assert.Equal(c.Query<ServiceContactLine>(Reference("c360_service_contacts.sql"), key), view.ServiceContacts);
            compared++;
        }
        Assert.Equal(sample.Count, compared);
    }

    [Fact]
    public void The_warehouse_reasons_equal_the_warehouse_query()
    {
        var customers = new Customer360(f.Warehouse.Db, new AuditLog(f.Warehouse.Db));
        var viewer = new CustomerViewer("analyst", RegionScope.WholeProvince, SeesUnmaskedIdentifiers: true);
        using var c = f.Warehouse.Db.Connect();
        var kinds = new HashSet<string>();
        foreach (var id in Sample())
        {
            // no task: the reference query's alert part is empty, what is left is the warehouse's part
            var expected = c.Query<(string Kind, string? Code, string? Name, string? Detail, double Weight)>(
                Reference("contact_reasons.sql"), new { task_id = -1L, subscriber_id = id, lang = "en" }).ToList();
            var served = customers.Read(id, viewer)!.Reasons.Select(r => (r.Kind, r.Code, r.Name, r.Detail, r.Weight)).ToList();
            Assert.Equal(expected, served);
            kinds.UnionWith(served.Select(r => r.Kind));
        }
        // the sample holds every kind the warehouse words, or the comparison proves less than it claims
        Assert.Superset(new HashSet<string> { "complaint", "arrears", "contract_end" }, kinds);
    }

    /// <summary>
    /// After a full build and an incremental one, the agent's read of the profile is an index look-up (the plan DuckDB
    /// ran with the key bound, as the 360 binds it), and the index finds every current subscriber once.
    /// </summary>
    [Fact]
    public void The_profile_is_read_by_key_through_its_index()
    {
        Assert.Equal(1L, f.Warehouse.Scalar<long>("""
            select count(*) from duckdb_indexes()
            where schema_name = 'mart' and table_name = 'subscriber_profile' and index_name = 'subscriber_profile_by_subscriber_id'
            """));
        var current = f.Warehouse.Query<string>("select subscriber_id from dw.dim_subscriber where is_current order by hash(subscriber_id) limit 200");
        var id = current[0];
        var plan = string.Join('\n', f.Warehouse.Query<(string Key, string Value)>(
            "explain analyze " + f.Warehouse.Db.Sql.Get("customers/c360_serving_profile.sql"), new { subscriber_id = id, lang = "en" })
            .Select(r => r.Value));
        Assert.Contains("Index Scan", plan);
        Assert.DoesNotContain("Sequential Scan", plan);

        // the index agrees with the table after the incremental refresh deleted and inserted rows
        using var c = f.Warehouse.Db.Connect();
        foreach (var subscriberId in current)
        {
            Assert.Equal(subscriberId, c.QuerySingle<string>(
                "select subscriber_id from mart.subscriber_profile where subscriber_id = $subscriber_id", new { subscriber_id = subscriberId }));
        }
        Assert.Equal(
            f.Warehouse.Scalar<long>("select count(*) from dw.dim_subscriber where is_current"),
            f.Warehouse.Scalar<long>("select count(*) from mart.subscriber_profile"));
    }

    [Fact]
    public void Concurrent_opens_are_each_audited_once()
    {
        var sample = Sample().Take(40).ToList();
        var audit = new AuditLog(f.Warehouse.Db);
        var customers = new Customer360(f.Warehouse.Db, audit);
        var viewer = new CustomerViewer("audit.probe", RegionScope.WholeProvince, SeesUnmaskedIdentifiers: true);

        Parallel.ForEach(sample, new ParallelOptions { MaxDegreeOfParallelism = 8 }, id => Assert.NotNull(customers.Open(id, viewer)));

        var rows = f.Warehouse.Query<string>("select target from ops.audit_log where username = 'audit.probe' and action = 'customer_view'");
        Assert.Equal(sample.Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));
    }
}
