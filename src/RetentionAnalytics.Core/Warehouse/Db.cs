using DuckDB.NET.Data;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>
/// The warehouse: one DuckDB file owned by this process. Each unit of work opens its own connection
/// (DuckDB shares one database instance between the connections of a process). <see cref="Ops"/> is where the
/// operational data lives: this file too (the default), or PostgreSQL (<see cref="OpsOptions"/>).
/// </summary>
public sealed class Db : IDisposable
{
    private DuckDBConnection _anchor;
    private readonly string _connectionString;

    // connections are counted so that the file can be swapped for a compacted copy once none is open
    private readonly ManualResetEventSlim _admitting = new(initialState: true);
    private readonly Lock _exclusive = new();
    private int _open;

    // bytes of DuckDB's memory limit lent to the heap (LendToHeap), under _lending
    private readonly Lock _lending = new();
    private long _lent;

    public WarehouseOptions Options { get; }
    public SqlFiles Sql { get; }
    public OpsDb Ops { get; }

    /// <summary>The province's clock: the zone every stored time is written in (<see cref="WarehouseOptions.Region"/>).</summary>
    public Regions.RegionClock Clock { get; }

    private Db(WarehouseOptions options, DuckDBConnection anchor, Regions.RegionClock clock)
    {
        Options = options;
        _anchor = anchor;
        _connectionString = anchor.ConnectionString;
        Sql = new SqlFiles(options.Definitions.SqlRoots);
        Clock = clock;
        Ops = new OpsDb(this, options.Ops, clock.ProvinceZoneId);
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
        WarehouseCompactor.RecoverInterruptedSwap(path);
        options.Ops.Validate();

        // the zone is checked before the file is opened: a misspelt Region:TimeZone names the setting, not DuckDB
        var clock = new Regions.RegionClock(options.Region, TimeProvider.System);
        var anchor = OpenAnchor(options.ConnectionString(), path, clock.ProvinceZoneId);
        var db = new Db(options, anchor, clock);
        try
        {
            Migrator.Apply(db);
            if (db.Ops.IsPostgres)
            {
                PostgresMigrator.Apply(db.Ops, db.Sql);
            }
            Audit.AuditClock.Adopt(db);
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
        _admitting.Wait();
        Interlocked.Increment(ref _open);
        var counted = 1;
        // while the anchor is open, DuckDB.NET hands every connection with the same connection string the same database instance
        var connection = new DuckDBConnection(_connectionString);
        connection.StateChange += (_, e) =>
        {
            if (e.CurrentState == System.Data.ConnectionState.Closed && Interlocked.Exchange(ref counted, 0) == 1)
            {
                Interlocked.Decrement(ref _open);
            }
        };
        try
        {
            connection.Open();
        }
        catch
        {
            if (Interlocked.Exchange(ref counted, 0) == 1)
            {
                Interlocked.Decrement(ref _open);
            }
            connection.Dispose();
            throw;
        }
        return connection;
    }

    /// <summary>
    /// Runs work with no other connection open: new connections wait, open ones are given the drain time to close.
    /// The work gets the anchor connection and may replace the file behind it (it is closed and reopened around a
    /// swap). False when connections stayed open past the drain time; the work did not run.
    /// </summary>
    internal bool Exclusive(TimeSpan drain, Func<DuckDBConnection, Action?> work)
    {
        lock (_exclusive)
        {
            _admitting.Reset();
            try
            {
                var until = DateTime.UtcNow + drain;
                while (Volatile.Read(ref _open) > 0)
                {
                    if (DateTime.UtcNow > until)
                    {
                        return false;
                    }
                    Thread.Sleep(20);
                }
                var swap = work(_anchor);
                if (swap is not null)
                {
                    _anchor.Dispose();
                    try
                    {
                        swap();
                    }
                    finally
                    {
                        _anchor = OpenAnchor(_connectionString, Options.DatabasePath, Clock.ProvinceZoneId);
                        if (Volatile.Read(ref _lent) > 0)
                        {
                            // the new instance starts at the configured limit (no lock: a loan may be waiting for this swap)
                            ApplyMemoryLimit(_anchor);
                        }
                    }
                }
                return true;
            }
            finally
            {
                _admitting.Set();
            }
        }
    }

    /// <summary>
    /// Lowers DuckDB's memory limit by <paramref name="bytes"/> while .NET work holds about that much (training holds its
    /// rows and trees on the heap), so that the process stays within <see cref="WarehouseOptions.MemoryLimitBytes"/>; DuckDB
    /// evicts cached blocks to fit and spills what it must. DuckDB keeps at least a quarter of its limit. Disposing the
    /// lease gives the heap's memory back to the machine (a compacting collection) and raises the limit again.
    /// </summary>
    public IDisposable LendToHeap(long bytes)
    {
        bytes = Math.Max(0, bytes);
        lock (_lending)
        {
            _lent += bytes;
            using var c = Connect();
            ApplyMemoryLimit(c);
        }
        return new HeapLoan(this, bytes);
    }

    private sealed class HeapLoan(Db db, long bytes) : IDisposable
    {
        private int _returned;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _returned, 1) == 1)
            {
                return;
            }
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            lock (db._lending)
            {
                db._lent -= bytes;
                using var c = db.Connect();
                db.ApplyMemoryLimit(c);
            }
        }
    }

    /// <summary>DuckDB's limit less what is lent to the heap.</summary>
    private void ApplyMemoryLimit(DuckDBConnection c)
    {
        var limit = Math.Max(Options.DuckDbMemoryBytes - Volatile.Read(ref _lent), Options.DuckDbMemoryBytes / 4);
        try
        {
            using var command = c.CreateCommand();
            // a setting takes no parameter; the value is a number computed here
            command.CommandText = $"set global memory_limit = '{limit >> 20}MiB'";
            command.ExecuteNonQuery();
        }
        catch (DuckDBException)
        {
            // DuckDB could not evict enough (blocks pinned by running queries): the work goes on with the limit it had
        }
    }

    public void Dispose()
    {
        Ops.Dispose();
        _anchor.Dispose();
        _admitting.Dispose();
    }

    private static DuckDBConnection OpenAnchor(string connectionString, string path, string timeZone)
    {
        var anchor = new DuckDBConnection(connectionString);
        try
        {
            anchor.Open();
            // now() and current_date of every connection are the province's wall clock, not the server's (a setting of
            // the database instance, so set once per instance; DuckDB takes it only after its ICU extension has loaded)
            using var zone = anchor.CreateCommand();
            zone.CommandText = "set global TimeZone = $zone";
            zone.Parameters.Add(new DuckDBParameter("zone", timeZone));
            zone.ExecuteNonQuery();
            return anchor;
        }
        catch (Exception ex) when (IsLockConflict(ex))
        {
            anchor.Dispose();
            throw new WarehouseLockedException(path, ex);
        }
    }

    private static bool IsLockConflict(Exception ex) =>
        ex.Message.Contains("lock", StringComparison.OrdinalIgnoreCase)
        && (ex.Message.Contains("Conflicting", StringComparison.OrdinalIgnoreCase)
            || ex.Message.Contains("Could not set lock", StringComparison.OrdinalIgnoreCase));
}
