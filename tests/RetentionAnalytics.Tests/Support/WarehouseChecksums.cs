using Dapper;
using RetentionAnalytics.Core.Warehouse;

namespace RetentionAnalytics.Tests.Support;

/// <summary>Every dw and mart table of a warehouse as its row count and an order-independent checksum of its rows.</summary>
public static class WarehouseChecksums
{
    public static SortedDictionary<string, string> Of(Db db)
    {
        using var c = db.Connect();
        var tables = c.Query<string>("""
            select schema_name || '.' || table_name from duckdb_tables()
            where database_name = current_database() and schema_name in ('dw', 'mart')
            order by 1
            """).ToList();
        var result = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var table in tables)
        {
            // sum(hash(row)) is the same whatever the rows' physical order
            result[table] = c.QuerySingle<string>($"select count(*) || ' rows, ' || coalesce(sum(hash(t))::varchar, '-') from {table} as t");
        }
        return result;
    }

    /// <summary>The tables whose checksums differ, each with its two values, for a readable failure.</summary>
    public static IReadOnlyList<string> Differences(IReadOnlyDictionary<string, string> expected, IReadOnlyDictionary<string, string> actual) =>
        expected.Keys.Union(actual.Keys).Order(StringComparer.Ordinal)
            .Where(t => expected.GetValueOrDefault(t) != actual.GetValueOrDefault(t))
            .Select(t => $"{t}: full {expected.GetValueOrDefault(t) ?? "missing"}, incremental {actual.GetValueOrDefault(t) ?? "missing"}")
            .ToList();
}
