using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Portal.Features.Warehouse;

/// <summary>
/// Which tables exist. Staging, dw and mart tables are built by other parts of the product and may not exist
/// yet on a fresh warehouse; pages ask here first and say "not loaded yet" instead of failing.
/// </summary>
public sealed class WarehouseCatalog(Db db)
{
    /// <summary>True when the table exists and has every one of the given columns.</summary>
    public bool HasColumns(string schema, string table, params string[] columns)
    {
        using var c = db.Connect();
        var present = c.ExecuteScalar<long>(db.Sql.Get("portal/catalog_columns_present.sql"),
            new { schema, table, columns = string.Join(",", columns) });
        return present == columns.Length;
    }
}
