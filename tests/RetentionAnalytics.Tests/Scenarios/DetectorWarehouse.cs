using Dapper;
using RetentionAnalytics.Core.Access;
using RetentionAnalytics.Core.Audit;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Core.Scenarios;
using RetentionAnalytics.Core.Transforms;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Tests.Scenarios;

/// <summary>
/// A real warehouse whose dw and mart tables exist but are empty (the transforms run once over empty staging, the
/// file is copied per test), so a detector test inserts only the handful of rows it is about — a dbt unit test. The
/// scenario settings (parameters, custom rules) are operational data: in this file, or in PostgreSQL when
/// <c>ops</c> says so (two warehouses given the same <c>ops</c> are two portal nodes sharing one database).
/// </summary>
public sealed class DetectorWarehouse : IDisposable
{
    public static readonly DateOnly Period = new(2026, 10, 1);

    private static readonly Lazy<string> Template = new(BuildTemplate);

    private readonly string _folder = Directory.CreateTempSubdirectory("ra-scen-").FullName;
    private Db? _db;

    public DetectorWarehouse(OpsOptions? ops = null)
    {
        File.Copy(Template.Value, DatabasePath);
        _db = Db.Open(new WarehouseOptions { DatabasePath = DatabasePath, Threads = 2, Ops = ops ?? new OpsOptions() });
        Audit = new AuditLog(Db);
        Catalog = ScenarioCatalog.Load(Db.Sql);
        Parameters = new ScenarioParameters(Db, Catalog, Audit);
        Rules = new CustomRules(Db, Audit);
        Runner = new DetectorRunner(Db, Catalog, Parameters, Rules, Audit);
        Preview = new ThresholdPreview(Db, Runner, Rules);
        // the period a detector may run for is a loaded month
        foreach (var month in new[] { Period.AddMonths(-3), Period.AddMonths(-2), Period.AddMonths(-1), Period })
        {
            Insert("mart.mart_retention_kpi_city_month", new { month = Day(month), city_code = "ALL" });
        }
    }

    public string DatabasePath => Path.Combine(_folder, "warehouse.duckdb");
    public Db Db => _db ?? throw new ObjectDisposedException(nameof(DetectorWarehouse));
    public AuditLog Audit { get; }
    public ScenarioCatalog Catalog { get; }
    public ScenarioParameters Parameters { get; }
    public CustomRules Rules { get; }
    public DetectorRunner Runner { get; }
    public ThresholdPreview Preview { get; }

    public static string Day(DateOnly d) => d.ToString("yyyy-MM-dd");

    /// <summary>Inserts rows given as anonymous objects: property names are the columns (dates as 'yyyy-MM-dd' text).</summary>
    public void Insert(string table, params object[] rows)
    {
        using var c = Db.Connect();
        foreach (var row in rows)
        {
            var columns = row.GetType().GetProperties().Select(p => p.Name).ToList();
            c.Execute($"insert into {table} ({string.Join(", ", columns)}) values ({string.Join(", ", columns.Select(n => "$" + n))})", row);
        }
    }

    /// <summary>A feature row for the period: an active postpaid mid-value subscriber in Hangzhou unless told otherwise.</summary>
    public void Feature(string subscriberId, object? values = null, DateOnly? month = null)
    {
        var row = new Dictionary<string, object?>
        {
            ["month"] = Day(month ?? Period),
            ["subscriber_id"] = subscriberId,
            ["city_code"] = "571",
            ["value_tier"] = "mid",
            ["payment_type"] = "postpaid",
            ["status"] = "active",
            ["is_active"] = true,
            ["is_suspended"] = false,
            ["in_snapshot_base"] = false,
            ["has_active_forwarding_offnet"] = false,
            ["is_roaming"] = false,
            ["amount_owed"] = 0m,
            ["open_complaints"] = 0,
            ["complaints_90d"] = 0,
            ["active_days"] = 20,
            ["tenure_months"] = 12,
        };
        foreach (var p in values?.GetType().GetProperties() ?? [])
        {
            row[p.Name] = p.GetValue(values);
        }
        var args = new DynamicParameters();
        foreach (var (k, v) in row)
        {
            args.Add(k, v);
        }
        using var c = Db.Connect();
        c.Execute($"insert into mart.mart_subscriber_features ({string.Join(", ", row.Keys)}) values ({string.Join(", ", row.Keys.Select(k => "$" + k))})", args);
    }

    /// <summary>Runs one scenario for the period and returns its alerts by subscriber.</summary>
    public Dictionary<string, AlertRow> Detect(string scenarioId, DateOnly? period = null)
    {
        var result = Runner.Run(period ?? Period, scenarioId, trigger: "test").Single();
        Assert.True(result.Succeeded, result.Message);
        return Runner.Alerts(scenarioId, period ?? Period, RegionScope.WholeProvince).ToDictionary(a => a.SubscriberId);
    }

    public T Scalar<T>(string sql, object? args = null)
    {
        using var c = Db.Connect();
        return c.ExecuteScalar<T>(sql, args)!;
    }

    /// <summary>A value from the operational data (this file, or PostgreSQL).</summary>
    public T OpsScalar<T>(string sql, object? args = null)
    {
        using var c = Db.Ops.Connect();
        return c.ExecuteScalar<T>(Db.Ops.Text(sql), args)!;
    }

    /// <summary>Closes the file so that another process (the real CLI) can open it.</summary>
    public void Release()
    {
        _db?.Dispose();
        _db = null;
    }

    public void Dispose()
    {
        Release();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a CLI process of a test may still be releasing the file; the temp folder is harmless
        }
    }

    private static string BuildTemplate()
    {
        var folder = Directory.CreateTempSubdirectory("ra-scen-template-").FullName;
        var path = Path.Combine(folder, "template.duckdb");
        using (var db = Db.Open(new WarehouseOptions { DatabasePath = path, Threads = 2 }))
        {
            var contracts = ContractCatalog.LoadFolder(db.Options.ContractRoot);
            using (var c = db.Connect())
            {
                Loader.EnsureStagingTable(c, contracts.Find("subscription")!);
            }
            // the empty warehouse's tables: the tests insert the rows each detector reads
            new TransformRunner(db, contracts).Rebuild();
            using (var c = db.Connect())
            {
                // every extract counts as delivered (a row of nulls in staging, which no transform reads again here), so
                // that the scenarios' requirements hold and the detectors read the rows each test inserts into the marts
                foreach (var contract in contracts.All)
                {
                    Loader.EnsureStagingTable(c, contract);
                    c.Execute($"insert into {contract.StagingTable} (_load_id, _business_date) values (0, date '{Period:yyyy-MM-dd}')");
                }
                // and the core counts as built: one subscriber-month far outside every period the tests read
                c.Execute("insert into dw.fct_subscriber_month (month, subscriber_id) values (date '2000-01-01', 'TEMPLATE')");
            }
        }
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return path;
    }
}
