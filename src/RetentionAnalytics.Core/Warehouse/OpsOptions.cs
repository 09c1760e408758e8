namespace RetentionAnalytics.Core.Warehouse;

/// <summary>
/// Where the operational data lives (the <c>Ops</c> configuration section): what people write while they work —
/// accounts and sessions, tasks and outcomes, SMS, subscriptions, the audit log, job runs. <c>duckdb</c> (the default)
/// keeps it in the warehouse file, for one portal process; <c>postgres</c> keeps it in a PostgreSQL database that
/// several portal nodes share, while the warehouse stays DuckDB.
/// </summary>
public sealed class OpsOptions
{
    public const string DuckDb = "duckdb";
    public const string Postgres = "postgres";

    public string Provider { get; set; } = DuckDb;

    /// <summary>An Npgsql connection string, e.g. <c>Host=127.0.0.1;Port=5432;Database=retention;Username=ra</c>.</summary>
    public string? ConnectionString { get; set; }

    public bool IsPostgres => string.Equals(Provider, Postgres, StringComparison.OrdinalIgnoreCase);

    /// <summary>Refuses an unknown provider or a PostgreSQL provider without a connection string, before anything opens.</summary>
    public void Validate()
    {
        if (!IsPostgres && !string.Equals(Provider, DuckDb, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"Ops:Provider '{Provider}' is not known; use '{DuckDb}' or '{Postgres}'.");
        }
        if (IsPostgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            throw new InvalidOperationException("Ops:Provider is 'postgres' but Ops:ConnectionString is empty.");
        }
    }
}
