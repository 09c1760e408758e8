using DuckDB.NET.Data;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>
/// The warehouse: one DuckDB file owned by this process. Each unit of work opens its own connection
/// (DuckDB shares one database instance between the connections of a process). <see cref="Ops"/> is where the
/// operational data lives: this file too (the default), or PostgreSQL (<see cref="OpsOptions"/>).
/// </summary>
public sealed class Db : IDisposable
{
    private readonly DuckDBConnection _anchor;

    public WarehouseOptions Options { get; }
    public SqlFiles Sql { get; }
    public OpsDb Ops { get; }

    private Db(WarehouseOptions options, DuckDBConnection anchor)
    {
        Options = options;
        _anchor = anchor;
        Sql = new SqlFiles(options.Definitions.SqlRoots);
        Ops = new OpsDb(this, options.Ops);
    }

    /// <summary>Opens (creating if needed) the warehouse file and applies pending DDL migrations.</summary>
    public static Db Open(WarehouseOptions options)
    {
        var path = Path.GetFullPath(options.DatabasePath);
        var directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
        options.DatabasePath = path;
        options.Ops.Validate();

        var anchor = new DuckDBConnection(ConnectionString(options));
        try
        {
            anchor.Open();
        }
        catch (Exception ex) when (IsLockConflict(ex))
        {
            anchor.Dispose();
            throw new WarehouseLockedException(path, ex);
        }

        var db = new Db(options, anchor);
        try
        {
            Migrator.Apply(db);
            if (db.Ops.IsPostgres)
            {
                PostgresMigrator.Apply(db.Ops, db.Sql);
            }
        }
        catch
        {
            db.Dispose();
            throw;
        }
        return db;
    }

    /// <summary>A new connection for one unit of work; dispose it when the work is done.</summary>
    public DuckDBConnection Connect()
    {
        // while the anchor is open, DuckDB.NET hands every connection with the same connection string the same database instance
        var connection = new DuckDBConnection(_anchor.ConnectionString);
        connection.Open();
        return connection;
    }

    public void Dispose()
    {
        Ops.Dispose();
        _anchor.Dispose();
    }

    private static string ConnectionString(WarehouseOptions options)
    {
        var cs = $"Data Source={options.DatabasePath}";
        if (!string.IsNullOrWhiteSpace(options.MemoryLimit))
        {
            cs += $";memory_limit={options.MemoryLimit}";
        }
        if (options.Threads > 0)
        {
            cs += $";threads={options.Threads}";
        }
        return cs;
    }

    private static bool IsLockConflict(Exception ex) =>
        ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase)
        && (ex.Message.Contains("Conflicting", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase));
}
