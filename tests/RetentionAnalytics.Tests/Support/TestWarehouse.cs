using Dapper;
using RetentionAnalytics.Core.Etl.Contracts;
using RetentionAnalytics.Core.Etl.Loading;
using RetentionAnalytics.Core.Etl.Quality;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Tests.Support;

/// <summary>A real DuckDB warehouse file in a fresh temporary folder, removed afterwards.</summary>
public sealed class TestWarehouse : IDisposable
{
    public string Folder { get; } = Directory.CreateTempSubdirectory("ra-test-").FullName;
    public string DatabasePath => Path.Combine(Folder, "warehouse.duckdb");
    public Db Db { get; }
    public ContractCatalog Contracts { get; }
    public Loader Loader { get; }
    public QualityChecks Quality { get; }

    /// <param name="ops">Where the operational data lives; null: in this file (the default provider).</param>
    /// <param name="copyOf">A warehouse file (checkpointed, not being written) to start from, e.g. a built sample province.</param>
    /// <param name="region">The province's zones; null: the default (Asia/Shanghai).</param>
    public TestWarehouse(ContractCatalog? contracts = null, OpsOptions? ops = null, string? copyOf = null,
        RetentionAnalytics.Core.Regions.RegionTimeOptions? region = null)
    {
        if (copyOf is not null)
        {
            File.Copy(copyOf, DatabasePath);
        }
        Db = Db.Open(new WarehouseOptions
        {
            DatabasePath = DatabasePath, Threads = 2, Ops = ops ?? new OpsOptions(), Region = region ?? new(),
        });
        Contracts = contracts ?? ContractCatalog.LoadFolder(Db.Options.ContractRoot);
        Quality = new QualityChecks(Db, Contracts);
        Loader = new Loader(Db, Contracts, Quality);
    }

    /// <summary>A published build, as a cluster's writer makes one: this file checkpointed and copied beside it.</summary>
    public string PublishBuild()
    {
        var build = Path.Combine(Folder, "build.duckdb");
        using (var c = Db.Connect())
        {
            c.Execute("force checkpoint");
        }
        File.Copy(DatabasePath, build);
        return build;
    }

    public string Inbox(string name = "inbox")
    {
        var dir = Path.Combine(Folder, name);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public T Scalar<T>(string sql, object? args = null)
    {
        using var c = Db.Connect();
        return c.ExecuteScalar<T>(sql, args)!;
    }

    public List<T> Query<T>(string sql, object? args = null)
    {
        using var c = Db.Connect();
        return c.Query<T>(sql, args).ToList();
    }

    /// <summary>A scalar from the operational data, wherever it lives (SQL in the DuckDB dialect, $name parameters).</summary>
    public T OpsScalar<T>(string sql, object? args = null)
    {
        using var c = Db.Ops.Connect();
        return c.ExecuteScalar<T>(Db.Ops.Text(sql), args)!;
    }

    public List<T> OpsQuery<T>(string sql, object? args = null)
    {
        using var c = Db.Ops.Connect();
        return c.Query<T>(Db.Ops.Text(sql), args).ToList();
    }

    public void OpsExec(string sql, object? args = null)
    {
        using var c = Db.Ops.Connect();
        c.Execute(Db.Ops.Text(sql), args);
    }

    public void Dispose()
    {
        Db.Dispose();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // a child process killed by a test may still be releasing the file; the temp folder is harmless
        }
    }
}
