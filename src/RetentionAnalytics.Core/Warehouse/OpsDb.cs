using System.Data.Common;
using DuckDB.NET.Data;
using Npgsql;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>
/// The operational data (<see cref="OpsOptions"/>): in the warehouse file (DuckDB, one process) or in PostgreSQL
/// (several portal nodes). Services that own ops tables connect here and read their SQL through <see cref="Sql"/>,
/// which hands PostgreSQL a file's <c>.postgres.sql</c> sibling when there is one, else the file, with its parameters
/// translated (<see cref="SqlDialect"/>). Warehouse reads (names, facts) stay on <see cref="Db.Connect"/>.
/// </summary>
public sealed class OpsDb : IDisposable
{
    static OpsDb()
    {
        // timestamps are wall-clock times of the province without a zone, in DuckDB and here alike
        AppContext.SetSwitch("Npgsql.EnableLegacyTimestampBehavior", true);
    }

    private readonly Db _warehouse;
    private readonly NpgsqlDataSource? _postgres;

    internal OpsDb(Db warehouse, OpsOptions options, string timeZone)
    {
        options.Validate();
        _warehouse = warehouse;
        Options = options;
        if (options.IsPostgres)
        {
            var builder = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            // now() in SQL is stored as the province's wall clock, as in the warehouse's DuckDB sessions
            builder.Timezone = timeZone;
            builder.ApplicationName ??= $"retention-analytics {Environment.MachineName}:{Environment.ProcessId}";
            _postgres = NpgsqlDataSource.Create(builder);
        }
        Sql = new OpsSql(warehouse.Sql, IsPostgres);
    }

    public OpsOptions Options { get; }

    public bool IsPostgres => _postgres is not null;

    public OpsSql Sql { get; }

    /// <summary>A new connection for one unit of work; dispose it when the work is done.</summary>
    public DbConnection Connect() => _postgres is { } pg ? pg.OpenConnection() : _warehouse.Connect();

    /// <summary>An inline statement in the provider's dialect (parameters translated for PostgreSQL).</summary>
    public string Text(string sql) => IsPostgres ? SqlDialect.ToPostgres(sql) : sql;

    /// <summary>
    /// A unit of work lost to a concurrent one and may run again: DuckDB's optimistic "Transaction conflict", or
    /// PostgreSQL's serialization failure or deadlock.
    /// </summary>
    public static bool IsConflict(Exception ex) => ex switch
    {
        DuckDBException duck => duck.Message.Contains("conflict", StringComparison.OrdinalIgnoreCase),
        PostgresException pg => pg.SqlState is PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected,
        _ => false,
    };

    /// <summary>
    /// A write refused by a primary key or unique index: a row another unit of work wrote first (DuckDB's "Duplicate
    /// key", PostgreSQL's unique violation).
    /// </summary>
    public static bool IsDuplicate(Exception ex) => ex switch
    {
        DuckDBException duck => duck.Message.Contains("Duplicate key", StringComparison.OrdinalIgnoreCase),
        PostgresException pg => pg.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };

    /// <summary>
    /// Runs a unit of work that replaces a keyed row (delete, then insert) again, up to three tries, when another node
    /// replaced the same row between its delete and its insert (PostgreSQL refuses the insert as a duplicate key): the
    /// later one wins, as in one process.
    /// </summary>
    public static void Replacing(Action work)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                work();
                return;
            }
            catch (Exception ex) when (IsDuplicate(ex) && attempt < 3)
            {
                // the other node's row is committed now: this attempt's delete sees it
            }
        }
    }

    /// <summary>
    /// Writes rows into a table in the connection's transaction, in bulk: DuckDB's appender or PostgreSQL's binary
    /// COPY. Each row carries every column of the table, in the table's order (<paramref name="columns"/>). A null
    /// <paramref name="schema"/> names a temp table of the connection.
    /// </summary>
    public static void Append(DbConnection c, string? schema, string table, IReadOnlyList<string> columns, IEnumerable<object?[]> rows)
    {
        if (c is NpgsqlConnection pg)
        {
            using var copy = pg.BeginBinaryImport($"copy {(schema is null ? "" : schema + ".")}{table} ({string.Join(", ", columns)}) from stdin (format binary)");
            foreach (var row in rows)
            {
                copy.StartRow();
                foreach (var value in row)
                {
                    if (value is null)
                    {
                        copy.WriteNull();
                    }
                    else
                    {
                        copy.Write(value);
                    }
                }
            }
            copy.Complete();
            return;
        }
        using var appender = schema is null ? ((DuckDBConnection)c).CreateAppender(table) : ((DuckDBConnection)c).CreateAppender(schema, table);
        foreach (var row in rows)
        {
            var target = appender.CreateRow();
            foreach (var value in row)
            {
                target = value switch
                {
                    null => target.AppendNullValue(),
                    string s => target.AppendValue(s),
                    int i => target.AppendValue(i),
                    long l => target.AppendValue(l),
                    double d => target.AppendValue(d),
                    bool b => target.AppendValue(b),
                    DateOnly d => target.AppendValue(d),
                    DateTime t => target.AppendValue(t),
                    _ => throw new ArgumentException($"no appender for {value.GetType().Name}"),
                };
            }
            target.EndRow();
        }
    }

    public void Dispose() => _postgres?.Dispose();
}

/// <summary>The ops SQL files in the provider's dialect.</summary>
public sealed class OpsSql(SqlFiles files, bool postgres)
{
    public string Get(string relativePath)
    {
        if (!postgres)
        {
            return files.Get(relativePath);
        }
        var sibling = Path.ChangeExtension(relativePath, ".postgres.sql");
        // parameters are $name in every file, a sibling too
        return SqlDialect.ToPostgres(files.Get(files.Exists(sibling) ? sibling : relativePath));
    }
}
