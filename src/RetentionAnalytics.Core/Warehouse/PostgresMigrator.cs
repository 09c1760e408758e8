using System.Security.Cryptography;
using System.Text;
using Dapper;
using Npgsql;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>
/// The ops schema on PostgreSQL: the numbered files of <c>sql/ddl-postgres</c> once each, in order, journaled in
/// <c>meta.schema_migration</c> as the warehouse's DDL is in DuckDB. Nodes starting together take turns (an advisory
/// lock), so each file runs once whoever starts first.
/// </summary>
internal static class PostgresMigrator
{
    private const long LockKey = 0x52_41_6F_70_73; // "RAops"

    public static void Apply(OpsDb ops, SqlFiles sql)
    {
        using var connection = (NpgsqlConnection)ops.Connect();
        using var tx = connection.BeginTransaction();
        connection.Execute("select pg_advisory_xact_lock(@LockKey)", new { LockKey }, tx);
        connection.Execute("""
            create schema if not exists meta;
            create table if not exists meta.schema_migration (
                file_name varchar primary key, checksum varchar not null, applied_at timestamp not null)
            """, transaction: tx);
        var applied = connection.Query<(string File, string Checksum)>(
                "select file_name, checksum from meta.schema_migration", transaction: tx)
            .ToDictionary(r => r.File, r => r.Checksum);
        foreach (var file in sql.List("ddl-postgres"))
        {
            var name = Path.GetFileName(file);
            var text = sql.Get(file);
            var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n"))));
            if (applied.TryGetValue(name, out var known))
            {
                if (known != checksum)
                {
                    throw new InvalidOperationException(
                        $"DDL file ddl-postgres/{name} changed after it was applied; add a new numbered file instead.");
                }
                continue;
            }
            connection.Execute(text, transaction: tx);
            connection.Execute("insert into meta.schema_migration values (@name, @checksum, now())", new { name, checksum }, tx);
        }
        tx.Commit();
    }
}
