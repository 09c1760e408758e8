using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace RetentionAnalytics.Core.Warehouse;

/// <summary>
/// Applies the numbered DDL files of <c>sql/ddl</c> once each, in order, journaled in
/// <c>meta.schema_migration</c>. A journaled file whose text changed is an error: DDL is append-only.
/// </summary>
internal static class Migrator
{
    public static void Apply(Db db)
    {
        using var connection = db.Connect();
        connection.Execute("""
            create schema if not exists meta;
            create table if not exists meta.schema_migration (
                file_name varchar not null, checksum varchar not null, applied_at timestamp not null)
            """);
        var applied = connection.Query<(string File, string Checksum)>(
                "select file_name, checksum from meta.schema_migration")
            .ToDictionary(r => r.File, r => r.Checksum);

        foreach (var file in db.Sql.List("ddl"))
        {
            var name = Path.GetFileName(file);
            var text = db.Sql.Get(file);
            var checksum = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ReplaceLineEndings("\n"))));
            if (applied.TryGetValue(name, out var known))
            {
                if (known != checksum)
                {
                    throw new InvalidOperationException(
                        $"DDL file {name} changed after it was applied; add a new numbered file instead.");
                }
                continue;
            }
            using var tx = connection.BeginTransaction();
            connection.Execute(text, transaction: tx);
            connection.Execute(
                "insert into meta.schema_migration values ($name, $checksum, now())",
                new { name, checksum }, tx);
            tx.Commit();
        }
    }
}
